"""Link any person data held in CSV files: deduplicate one file or link two (`link-files`).

Each file is read with the ingest CSV reader (UTF-8, a header row), its columns are mapped onto the
contract's people fields and validated by the ingest `Validator`; rows that fail (a missing id, an
impossible date, a repeated id) are left out of linkage and reported with their row numbers. The
valid rows go through the same preparation (`people_frame`), a model trained afresh on them (the
hub's saved model is never used) and Splink's scoring and clustering. Nothing is written until
every input has been read and checked, so a bad input leaves the output folder untouched.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

from safeguard.contract.kinds import KINDS
from safeguard.ingest.reader import Chunk, FileError, column_key, read_csv
from safeguard.ingest.validate import Validator
from safeguard.linkage import model
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.records import PeopleFile, people_frame

#: The contract's people fields a column may be mapped onto (the ones linkage compares).
FIELDS = (
    "forenames",
    "surname",
    "other_names",
    "date_of_birth",
    "sex",
    "nhs_number",
    "upn",
    "pnc_id",
    "address",
    "town",
    "postcode",
    "phone",
    "email",
)
#: The source label (and linkage agency) of the first and second file.
SOURCES = ("a", "b")
PAIRS_FILE, CLUSTERS_FILE = "pairs.csv", "clusters.csv"
CHUNK_ROWS = 50_000


class LinkFilesError(ValueError):
    """An input that cannot be linked as asked; the message says what and where."""


@dataclass(frozen=True)
class LeftOut:
    """A row left out of linkage: its file, row number (the header is row 1) and why."""

    source: str
    path: Path
    row: int
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path.name} row {self.row}: {'; '.join(self.reasons)}"


@dataclass
class SourceFile:
    """One file's valid records (contract fields, `record_id` the id column) and its counts."""

    source: str
    path: Path
    table: pa.Table
    read: int
    left_out: list[LeftOut] = field(default_factory=list)


@dataclass(frozen=True)
class LinkFilesResult:
    """What `link_files` read, left out and wrote."""

    records: int
    left_out: list[LeftOut]
    pairs: int
    clusters: int
    seconds: float
    shared_ids: bool
    pairs_path: Path
    clusters_path: Path


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`SOURCE_COLUMN=field` options as {source column key: contract field}.

    Column names are matched as the ingest reader names them (`Date of Birth` -> `date_of_birth`).
    """
    out: dict[str, str] = {}
    for item in items:
        source, sep, target = item.partition("=")
        key, name = column_key(source), column_key(target)
        if not sep or not key or not name:
            raise LinkFilesError(f"--map {item!r}: expected SOURCE_COLUMN=field")
        if name not in FIELDS:
            raise LinkFilesError(
                f"--map {item!r}: {target.strip()!r} is not a people field; "
                f"map onto one of: {', '.join(FIELDS)}"
            )
        if key in out:
            raise LinkFilesError(f"--map: column {key!r} is mapped twice")
        if name in out.values():
            raise LinkFilesError(f"--map: more than one column is mapped onto {name!r}")
        out[key] = name
    return out


def _columns(chunk: Chunk, id_key: str, mapping: Mapping[str, str]) -> dict[str, list[str | None]]:
    """A chunk's columns renamed onto contract fields; other columns are dropped."""
    out: dict[str, list[str | None]] = {}
    targets = set(mapping.values())
    for key, values in chunk.columns.items():
        if key in mapping:
            out[mapping[key]] = values
        elif key in FIELDS and key not in targets:
            out.setdefault(key, values)
    out["record_id"] = chunk.columns[id_key]
    return out


def _check_header(path: Path, chunk: Chunk, id_key: str, mapping: Mapping[str, str]) -> None:
    present = list(chunk.columns)
    listed = ", ".join(present)
    if id_key not in chunk.columns:
        raise LinkFilesError(
            f"{path}: the --id column {id_key!r} is not in the file; its columns are: {listed}"
        )
    for key, target in mapping.items():
        if key not in chunk.columns:
            raise LinkFilesError(
                f"{path}: column {key!r} (--map {key}={target}) is not in the file; "
                f"its columns are: {listed}"
            )


def _reason(problem: Mapping[str, str], id_key: str, names: Mapping[str, str]) -> str:
    name = problem.get("field", "")
    if name == "record_id":
        return f"missing id ({id_key})"
    if not name:
        return problem.get("reason", "unreadable row")
    return f"{names.get(name, name)}: {problem.get('reason', 'not valid')}"


def read_source(
    path: Path,
    source: str,
    id_column: str,
    mapping: Mapping[str, str],
    chunk_rows: int = CHUNK_ROWS,
) -> SourceFile:
    """Read, map and validate one CSV file; raises `LinkFilesError` for a file it cannot use."""
    id_key = column_key(id_column)
    if not id_key:
        raise LinkFilesError(f"--id {id_column!r} is not a column name")
    validator = Validator(KINDS["people"])
    names = {target: key for key, target in mapping.items()}
    tables: list[pa.Table] = []
    left_out: list[LeftOut] = []
    seen: dict[str, int] = {}
    read = 0
    try:
        with path.open("rb") as stream:
            for number, chunk in enumerate(read_csv(stream, chunk_rows)):
                if number == 0:
                    _check_header(path, chunk, id_key, mapping)
                read += len(chunk) + len(chunk.bad)
                columns = _columns(chunk, id_key, mapping)
                validated = validator.validate(Chunk(columns, chunk.rows, chunk.bad))
                for q in validated.quarantined:
                    problems = q["problems"]
                    assert isinstance(problems, list) and isinstance(q["row"], int)
                    reasons = tuple(_reason(p, id_key, names) for p in problems)
                    left_out.append(LeftOut(source, path, q["row"], reasons))
                table, repeated = _first_of_each_id(validated.accepted, seen)
                left_out += [
                    LeftOut(source, path, row, (f"id {rid!r} already on row {seen[rid]}",))
                    for row, rid in repeated
                ]
                tables.append(table)
    except FileNotFoundError:
        raise LinkFilesError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LinkFilesError(f"{path}: is a folder, not a CSV file") from None
    except FileError as exc:
        raise LinkFilesError(f"{path}: {exc}") from None
    left_out.sort(key=lambda o: o.row)
    table = pa.concat_tables(tables) if tables else validator.schema.empty_table()
    return SourceFile(source, path, table, read, left_out)


def _first_of_each_id(
    table: pa.Table, seen: dict[str, int]
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Keep the first row of each id (across chunks, via `seen`); list the repeats."""
    keep: list[bool] = []
    repeated: list[tuple[int, str]] = []
    rows = table.column("_row").to_pylist()
    for row, rid in zip(rows, table.column("record_id").to_pylist(), strict=True):
        if rid in seen:
            keep.append(False)
            repeated.append((row, rid))
        else:
            seen[rid] = row
            keep.append(True)
    return (table if all(keep) else table.filter(pa.array(keep))), repeated


def _arrow(frame: object) -> pa.Table:
    return frame.as_pyarrow_table()  # type: ignore[attr-defined]


def link_files(
    paths: Sequence[Path],
    id_column: str,
    out: Path,
    mapping: Mapping[str, str] | None = None,
    config: LinkageConfig | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> LinkFilesResult:
    """Deduplicate one CSV file or link two; write `pairs.csv` and `clusters.csv` into `out`.

    With two files only pairs across them are kept and clustered (a record joins records of the
    other file, and through them, perhaps, others of its own). Raises `LinkFilesError`, having
    written nothing, for an input it cannot use.
    """
    started = time.perf_counter()
    if not 1 <= len(paths) <= 2:
        raise LinkFilesError(f"give one file to deduplicate or two to link, not {len(paths)}")
    if out.exists() and not out.is_dir():
        raise LinkFilesError(f"--out {out}: exists and is not a folder")
    config = config or LinkageConfig()
    mapping = dict(mapping or {})
    sources = [
        read_source(path, source, id_column, mapping, chunk_rows)
        for path, source in zip(paths, SOURCES, strict=False)
    ]
    for s in sources:
        if s.table.num_rows == 0:
            raise LinkFilesError(f"{s.path}: no rows to link (read {s.read}, all left out)")
    ids = [set(s.table.column("record_id").to_pylist()) for s in sources]
    shared = len(ids) == 2 and not ids[0].isdisjoint(ids[1])
    with tempfile.TemporaryDirectory(prefix="safeguard-link-files-") as tmp:
        files = []
        for s in sources:
            parquet = Path(tmp) / f"{s.source}.parquet"
            pq.write_table(s.table, parquet)
            files.append(PeopleFile(s.source, 1, parquet))
        frame = people_frame(files)
    linker, _ = model.train(frame, config)
    scored = _arrow(linker.inference.predict(threshold_match_probability=config.lower))
    pairs, clusters = _pairs_and_clusters(frame, scored, config.upper, linking=len(sources) == 2)
    out.mkdir(parents=True, exist_ok=True)
    pairs_path, clusters_path = out / PAIRS_FILE, out / CLUSTERS_FILE
    _write(
        pairs, pairs_path, ["id_l", "id_r", "match_probability"], ["source_l", "source_r"], shared
    )
    _write(clusters, clusters_path, ["id", "cluster_id"], ["source"], shared)
    return LinkFilesResult(
        records=sum(s.read for s in sources),
        left_out=[o for s in sources for o in s.left_out],
        pairs=pairs.num_rows,
        clusters=len(set(clusters.column("cluster_id").to_pylist())),
        seconds=round(time.perf_counter() - started, 1),
        shared_ids=shared,
        pairs_path=pairs_path,
        clusters_path=clusters_path,
    )


_ACROSS = "where split_part(unique_id_l, ':', 1) <> split_part(unique_id_r, ':', 1)"


def _pairs_and_clusters(
    frame: pa.Table, scored: pa.Table, upper: float, *, linking: bool
) -> tuple[pa.Table, pa.Table]:
    """Pairs (across files only when linking) with ids and sources; clusters at `upper`."""
    across = _ACROSS if linking else ""
    con = duckdb.connect()
    try:
        con.register("scored", scored)
        pairs = con.sql(
            f"""
            with p as (
                select unique_id_l, unique_id_r, match_probability from scored {across}
            ),
            ordered as (
                select case when unique_id_l <= unique_id_r then unique_id_l else unique_id_r
                    end as uid_l,
                    case when unique_id_l <= unique_id_r then unique_id_r else unique_id_l
                    end as uid_r,
                    match_probability
                from p
            )
            select uid_l as unique_id_l, uid_r as unique_id_r, match_probability,
                substr(uid_l, 3) as id_l, substr(uid_r, 3) as id_r,
                substr(uid_l, 1, 1) as source_l, substr(uid_r, 1, 1) as source_r
            from ordered
            order by match_probability desc, source_l, id_l, source_r, id_r
            """  # noqa: S608 - the only interpolation is a constant clause
        ).to_arrow_table()
    finally:
        con.close()
    nodes = frame.select(["unique_id"])
    edges = pairs.select(["unique_id_l", "unique_id_r", "match_probability"])
    clustered = _arrow(
        cluster_pairwise_predictions_at_threshold(
            nodes,
            edges,
            DuckDBAPI(),
            node_id_column_name="unique_id",
            edge_id_column_name_left="unique_id_l",
            edge_id_column_name_right="unique_id_r",
            threshold_match_probability=upper,
        )
    )
    con = duckdb.connect()
    try:
        con.register("clustered", clustered.select(["unique_id", "cluster_id"]))
        clusters = con.sql(
            """
            with c as (
                select unique_id, min(unique_id) over (partition by cluster_id) as anchor
                from clustered
            )
            select substr(unique_id, 3) as id, dense_rank() over (order by anchor) as cluster_id,
                substr(unique_id, 1, 1) as source
            from c
            order by cluster_id, unique_id
            """
        ).to_arrow_table()
    finally:
        con.close()
    return pairs, clusters


def _write(
    table: pa.Table, path: Path, columns: list[str], source_columns: list[str], shared: bool
) -> None:
    """Write `columns` (and the source columns when ids are shared) as a CSV with a header."""
    selected = table.select(columns + (source_columns if shared else []))
    con = duckdb.connect()
    try:
        con.register("out", selected)
        con.execute(f"copy out to '{_quoted(path)}' (header, delimiter ',')")
    finally:
        con.close()


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")

"""Link any person data held in CSV files: deduplicate one file or link two (`link-files`).

Each file is read with the ingest CSV reader (UTF-8, a header row), its columns are mapped onto the
contract's people fields (and `identifier`, link-files' own) and validated by the ingest
`Validator`. A row without a usable id (missing, repeated, or a row that cannot be split into
fields) is left out of linkage; a value that fails its check (an impossible date, an unknown sex
code, an NHS number whose check digit fails) is blanked and its row linked on the rest; both are
reported with their row numbers. Postcodes that are not UK postcodes are kept as written, so
files from elsewhere link on them too. The rows go through the same preparation
(`people_frame`), a model trained afresh on them (the hub's saved model is never used) and
Splink's scoring and clustering. Nothing is written until every input has been read and checked,
so a bad input leaves the output folder untouched.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

from safeguard.contract.kinds import KINDS
from safeguard.ingest.reader import LIST_SEPARATOR, Chunk, FileError, column_key, read_csv
from safeguard.ingest.validate import Validator
from safeguard.linkage import model
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.records import PeopleFile, people_frame

#: A field of link-files' own, not of the contract: any other identifier of the person that the
#: files share (a national insurance or social security number, a client number). No check digit
#: is known, so it is compared as text without case, spaces, hyphens, dots or slashes.
IDENTIFIER = "identifier"
#: The fields a column may be mapped onto: the contract's people fields that linkage compares, and
#: `identifier`.
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
    IDENTIFIER,
)
#: Fields that several columns may be mapped onto, and what joins them (in the order mapped):
#: names in parts, addresses in lines.
JOINED = {
    "forenames": " ",
    "surname": " ",
    "other_names": LIST_SEPARATOR,
    "address": " ",
    "town": " ",
}
#: The source label (and linkage agency) of the first and second file.
SOURCES = ("a", "b")
PAIRS_FILE, CLUSTERS_FILE = "pairs.csv", "clusters.csv"
#: Random pairs sampled to estimate u (how often two different people agree by chance), per
#: record: the rarest agreement that matters (a value almost no one else has) has u of about
#: 1/records, so pairs in proportion to the records see as many such coincidences at any size.
#: At least `U_PAIRS_MIN` and at most the configuration's `u_max_pairs` (the hub's 5,000,000,
#: reached at 500,000 records). FEBRL's F1 is the same from 10,000 to 1,000,000 pairs, thin
#: FEBRL4's from 100,000 (50,000 is lower); 20 a record took a tenth of thin FEBRL4's time.
U_PAIRS_PER_RECORD = 10
U_PAIRS_MIN = 100_000
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


@dataclass(frozen=True)
class Blanked:
    """A value that failed its check and was blanked: its file, row, column, value and why.
    The row is still linked, on its other values."""

    source: str
    path: Path
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name} row {self.row}: {self.column} {self.value!r}: {self.reason}"


@dataclass
class SourceFile:
    """One file's valid records (contract fields, `record_id` the id column) and its counts."""

    source: str
    path: Path
    table: pa.Table
    read: int
    left_out: list[LeftOut] = field(default_factory=list)
    blanked: list[Blanked] = field(default_factory=list)


@dataclass(frozen=True)
class LinkFilesResult:
    """What `link_files` read, left out and wrote."""

    records: int
    left_out: list[LeftOut]
    blanked: list[Blanked]
    pairs: int
    clusters: int
    seconds: float
    notes: list[str]
    shared_ids: bool
    pairs_path: Path
    clusters_path: Path
    model: dict[str, Any] = field(default_factory=dict)  # the trained model, as Splink saves it


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
        if name in out.values() and name not in JOINED:
            raise LinkFilesError(
                f"--map: more than one column is mapped onto {name!r} (only "
                f"{', '.join(JOINED)} may be made of several columns)"
            )
        out[key] = name
    return out


def _columns(chunk: Chunk, id_key: str, mapping: Mapping[str, str]) -> dict[str, list[str | None]]:
    """A chunk's columns renamed onto fields (several columns mapped onto one field joined, in
    the order mapped, blanks skipped); other columns are dropped."""
    out: dict[str, list[str | None]] = {}
    targets = set(mapping.values())
    for target in dict.fromkeys(mapping.values()):
        parts = [chunk.columns[key] for key, name in mapping.items() if name == target]
        out[target] = parts[0] if len(parts) == 1 else _joined(parts, JOINED[target])
    for key, values in chunk.columns.items():
        if key in FIELDS and key not in targets:
            out.setdefault(key, values)
    out["record_id"] = chunk.columns[id_key]
    return out


def _joined(parts: list[list[str | None]], separator: str) -> list[str | None]:
    return [
        separator.join(v.strip() for v in row if v and v.strip()) or None
        for row in zip(*parts, strict=True)
    ]


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
    names: dict[str, str] = {}
    for key, target in mapping.items():
        names[target] = f"{names[target]}+{key}" if target in names else key
    tables: list[pa.Table] = []
    left_out: list[LeftOut] = []
    blanked: list[Blanked] = []
    seen: dict[str, int] = {}
    read = 0
    try:
        with path.open("rb") as stream:
            for number, chunk in enumerate(read_csv(stream, chunk_rows)):
                if number == 0:
                    _check_header(path, chunk, id_key, mapping)
                read += len(chunk) + len(chunk.bad)
                columns = Chunk(_columns(chunk, id_key, mapping), chunk.rows, chunk.bad)
                accepted, rejected, problems = _validate(validator, columns)
                for row, reasons in rejected:
                    left_out.append(
                        LeftOut(
                            source, path, row, tuple(_reason(p, id_key, names) for p in reasons)
                        )
                    )
                accepted, issues = _foreign_postcodes(accepted)
                accepted = _with_identifier(accepted, columns)
                blanked += [
                    Blanked(
                        source,
                        path,
                        row,
                        names.get(p["field"], p["field"]),
                        p["value"],
                        p["reason"],
                    )
                    for row, p in [*problems, *issues]
                ]
                table, repeated = _first_of_each_id(accepted, seen)
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
    blanked.sort(key=lambda b: b.row)
    table = (
        pa.concat_tables(tables)
        if tables
        else _with_identifier(validator.schema.empty_table(), Chunk({}, []))
    )
    return SourceFile(source, path, table, read, left_out, blanked)


Problem = dict[str, str]


def _validate(
    validator: Validator, chunk: Chunk
) -> tuple[pa.Table, list[tuple[int, list[Problem]]], list[tuple[int, Problem]]]:
    """Validate a chunk, keeping rows whose only faults are field values: those values are blanked.

    Returns the accepted rows (in row order), the rows left out with their problems (a missing
    id, a row that could not be split into fields) and the values blanked, each with its row.
    """
    validated = validator.validate(chunk)
    position = {row: i for i, row in enumerate(chunk.rows)}
    rejected: list[tuple[int, list[Problem]]] = []
    retry: dict[int, set[str]] = {}
    blanked: list[tuple[int, Problem]] = []
    for q in validated.quarantined:
        row, problems = q["row"], q["problems"]
        assert isinstance(row, int) and isinstance(problems, list)
        fields = {p.get("field", "") for p in problems}
        if row not in position or "" in fields or "record_id" in fields:
            rejected.append((row, problems))
        else:
            retry[position[row]] = fields
            blanked += [(row, p) for p in problems]
    if not retry:
        return validated.accepted, rejected, blanked
    picked = sorted(retry)
    again = validator.validate(
        Chunk(
            {
                key: [None if key in retry[i] else values[i] for i in picked]
                for key, values in chunk.columns.items()
            },
            [chunk.rows[i] for i in picked],
        )
    )
    assert not again.quarantined, again.quarantined
    table = pa.concat_tables([validated.accepted, again.accepted])
    return table.sort_by("_row"), rejected, blanked


_ID_NOISE = re.compile(r"[\s\-./]+")


def _identifier(raw: str | None) -> str | None:
    """An identifier as compared: upper case, without spaces, hyphens, dots or slashes."""
    return (_ID_NOISE.sub("", raw).upper() or None) if raw else None


def _with_identifier(table: pa.Table, chunk: Chunk) -> pa.Table:
    """The accepted rows with the `identifier` column (null when no column is mapped onto it)."""
    raw = chunk.columns.get(IDENTIFIER)
    if raw is None:
        values = pa.nulls(table.num_rows, pa.string())
    else:
        by_row = dict(zip(chunk.rows, raw, strict=True))
        values = pa.array([_identifier(by_row[r]) for r in table.column("_row").to_pylist()])
    return table.append_column(IDENTIFIER, values.cast(pa.string()))


def _foreign_postcodes(table: pa.Table) -> tuple[pa.Table, list[tuple[int, Problem]]]:
    """Keep postcodes that are not UK postcodes (as `2119` or `75011`), upper-cased with single
    spaces, so they can agree exactly; list the other identifiers that failed their check."""
    blanked: list[tuple[int, Problem]] = []
    postcodes: list[str | None] | None = None
    rows = table.column("_row").to_pylist()
    for i, text in enumerate(table.column("_issues").to_pylist()):
        if text is None:
            continue
        for issue in json.loads(text):
            if issue["field"] == "postcode":
                if postcodes is None:
                    postcodes = table.column("postcode").to_pylist()
                postcodes[i] = " ".join(issue["value"].upper().split()) or None
            else:
                blanked.append((rows[i], issue))
    if postcodes is not None:
        index = table.schema.get_field_index("postcode")
        table = table.set_column(index, "postcode", pa.array(postcodes, pa.string()))
    return table, blanked


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
    *,
    twins_apart: bool = True,
) -> LinkFilesResult:
    """Deduplicate one CSV file or link two; write `pairs.csv` and `clusters.csv` into `out`.

    With two files only pairs across them are kept and clustered (a record joins records of the
    other file, and through them, perhaps, others of its own). Raises `LinkFilesError`, having
    written nothing, for an input it cannot use. `twins_apart=False` (`--twins-not-a-concern`)
    drops thin records' twins and namesakes safeguards, for files known to hold no twins or
    parent and child named alike: never the hub's choice.
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
        frame = _add_identifiers(people_frame(files), sources)
    u_pairs = min(config.u_max_pairs, max(U_PAIRS_MIN, U_PAIRS_PER_RECORD * frame.num_rows))
    linker, report = model.train(
        frame, config.model_copy(update={"u_max_pairs": u_pairs}), twins_apart=twins_apart
    )
    compared = {c["comparison"] for c in report.comparisons}
    notes = [
        f"{name} was read but the model does not compare it"
        for name in (IDENTIFIER,)
        if name in frame.column_names and name not in compared
    ]
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
        blanked=[b for s in sources for b in s.blanked],
        pairs=pairs.num_rows,
        clusters=len(set(clusters.column("cluster_id").to_pylist())),
        seconds=round(time.perf_counter() - started, 1),
        notes=notes,
        shared_ids=shared,
        pairs_path=pairs_path,
        clusters_path=clusters_path,
        model=linker.misc.save_model_to_json(),
    )


def _add_identifiers(frame: pa.Table, sources: Sequence[SourceFile]) -> pa.Table:
    """`people_frame` with each record's `identifier` (the contract's files have none); as it was
    when no record has one, so the model compares no identifier."""
    if all(s.table.column(IDENTIFIER).null_count == s.table.num_rows for s in sources):
        return frame
    ids = pa.concat_tables(
        [
            pa.table(
                {
                    "unique_id": pc.binary_join_element_wise(
                        s.source, s.table.column("record_id"), ":"
                    ),
                    IDENTIFIER: s.table.column(IDENTIFIER),
                }
            )
            for s in sources
        ]
    )
    at = pc.index_in(frame.column("unique_id"), value_set=ids.column("unique_id"))
    return frame.append_column(IDENTIFIER, ids.column(IDENTIFIER).take(at))


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

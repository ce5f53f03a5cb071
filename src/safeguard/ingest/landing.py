"""The landing zone: each delivery kept immutable as Parquet beside its manifest.

A delivery is first written to `landing/.staging/<checksum>/`; set-based checks that need the
whole delivery (repeated record ids, references between records) run there in DuckDB; then the
folder is renamed into place as `landing/<agency>/<extract date>-<checksum>/` in one step.
After that a landed delivery is only ever changed by the retention job (`prune`): what the
retention schedule says must go leaves the landed copies too.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from safeguard.contract.fields import FieldType
from safeguard.contract.kinds import KINDS, Kind
from safeguard.ingest.validate import ROW_COLUMN

QUARANTINE_FILE = "quarantine.jsonl"
HASH_COLUMN = "_hash"
#: DuckDB's memory for the whole-delivery checks; beyond it, DuckDB spills to the staging folder.
MEMORY_LIMIT = "512MB"
DATA_COLUMN = "_data"


def compact_json(struct: str) -> str:
    """DuckDB SQL for a row as JSON without its null fields (quotes inside values are escaped,
    so the pattern can only meet a key)."""
    return (
        f"""regexp_replace(regexp_replace(to_json({{{struct}}}), '"[a-z_]+":null,?', '', 'g'),"""
        " ',}$', '}')"
    )


def delivery_dir(landing: Path, agency: str, extract_date: str, checksum: str) -> Path:
    return landing / agency / f"{extract_date}-{checksum[:16]}"


def staged_name(kind: str, filename: str) -> str:
    """Where a delivered file's accepted rows land, relative to the delivery folder."""
    return f"{kind}/{filename}.parquet"


@dataclass
class StagedFile:
    """One delivered file's accepted rows while the delivery is being staged."""

    name: str
    kind: Kind
    path: Path
    writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        if table.num_rows:
            self.writer.write_table(table)

    def close(self, schema: pa.Schema) -> None:
        if self.writer is None:
            self.write(schema.empty_table())
        assert self.writer is not None
        self.writer.close()


class Staging:
    """A delivery's staging folder: accepted rows per file and the quarantine log."""

    def __init__(self, landing: Path, checksum: str) -> None:
        self.root = landing / ".staging" / checksum
        if self.root.exists():
            shutil.rmtree(self.root)  # left by a process that died: start again
        self.root.mkdir(parents=True)
        self._quarantine = (self.root / QUARANTINE_FILE).open("w", encoding="utf-8")

    def file(self, name: str, kind: Kind) -> StagedFile:
        return StagedFile(name, kind, self.root / "staged" / staged_name(kind.name, name))

    def quarantine(self, filename: str, entries: Iterable[dict[str, object]]) -> None:
        for entry in entries:
            self._quarantine.write(json.dumps({"file": filename, **entry}, ensure_ascii=False))
            self._quarantine.write("\n")

    def close_quarantine(self) -> None:
        self._quarantine.close()

    def discard(self) -> None:
        self._quarantine.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def publish(self, target: Path) -> None:
        """Move the finished delivery into place in one rename (replacing an orphan, if any)."""
        shutil.rmtree(self.root / "staged", ignore_errors=True)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.root, target)


def prune(path: Path, record_ids: Collection[str]) -> int:
    """Rewrite the landed file at `path` without the rows of `record_ids` (every version of
    each); how many rows went (0: the file is left as it was). Streamed batch by batch into a
    new file with the same schema, flushed to disk and renamed over the old in one step, so a
    crash leaves the old file or the new one, never part of either."""
    if not record_ids or not path.exists():
        return 0
    wanted = pa.array(sorted(record_ids), pa.string())
    present = pq.read_table(path, columns=["record_id"]).column("record_id")
    hits = int(pc.sum(pc.is_in(present, value_set=wanted)).as_py() or 0)
    if not hits:
        return 0
    source = pq.ParquetFile(path)
    temporary = path.with_name(path.name + ".pruning")
    with pq.ParquetWriter(temporary, source.schema_arrow, compression="zstd") as writer:
        for batch in source.iter_batches(batch_size=65_536):
            keep = pc.invert(pc.is_in(batch.column("record_id"), value_set=wanted))
            writer.write_batch(batch.filter(keep))
    with temporary.open("rb") as written:
        os.fsync(written.fileno())
    os.replace(temporary, path)
    return hits


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ref_fields(kind: Kind) -> list[tuple[str, str, bool]]:
    return [
        (f.name, f.ref_kind or "", f.type is FieldType.REFS)
        for f in kind.fields
        if f.type in (FieldType.REF, FieldType.REFS)
    ]


class DeliveryChecks:
    """Whole-delivery checks in DuckDB: repeated record ids and references that do not resolve."""

    def __init__(
        self, files: Sequence[StagedFile], earlier: Sequence[Path], temp_dir: Path
    ) -> None:
        self.files = files
        self.earlier = earlier
        self.db = duckdb.connect()
        self.db.execute(f"SET temp_directory = {_sql_path(temp_dir)}")
        self.db.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        # rows quarantined by these checks; each file is read through a view that leaves them out,
        # so the staged Parquet is streamed, never copied into memory
        self.db.execute("CREATE TABLE dropped (f INTEGER, r BIGINT)")
        for i, f in enumerate(files):
            self.db.execute(f"""CREATE VIEW f{i} AS SELECT * FROM read_parquet({_sql_path(f.path)})
                WHERE {ROW_COLUMN} NOT IN (SELECT r FROM dropped WHERE f = {i})""")

    def _tables(self, kind: str) -> list[str]:
        return [f"f{i}" for i, f in enumerate(self.files) if f.kind.name == kind]

    def duplicates(self) -> dict[int, list[dict[str, object]]]:
        """Rows whose record id already appeared earlier in this delivery, by file index."""
        out: dict[int, list[dict[str, object]]] = {}
        for kind in {f.kind.name for f in self.files}:
            tables = self._tables(kind)
            union = " UNION ALL ".join(
                f"SELECT {t[1:]} AS f, {ROW_COLUMN} AS r, record_id FROM {t}" for t in tables
            )
            rows = self.db.execute(f"""
                WITH u AS ({union}),
                first AS (SELECT record_id, arg_min(f, (f, r)) AS ff, arg_min(r, (f, r)) AS fr
                          FROM u GROUP BY record_id HAVING count(*) > 1)
                SELECT u.f, u.r, u.record_id, first.fr, first.ff FROM u JOIN first USING (record_id)
                WHERE (u.f, u.r) <> (first.ff, first.fr) ORDER BY u.f, u.r""").fetchall()
            for f, r, record_id, first_row, first_file in rows:
                where = f"row {first_row}" + (
                    "" if first_file == f else f" of {self.files[first_file].name}"
                )
                out.setdefault(f, []).append(
                    {
                        "row": r,
                        "problems": [
                            {
                                "field": "record_id",
                                "value": record_id,
                                "reason": f"record id repeated in this delivery (first at {where})",
                            }
                        ],
                    }
                )
        return out

    def drop(self, index: int, rows: Iterable[int]) -> None:
        rows = list(rows)
        if rows:
            self.db.execute(f"INSERT INTO dropped SELECT {index}, unnest(?)", [rows])

    def _known_ids(self, kind: str) -> str:
        parts = [f"SELECT record_id FROM {t}" for t in self._tables(kind)]
        earlier = [p for d in self.earlier for p in sorted((d / kind).glob("*.parquet"))]
        if earlier:
            paths = ", ".join(_sql_path(p) for p in earlier)
            parts.append(f"SELECT record_id FROM read_parquet([{paths}])")
        return " UNION ".join(parts) if parts else "SELECT NULL::VARCHAR AS record_id WHERE false"

    def dangling(self, index: int) -> list[dict[str, object]]:
        """Rows of file `index` naming a record in neither this delivery nor an earlier one."""
        kind = self.files[index].kind
        found: dict[int, list[dict[str, object]]] = {}
        for name, ref_kind, is_list in _ref_fields(kind):
            item = "v" if is_list else name
            source = (
                f"(SELECT {ROW_COLUMN}, unnest({name}) AS v FROM f{index})"
                if is_list
                else f"f{index}"
            )
            rows = self.db.execute(f"""
                SELECT {ROW_COLUMN}, {item} FROM {source}
                WHERE {item} IS NOT NULL AND {item} NOT IN ({self._known_ids(ref_kind)})
                ORDER BY {ROW_COLUMN}""").fetchall()
            what = "a person" if ref_kind == "people" else f"a record of kind {ref_kind}"
            for row, value in rows:
                found.setdefault(row, []).append(
                    {
                        "field": name,
                        "value": value,
                        "reason": (
                            f"reference to {what} not in this delivery or an earlier one "
                            f"({ref_kind} record {value!r})"
                        ),
                    }
                )
        return [{"row": r, "problems": p} for r, p in sorted(found.items())]

    def ordered_refs(self) -> list[int]:
        """File indexes with referenced kinds first, so quarantined targets cascade correctly."""
        order = {name: i for i, name in enumerate(KINDS)}
        return sorted(
            range(len(self.files)),
            key=lambda i: (bool(_ref_fields(self.files[i].kind)), order[self.files[i].kind.name]),
        )

    def write(self, index: int, target: Path) -> int:
        """Write file `index`'s surviving rows to `target`, with the row as compact JSON (what hub
        stores) and its hash (to tell a changed record from an unchanged one); return the count."""
        kind = self.files[index].kind
        struct = ", ".join(f"'{f.name}': {f.name}" for f in kind.fields)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.db.execute(f"""COPY (SELECT *, {compact_json(struct)} AS {DATA_COLUMN},
            md5({DATA_COLUMN}) AS {HASH_COLUMN}
            FROM f{index}) TO {_sql_path(target)}
            (FORMAT parquet, COMPRESSION zstd)""")
        return int(self.db.execute(f"SELECT count(*) FROM f{index}").fetchone()[0])  # type: ignore[index]

    def close(self) -> None:
        self.db.close()

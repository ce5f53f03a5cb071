"""What linkage keeps between runs: the prepared records and the scored pairs, as parts.

A full run writes one part; each incremental run adds a part holding only what it changed:
the records that are new or changed, the pairs scored for them, and the ids whose earlier
pairs it voids (`dropped`). Reading puts the parts back together: a record in a later part
supersedes the same record in an earlier one, and an earlier part's pairs touching a dropped
id are left out. So an incremental run reads and writes in proportion to its delivery, not to
everything linked so far; after `COMPACT_AFTER` parts the next run writes them back as one.

`manifest.json` is the commit point: it lists the live parts and the landed files they were
prepared from (path, size, modification time, agency, delivery). Part files are written first
under new numbers and the manifest is replaced atomically after, so a run that stops part way
leaves the last complete state; files it left behind are removed by the next write.

The landed files in the manifest let a run prepare only the files it has not seen. Anything
else (a seen file changed or gone, or a delivery that sorts before one already linked for its
agency) means every file is prepared again; scoring is still limited to the records that
changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather

from safeguard.linkage.records import PeopleFile

MANIFEST = "manifest.json"
PARTS = "parts"
SUFFIX = ".arrow"
"""Parts are Arrow IPC files, memory-mapped when read: a million prepared records open at once,
where decoding them from Parquet takes a second or two. Records are stored uncompressed (about
320 MB a million), pairs and dropped ids with LZ4, which reads nearly as fast."""
_COMPRESSION = {"records": "uncompressed", "pairs": "lz4", "dropped": "lz4"}
COMPACT_AFTER = 12
"""Parts beyond the first after which an incremental run writes everything back as one part."""
_VERSION = 1


@dataclass(frozen=True)
class Part:
    """One write's files, by number: `records-N`, `pairs-N` and (incremental) `dropped-N`."""

    number: int
    dropped: bool

    def path(self, folder: Path, kind: str) -> Path:
        return folder / PARTS / f"{kind}-{self.number:06d}{SUFFIX}"


def _stamp(f: PeopleFile) -> dict[str, Any]:
    stat = f.path.stat()
    return {
        "path": str(f.path),
        "agency": f.agency,
        "delivery": f.delivery,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


class Saved:
    """The scored state in a linkage folder (see the module's description)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        path = folder / MANIFEST
        self._manifest: dict[str, Any] | None = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        )

    @property
    def parts(self) -> list[Part]:
        if self._manifest is None:
            return []
        return [Part(p["number"], p["dropped"]) for p in self._manifest["parts"]]

    def linked(self) -> bool:
        """Whether a run has saved records and pairs here."""
        return bool(self.parts)

    # Reading -----------------------------------------------------------------------------

    def records(self, columns: Sequence[str] | None = None, ids: Sequence[str] = ()) -> pa.Table:
        """The current prepared records (all, or only `ids`), with `columns` (and `unique_id`)."""
        cols = None if columns is None else list(dict.fromkeys(["unique_id", *columns]))
        tables: list[pa.Table] = []
        seen: pa.Array | None = None
        wanted = pa.array(list(ids), pa.string()) if ids else None
        parts = self.parts
        for i, part in enumerate(reversed(parts)):
            table = _read(part.path(self.folder, "records"), cols)
            if wanted is not None:
                table = table.filter(pc.is_in(table["unique_id"], value_set=wanted))
            if seen is not None and len(seen):
                table = table.filter(pc.invert(pc.is_in(table["unique_id"], value_set=seen)))
            tables.append(table)
            if i < len(parts) - 1:  # the oldest part supersedes nothing
                here = table["unique_id"].combine_chunks()
                seen = here if seen is None else pa.concat_arrays([seen, here])
        if not tables:
            raise FileNotFoundError(f"no linkage records in {self.folder}")
        return _concat(tables)

    def record_count(self) -> int:
        if self._manifest is None:
            return 0
        return int(self._manifest["records"])

    def pairs(
        self, columns: Sequence[str] | None = None, between: tuple[str, str] | None = None
    ) -> pa.Table:
        """The live scored pairs, with `columns` (and both ids); or only the pair `between`
        two records (given in id order), if it was scored."""
        ids = ["unique_id_l", "unique_id_r"]
        cols = None if columns is None else list(dict.fromkeys([*ids, *columns]))
        tables: list[pa.Table] = []
        dropped: pa.Array | None = None
        for part in reversed(self.parts):
            table = _read(part.path(self.folder, "pairs"), cols)
            if between is not None:
                table = table.filter(
                    pc.and_(
                        pc.equal(table["unique_id_l"], between[0]),
                        pc.equal(table["unique_id_r"], between[1]),
                    )
                )
            if dropped is not None and len(dropped):
                void = pc.or_(
                    pc.is_in(table["unique_id_l"], value_set=dropped),
                    pc.is_in(table["unique_id_r"], value_set=dropped),
                )
                table = table.filter(pc.invert(void))
            tables.append(table)
            if part.dropped:
                more = _read(part.path(self.folder, "dropped"), None)["unique_id"]
                more = more.combine_chunks()
                dropped = more if dropped is None else pa.concat_arrays([dropped, more])
        if not tables:
            raise FileNotFoundError(f"no linkage pairs in {self.folder}")
        return _concat(tables)

    def unseen(self, files: Sequence[PeopleFile]) -> list[PeopleFile] | None:
        """The files not prepared before, when only they need preparing: every file seen
        before is unchanged and in the same delivery order within its agency, and each new
        file comes after its agency's seen deliveries. Otherwise None: prepare everything."""
        if self._manifest is None:
            return None
        now = {str(f.path): f for f in files}
        latest: dict[str, int] = {}
        order: dict[str, list[tuple[int, int]]] = {}
        for entry in self._manifest["files"]:
            f = now.get(entry["path"])
            if f is None or f.agency != entry["agency"]:
                return None
            stamp = _stamp(f)
            if (stamp["size"], stamp["mtime_ns"]) != (entry["size"], entry["mtime_ns"]):
                return None
            order.setdefault(f.agency, []).append((entry["delivery"], f.delivery))
            latest[f.agency] = max(latest.get(f.agency, f.delivery), f.delivery)
        for deliveries in order.values():  # renumbered is fine while the order holds
            deliveries.sort()
            for (was, now_a), (was_b, now_b) in pairwise(deliveries):
                if (was < was_b and now_a >= now_b) or (was == was_b and now_a != now_b):
                    return None
        seen = {entry["path"] for entry in self._manifest["files"]}
        fresh = [f for path, f in now.items() if path not in seen]
        if any(f.delivery <= latest.get(f.agency, -1) for f in fresh):
            return None
        return fresh

    # Writing -----------------------------------------------------------------------------

    def replace(self, records: pa.Table, pairs: pa.Table, files: Sequence[PeopleFile]) -> None:
        """Save a full run: `records` and `pairs` become the only part."""
        part = Part(self._next(), dropped=False)
        self._write(part, records, pairs, None)
        self._commit([part], files, records.num_rows)

    def append(
        self,
        records: pa.Table,
        pairs: pa.Table,
        dropped: pa.Array,
        files: Sequence[PeopleFile],
        record_count: int,
    ) -> None:
        """Save an incremental run: new and changed `records`, the `pairs` scored for them, and
        the ids whose earlier pairs are void (`dropped`); `record_count` is the live total after.
        Past `COMPACT_AFTER` parts, everything is written back as one part."""
        part = Part(self._next(), dropped=True)
        self._write(part, records, pairs, dropped)
        parts = [*self.parts, part]
        self._commit(parts, files, record_count)
        if len(parts) > COMPACT_AFTER + 1:
            self.replace(self.records(), self.pairs(), files)

    def note_files(self, files: Sequence[PeopleFile]) -> None:
        """Record that `files` are prepared, when a run found nothing new in them."""
        self._commit(self.parts, files, self.record_count())

    def _next(self) -> int:
        numbers = [p.number for p in self.parts]
        on_disk = [int(p.stem.rsplit("-", 1)[1]) for p in (self.folder / PARTS).glob(f"*{SUFFIX}")]
        return max([*numbers, *on_disk, -1]) + 1

    def _write(
        self, part: Part, records: pa.Table, pairs: pa.Table, dropped: pa.Array | None
    ) -> None:
        (self.folder / PARTS).mkdir(parents=True, exist_ok=True)
        _write(records, part.path(self.folder, "records"))
        _write(pairs, part.path(self.folder, "pairs"))
        if dropped is not None:
            _write(pa.table({"unique_id": dropped}), part.path(self.folder, "dropped"))

    def _commit(self, parts: list[Part], files: Sequence[PeopleFile], records: int) -> None:
        manifest = {
            "version": _VERSION,
            "parts": [{"number": p.number, "dropped": p.dropped} for p in parts],
            "records": records,
            "files": [_stamp(f) for f in files],
        }
        path = self.folder / MANIFEST
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(temporary, path)
        self._manifest = manifest
        live = {part.path(self.folder, kind).name for part in parts for kind in _KINDS}
        for leftover in (self.folder / PARTS).glob(f"*{SUFFIX}"):
            if leftover.name not in live:
                leftover.unlink()


_KINDS = ("records", "pairs", "dropped")


def _read(path: Path, columns: list[str] | None) -> pa.Table:
    table = feather.read_table(path, memory_map=True)
    return table if columns is None else table.select(columns)


def _write(table: pa.Table, path: Path) -> None:
    kind = path.name.split("-", 1)[0]
    feather.write_feather(table, path, compression=_COMPRESSION[kind])


def _concat(tables: list[pa.Table]) -> pa.Table:
    if len(tables) == 1:
        return tables[0]
    schema = tables[-1].schema  # the oldest part: usually the full run
    return pa.concat_tables([t.select(schema.names).cast(schema) for t in tables])

"""The saved linkage state: parts, superseding records, voided pairs, files seen, crash safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeguard.linkage import saved as saved_module
from safeguard.linkage.records import PeopleFile
from safeguard.linkage.saved import MANIFEST, PARTS, Saved


def records(*rows: tuple[str, str]) -> pa.Table:
    return pa.table(
        {
            "unique_id": pa.array([r[0] for r in rows], pa.string()),
            "surname": pa.array([r[1] for r in rows], pa.string()),
        }
    )


def pairs(*rows: tuple[str, str, float]) -> pa.Table:
    return pa.table(
        {
            "unique_id_l": pa.array([r[0] for r in rows], pa.string()),
            "unique_id_r": pa.array([r[1] for r in rows], pa.string()),
            "match_probability": pa.array([r[2] for r in rows], pa.float64()),
        }
    )


def landed(folder: Path, agency: str, delivery: int, text: str = "x") -> PeopleFile:
    path = folder / f"{agency}-{delivery}.parquet"
    pq.write_table(pa.table({"v": [text]}), path)
    return PeopleFile(agency, delivery, path)


def as_set(table: pa.Table, *columns: str) -> set[tuple[object, ...]]:
    return set(zip(*(table[c].to_pylist() for c in columns), strict=True))


def test_later_parts_supersede_records_and_void_pairs(tmp_path: Path) -> None:
    files = [landed(tmp_path, "police", 0)]
    saved = Saved(tmp_path / "linkage")
    assert not saved.linked()
    saved.replace(
        records(("a", "smith"), ("b", "smyth"), ("c", "jones")),
        pairs(("a", "b", 0.99), ("b", "c", 0.5)),
        files,
    )
    # c changed (its old pair is void) and d arrived; the new part holds only them.
    saved.append(
        records(("c", "jonas"), ("d", "jones")),
        pairs(("c", "d", 0.97)),
        pa.array(["c", "d"]),
        files,
        record_count=4,
    )
    again = Saved(tmp_path / "linkage")  # read back from the manifest, as the next run does
    assert len(again.parts) == 2
    assert as_set(again.records(["surname"]), "unique_id", "surname") == {
        ("a", "smith"),
        ("b", "smyth"),
        ("c", "jonas"),
        ("d", "jones"),
    }
    assert as_set(again.pairs(["match_probability"]), "unique_id_l", "unique_id_r") == {
        ("a", "b"),
        ("c", "d"),
    }
    assert again.record_count() == 4
    assert as_set(again.records(["surname"], ids=["c"]), "surname") == {("jonas",)}
    only = again.pairs(between=("b", "c"))
    assert only.num_rows == 0  # voided by the later part
    assert again.pairs(between=("c", "d"))["match_probability"].to_pylist() == [0.97]


def test_many_parts_are_compacted_into_one(tmp_path: Path) -> None:
    files = [landed(tmp_path, "police", 0)]
    saved = Saved(tmp_path)
    saved.replace(records(("a", "x")), pairs(), files)
    for i in range(saved_module.COMPACT_AFTER + 1):
        uid = f"n{i:02d}"
        saved.append(
            records((uid, "y")), pairs(("a", uid, 0.9)), pa.array([uid]), files, record_count=i + 2
        )
    assert len(saved.parts) == 1
    assert saved.records().num_rows == saved_module.COMPACT_AFTER + 2
    assert saved.pairs().num_rows == saved_module.COMPACT_AFTER + 1
    assert len(list((tmp_path / PARTS).glob("*.arrow"))) == 2  # records and pairs only


def test_a_run_that_stops_before_its_manifest_leaves_the_last_state(tmp_path: Path) -> None:
    files = [landed(tmp_path, "police", 0)]
    saved = Saved(tmp_path)
    saved.replace(records(("a", "x"), ("b", "y")), pairs(("a", "b", 0.99)), files)
    manifest = (tmp_path / MANIFEST).read_text()

    def crash(*args: object) -> None:
        raise OSError("disk full")

    original = os.replace
    os.replace = crash  # type: ignore[assignment]
    try:
        with pytest.raises(OSError, match="disk full"):
            saved.append(records(("c", "z")), pairs(("a", "c", 0.9)), pa.array(["c"]), files, 3)
    finally:
        os.replace = original
    assert (tmp_path / MANIFEST).read_text() == manifest
    after = Saved(tmp_path)
    assert as_set(after.records(), "unique_id") == {("a",), ("b",)}
    assert as_set(after.pairs(), "unique_id_l", "unique_id_r") == {("a", "b")}
    # The next write clears what the stopped run left behind.
    after.note_files(files)
    names = sorted(p.name for p in (tmp_path / PARTS).glob("*.arrow"))
    assert names == ["pairs-000000.arrow", "records-000000.arrow"]


def test_only_unseen_later_deliveries_are_prepared_alone(tmp_path: Path) -> None:
    police0, school0 = landed(tmp_path, "police", 0), landed(tmp_path, "school", 1)
    saved = Saved(tmp_path / "linkage")
    assert saved.unseen([police0]) is None  # nothing saved yet
    saved.replace(records(("a", "x")), pairs(), [police0, school0])
    assert saved.unseen([police0, school0]) == []
    police2 = landed(tmp_path, "police", 2)
    assert saved.unseen([police0, school0, police2]) == [police2]
    # Renumbered deliveries are fine while each agency's order holds.
    renumbered = [PeopleFile("police", 5, police0.path), PeopleFile("school", 3, school0.path)]
    assert saved.unseen(renumbered) == []
    # A delivery that sorts before one already linked for its agency: prepare everything.
    older = PeopleFile("school", 0, landed(tmp_path, "school", 9).path)
    assert saved.unseen([police0, school0, older]) is None
    # A seen file that changed or went: prepare everything.
    assert saved.unseen([police0]) is None
    pq.write_table(pa.table({"v": ["changed", "now"]}), school0.path)
    assert saved.unseen([police0, school0]) is None


def test_manifest_names_files_not_their_contents(tmp_path: Path) -> None:
    files = [landed(tmp_path, "police", 0, text="Kayleigh Smith")]
    Saved(tmp_path / "linkage").replace(records(("a", "x")), pairs(), files)
    manifest = json.loads((tmp_path / "linkage" / MANIFEST).read_text())
    assert manifest["files"][0]["path"] == str(files[0].path)
    assert "Kayleigh" not in json.dumps(manifest)

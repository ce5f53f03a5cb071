"""Incremental linkage: a later delivery is scored on its own and gives the people a full run
gives; people keep their ids; a changed record is scored again."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeguard.linkage import evaluate, run
from safeguard.linkage.records import PeopleFile


def _holdback(files: list[PeopleFile], tmp_path, every: int = 40) -> tuple[list[PeopleFile], int]:
    """The files as a first delivery with one row in `every` held back; returns how many."""
    first, held = [], 0
    for i, f in enumerate(files):
        table = pq.read_table(f.path)
        rows = table["_row"].to_numpy()
        keep = pa.array(rows % every != 0)
        path = tmp_path / f"first-{i}.parquet"
        pq.write_table(table.filter(keep), path)
        held += table.num_rows - table.filter(keep).num_rows
        first.append(PeopleFile(f.agency, 1, path))
    return first, held


def test_a_later_delivery_is_linked_incrementally_and_agrees_with_a_full_run(landed, tmp_path):
    first, held = _holdback(landed.files, tmp_path)
    assert held > 0
    folder = tmp_path / "incremental"
    initial = run.link(first, folder)
    assert initial.summary.mode == "full" and initial.summary.trained
    before = initial.assignment.people

    later = [PeopleFile(f.agency, 2, f.path) for f in landed.files]
    result = run.link(
        first + later, folder, previous=before, next_person=max(before["person_id"].to_pylist()) + 1
    )
    s = result.summary
    assert s.mode == "incremental" and not s.trained
    assert {"prepare", "score", "save", "resolve"} <= set(s.steps)
    assert s.scored_records == held  # only the new records were scored
    assert s.records == initial.summary.records + held

    # the same model scoring everything gives the same people
    reference = tmp_path / "full"
    reference.mkdir()
    shutil.copy(folder / "model.json", reference / "model.json")
    full = run.link(first + later, reference)
    assert full.summary.mode == "full" and not full.summary.trained
    truth = full.assignment.people.rename_columns(["unique_id", "person_id"])
    incremental = result.assignment.people.rename_columns(["unique_id", "cluster_id"])
    agreement = evaluate.score(incremental, truth)
    assert agreement.f1 >= 0.999 and agreement.bcubed_precision >= 0.999

    # records already linked keep their person ids (nobody was merged or split here)
    ids = dict(zip(*result.assignment.people.to_pydict().values(), strict=True))
    kept = dict(zip(*before.to_pydict().values(), strict=True))
    moved = {uid for uid, pid in kept.items() if ids[uid] != pid}
    assert moved == {uid for e in result.assignment.events for uid in e.records}
    assert len(moved) <= 0.01 * len(kept)

    # nothing new: nothing scored, nothing changes
    again = run.link(first + later, folder, previous=result.assignment.people, next_person=10**6)
    assert again.summary.mode == "unchanged" and again.summary.scored_records == 0
    assert again.assignment.events == [] and again.assignment.new_people == []


def test_a_corrected_record_is_scored_again(landed, tmp_path):
    folder = tmp_path / "out"
    initial = run.link(landed.files, folder)
    source = landed.files[0]
    table = pq.read_table(source.path)
    changed = pa.array(
        [h if i else "changed-hash" for i, h in enumerate(table["_hash"].to_pylist())]
    )
    table = table.set_column(table.schema.get_field_index("_hash"), "_hash", changed)
    path = tmp_path / "corrected.parquet"
    pq.write_table(table, path)
    result = run.link(
        [*landed.files, PeopleFile(source.agency, 2, path)],
        folder,
        previous=initial.assignment.people,
        next_person=10**6,
    )
    assert result.summary.mode == "incremental" and result.summary.scored_records == 1

    # A file already linked, rewritten in place: every file is prepared again, but only the
    # record that changed is scored.
    hashes = table["_hash"].to_pylist()
    hashes[1] = "changed-in-place"
    table = table.set_column(table.schema.get_field_index("_hash"), "_hash", pa.array(hashes))
    pq.write_table(table, path)
    again = run.link(
        [*landed.files, PeopleFile(source.agency, 2, path)],
        folder,
        previous=result.assignment.people,
        next_person=10**6 + 10,
    )
    assert again.summary.mode == "incremental" and again.summary.scored_records == 1
    assert again.summary.records == result.summary.records


@pytest.mark.parametrize("retrain", [True, False])
def test_full_and_retrain_score_everything(landed, tmp_path, retrain):
    folder = tmp_path / "out"
    run.link(landed.files[:3], folder)
    result = run.link(landed.files, folder, retrain=retrain, full=not retrain)
    assert result.summary.mode == "full" and result.summary.trained is retrain
    assert result.summary.scored_records == result.summary.records

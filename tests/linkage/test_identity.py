"""The decision rules: must-link, cannot-link, refusals, stable ids, merges and splits."""

from __future__ import annotations

import pyarrow as pa
import pytest

from safeguard.linkage.identity import Decision, assign, cluster

UPPER = 0.99


def _pairs(*rows: tuple[str, str, float]) -> pa.Table:
    return pa.table(
        {
            "unique_id_l": pa.array([r[0] for r in rows], pa.string()),
            "unique_id_r": pa.array([r[1] for r in rows], pa.string()),
            "match_probability": pa.array([r[2] for r in rows], pa.float64()),
        }
    )


def _ids(*names: str) -> pa.Array:
    return pa.array(names, pa.string())


def _groups(table: pa.Table, column: str = "cluster") -> set[frozenset[str]]:
    out: dict[object, set[str]] = {}
    for row in table.to_pylist():
        out.setdefault(row[column], set()).add(row["unique_id"])
    return {frozenset(g) for g in out.values()}


def _previous(mapping: dict[str, int]) -> pa.Table:
    return pa.table(
        {"unique_id": list(mapping), "person_id": pa.array(list(mapping.values()), pa.int64())}
    )


def _different(a: str, b: str, id: int = 1) -> Decision:
    return Decision(a, b, same=False, reason="different mothers", by="j.bloggs", id=id)


def _same(a: str, b: str, id: int = 2) -> Decision:
    return Decision(a, b, same=True, reason="confirmed with school", by="a.smith", id=id)


def test_links_at_or_above_upper_join_and_weaker_pairs_do_not() -> None:
    pairs = _pairs(("a", "b", 0.995), ("b", "c", UPPER), ("c", "d", 0.9))
    result = cluster(_ids("a", "b", "c", "d"), pairs, [], UPPER)
    assert _groups(result.clusters) == {frozenset("abc"), frozenset("d")}
    assert result.refusals == []


def test_same_person_decision_links_a_review_pair() -> None:
    pairs = _pairs(("a", "b", 0.7))
    result = cluster(_ids("a", "b", "c"), pairs, [_same("b", "a")], UPPER)
    assert _groups(result.clusters) == {frozenset("ab"), frozenset("c")}


def test_different_people_decision_drops_a_strong_pair() -> None:
    pairs = _pairs(("a", "b", 0.9999))
    result = cluster(_ids("a", "b"), pairs, [_different("b", "a")], UPPER)
    assert _groups(result.clusters) == {frozenset("a"), frozenset("b")}
    assert result.refusals == []


def test_a_merge_through_a_third_record_is_refused_and_reported() -> None:
    # a=b and b=c would put a and c, decided different, into one person: the weaker link goes
    pairs = _pairs(("a", "b", 0.995), ("b", "c", 0.999), ("c", "d", 0.999))
    decision = _different("a", "c")
    result = cluster(_ids("a", "b", "c", "d"), pairs, [decision], UPPER)
    assert _groups(result.clusters) == {frozenset("a"), frozenset("bcd")}
    assert len(result.refusals) == 1
    refusal = result.refusals[0]
    assert (refusal.left, refusal.right) == ("a", "b")
    assert refusal.probability == pytest.approx(0.995)
    assert refusal.blocked_by is decision
    assert "different people" in str(refusal) and "j.bloggs" in str(refusal)


def test_a_same_person_decision_that_contradicts_another_is_refused() -> None:
    pairs = _pairs(("b", "c", 0.999))
    result = cluster(
        _ids("a", "b", "c"), pairs, [_different("a", "c", id=1), _same("a", "b", id=2)], UPPER
    )
    # decisions go first, so a=b holds and the model's b=c is what gets refused
    assert _groups(result.clusters) == {frozenset("ab"), frozenset("c")}
    assert [(r.left, r.right) for r in result.refusals] == [("b", "c")]


def test_contradictory_decisions_refuse_the_confirmed_link() -> None:
    decisions = [_different("a", "c", id=1), _same("a", "b", id=2), _same("b", "c", id=3)]
    result = cluster(_ids("a", "b", "c"), _pairs(), decisions, UPPER)
    assert len(_groups(result.clusters)) == 2
    assert len(result.refusals) == 1 and result.refusals[0].probability is None


def test_decisions_about_records_not_present_are_ignored() -> None:
    result = cluster(_ids("a", "b"), _pairs(("a", "b", 0.999)), [_different("a", "zz")], UPPER)
    assert _groups(result.clusters) == {frozenset("ab")}


def test_first_run_gives_new_ids_in_order_of_first_record() -> None:
    clustering = cluster(_ids("a", "b", "c"), _pairs(("b", "c", 0.999)), [], UPPER)
    result = assign(clustering, _previous({}), 1, _pairs())
    assert dict(zip(*result.people.to_pydict().values(), strict=True)) == {"a": 1, "b": 2, "c": 2}
    assert result.new_people == [1, 2] and result.retired == [] and result.events == []


def test_a_person_keeps_their_id_when_a_record_joins_them() -> None:
    pairs = _pairs(("a", "b", 0.999), ("b", "x", 0.999))
    clustering = cluster(_ids("a", "b", "c", "x"), pairs, [], UPPER)
    result = assign(clustering, _previous({"a": 7, "b": 7, "c": 9}), 10, pairs)
    people = dict(zip(*result.people.to_pydict().values(), strict=True))
    assert people == {"a": 7, "b": 7, "c": 9, "x": 7}
    assert result.new_people == [] and result.events == []


def test_merge_keeps_the_larger_persons_id_and_says_why() -> None:
    pairs = _pairs(("a", "b", 0.999), ("b", "c", 0.9951))
    clustering = cluster(_ids("a", "b", "c"), pairs, [], UPPER)
    result = assign(clustering, _previous({"a": 3, "b": 3, "c": 5}), 6, pairs)
    assert set(result.people["person_id"].to_pylist()) == {3}
    assert result.retired == [5]
    (event,) = result.events
    assert (event.kind, event.person, event.other, event.records) == ("merged", 3, 5, ("c",))
    assert "b = c" in event.reason and "0.9951" in event.reason


def test_tied_merge_keeps_the_older_id() -> None:
    pairs = _pairs(("a", "b", 0.999))
    clustering = cluster(_ids("a", "b"), pairs, [], UPPER)
    result = assign(clustering, _previous({"a": 8, "b": 4}), 9, pairs)
    assert set(result.people["person_id"].to_pylist()) == {4}
    assert result.retired == [8]


def test_split_by_decision_gives_the_smaller_part_a_new_id_with_the_decision_as_reason() -> None:
    pairs = _pairs(("a", "b", 0.995), ("b", "c", 0.999))
    decision = _different("a", "b")
    clustering = cluster(_ids("a", "b", "c"), pairs, [decision], UPPER)
    result = assign(clustering, _previous({"a": 1, "b": 1, "c": 1}), 2, pairs, [decision])
    people = dict(zip(*result.people.to_pydict().values(), strict=True))
    assert people == {"a": 2, "b": 1, "c": 1}
    assert result.new_people == [2] and result.retired == []
    (event,) = result.events
    assert (event.kind, event.person, event.other, event.records) == ("split", 2, 1, ("a",))
    assert "j.bloggs" in event.reason and "different people" in event.reason


def test_records_moving_between_existing_people_are_reported() -> None:
    # c leaves person 1 for person 2 when the model (after a retrain) links it there instead
    pairs = _pairs(("a", "b", 0.999), ("c", "d", 0.999), ("b", "c", 0.6))
    clustering = cluster(_ids("a", "b", "c", "d"), pairs, [], UPPER)
    result = assign(clustering, _previous({"a": 1, "b": 1, "c": 1, "d": 2}), 3, pairs)
    (event,) = result.events
    assert (event.kind, event.person, event.other, event.records) == ("moved", 2, 1, ("c",))
    assert "0.6000" in event.reason


def test_undoing_a_merge_gives_the_merged_persons_id_back() -> None:
    pairs = _pairs(("a", "b", 0.995), ("b", "c", 0.999))
    decision = _different("a", "b")
    clustering = cluster(_ids("a", "b", "c"), pairs, [decision], UPPER)
    former = _previous({"a": 9})  # a was merged away from person 9, now retired
    result = assign(clustering, _previous({"a": 1, "b": 1, "c": 1}), 10, pairs, [decision], former)
    people = dict(zip(*result.people.to_pydict().values(), strict=True))
    assert people == {"a": 9, "b": 1, "c": 1}
    assert result.revived == [9] and result.new_people == []
    (event,) = result.events
    assert (event.kind, event.person, event.other) == ("split", 9, 1)


def test_a_retired_id_is_not_revived_while_another_person_holds_it() -> None:
    clustering = cluster(_ids("a", "b"), _pairs(), [], UPPER)
    result = assign(clustering, _previous({"a": 9, "b": 9}), 10, _pairs(), [], _previous({"b": 9}))
    assert sorted(result.people["person_id"].to_pylist()) == [9, 10]
    assert result.revived == [] and result.new_people == [10]

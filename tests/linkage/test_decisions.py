"""The rules for link decisions, without a database: the hub passes in what it holds."""

from __future__ import annotations

import pytest

from safeguard.linkage.decisions import DecisionRefused, checked, conflict, pair, split_pairs
from safeguard.linkage.identity import Decision

PEOPLE = {"a:1": 1, "a:2": 1, "b:1": 2, "c:1": 3}
LINKED = set(PEOPLE)


def test_a_pair_is_two_records_in_order() -> None:
    assert pair(" b:1", "a:1 ") == ("a:1", "b:1")
    with pytest.raises(DecisionRefused, match="same person as itself"):
        pair("a:1", "a:1")


def test_a_decision_needs_a_reason_a_decider_and_linked_records() -> None:
    assert checked("b:1", "a:1", True, "same GP", "ann", LINKED, PEOPLE, []) == ("a:1", "b:1")
    with pytest.raises(DecisionRefused, match="give a reason"):
        checked("a:1", "b:1", True, " ", "ann", LINKED, PEOPLE, [])
    with pytest.raises(DecisionRefused, match="say who decides"):
        checked("a:1", "b:1", True, "why", "", LINKED, PEOPLE, [])
    with pytest.raises(DecisionRefused, match="no linked record x:9"):
        checked("a:1", "x:9", True, "why", "ann", LINKED, PEOPLE, [])


def test_joining_people_decided_different_is_refused_naming_the_decision() -> None:
    apart = Decision("a:2", "b:1", False, "twins", "bo", 7)
    # a:1 is the same person as a:2; joining a:1 to b:1 would join a:2 and b:1
    with pytest.raises(DecisionRefused, match="contradicting decision 7 by bo"):
        checked("a:1", "b:1", True, "why", "ann", LINKED, PEOPLE, [apart])
    # a "different" decision, or one about other people, is not blocked by it
    assert checked("a:1", "b:1", False, "why", "ann", LINKED, PEOPLE, [apart])
    assert checked("a:1", "c:1", True, "why", "ann", LINKED, PEOPLE, [apart])
    assert conflict(("a:1", "c:1"), [apart], PEOPLE) is None


def test_deciding_a_pair_again_is_not_blocked_by_its_own_earlier_decision() -> None:
    earlier = Decision("a:1", "b:1", False, "twins", "bo", 7)
    assert checked("a:1", "b:1", True, "same GP", "ann", LINKED, PEOPLE, [earlier])


def test_a_split_names_some_of_the_persons_records_never_all() -> None:
    members = {"a:1", "a:2", "b:1"}
    assert split_pairs(1, members, ["b:1"]) == [("a:1", "b:1"), ("a:2", "b:1")]
    with pytest.raises(DecisionRefused, match="every record"):
        split_pairs(1, members, list(members))
    with pytest.raises(DecisionRefused, match="not records of P1: z:1"):
        split_pairs(1, members, ["z:1"])
    with pytest.raises(DecisionRefused, match="name the records"):
        split_pairs(1, members, [])
    with pytest.raises(DecisionRefused, match="no person P4"):
        split_pairs(4, set(), ["a:1"])

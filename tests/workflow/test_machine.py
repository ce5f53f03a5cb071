"""The state-machine kernel and the finding disposition table, with no database."""

from __future__ import annotations

import pytest

from safeguard.access import policy
from safeguard.access.roles import Actor, Role
from safeguard.casework import finding
from safeguard.workflow.machine import Machine, MachineError, Transition

ANY = frozenset({Role.ANALYST})


def test_a_table_that_does_not_hang_together_is_refused() -> None:
    with pytest.raises(MachineError, match="unknown state 'gone'"):
        Machine("x", ("a",), "a", (Transition("a", "go", "gone", ANY, "Go"),))
    with pytest.raises(MachineError, match="listed twice"):
        Machine(
            "x",
            ("a", "b"),
            "a",
            (Transition("a", "go", "b", ANY, "Go"), Transition("a", "go", "a", ANY, "Go")),
        )
    with pytest.raises(MachineError, match="nobody may"):
        Machine("x", ("a", "b"), "a", (Transition("a", "go", "b", frozenset(), "Go"),))
    with pytest.raises(MachineError, match="initial state"):
        Machine("x", ("a",), "b", ())


def test_a_step_needs_the_transition_the_role_and_the_reason() -> None:
    m = finding.MACHINE
    assert m.step(finding.OPEN, "close", {Role.ANALYST}, "no concern")
    refused = m.step(finding.CLOSED, "close", {Role.ANALYST}, "again")
    assert not refused and "cannot close from closed (may: reopen)" in refused.decision.reason
    wrong_role = m.step(finding.OPEN, "explain", {Role.MASH_PRACTITIONER}, "driver")
    assert not wrong_role and "explain is for" in wrong_role.decision.reason
    no_reason = m.step(finding.OPEN, "investigate", {Role.MASH_PRACTITIONER}, "  ")
    assert not no_reason and "give a reason" in no_reason.decision.reason
    done = m.step(finding.OPEN, "investigate", {Role.MASH_PRACTITIONER}, "asked the CE unit")
    assert done.transition is not None and done.transition.target == finding.INVESTIGATING


def test_pages_are_offered_only_the_steps_a_role_may_take() -> None:
    m = finding.MACHINE
    practitioner = [t.action for t in m.actions(finding.OPEN, {Role.MASH_PRACTITIONER})]
    assert practitioner == ["investigate"]
    manager = [t.action for t in m.actions(finding.OPEN, {Role.MASH_MANAGER})]
    assert manager == ["investigate", "explain", "close"]
    assert m.towards(finding.EXPLAINED, finding.OPEN).action == "reopen"
    assert m.towards(finding.CLOSED, finding.INVESTIGATING) is None


def test_the_table_is_where_the_policy_learns_who_works_findings() -> None:
    assert policy.ALLOWED[policy.Action.DISPOSE_FINDING] == finding.MACHINE.roles()
    school = Actor("dsl", "cheshire-schools", frozenset({Role.SCHOOL_DSL}), True)
    refused = policy.step(school, policy.Action.DISPOSE_FINDING, finding.OPEN, "close", "why")
    assert not refused and "may not dispose_finding" in refused.reason
    police = Actor("pc", "cheshire-police", frozenset({Role.POLICE_OFFICER}), True)
    assert policy.step(police, policy.Action.DISPOSE_FINDING, finding.OPEN, "close", "why")


def test_the_finding_model_keeps_the_machines_states() -> None:
    from safeguard.hub.intelligence.models import Finding

    assert tuple(Finding.Status.values) == finding.MACHINE.states

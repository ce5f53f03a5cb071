"""The MACE meeting's pure half: who attends and records, an action's state machine (open to
done or cancelled, each with the reason), the configuration, and what is wrong with what is
sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguard.access import policy
from safeguard.access.policy import Action, Actor, Role
from safeguard.casework import mace

RULES = mace.load()
DAY = dt.date(2026, 12, 14)


def _actor(*roles: Role) -> Actor:
    return Actor("someone", "cheshire-police", frozenset(roles), True)


def test_an_action_is_open_until_done_or_cancelled_with_a_reason() -> None:
    m = mace.MACHINE
    assert m.step(mace.OPEN, "complete", {Role.HEALTH_LEAD}, "Seen at clinic").transition
    assert m.step(mace.OPEN, "complete", {Role.HEALTH_LEAD}, "").rule  # a reason is kept
    refused = m.step(mace.OPEN, "cancel", {Role.HEALTH_LEAD}, "no longer needed")
    assert not refused and not refused.rule  # only those who record cancel
    assert m.step(mace.OPEN, "cancel", {Role.POLICE_OFFICER}, "Not needed").transition
    for closed in (mace.DONE, mace.CANCELLED):
        again = m.step(closed, "complete", {Role.MASH_MANAGER}, "again")
        assert not again and again.rule
    assert [t.action for t in m.actions(mace.OPEN, {Role.STRATEGIC_LEAD})] == ["complete"]


def test_the_policy_reads_who_attends_and_who_records() -> None:
    for role in mace.ATTENDEES:
        assert policy.act(_actor(role), Action.VIEW_MACE)
        assert policy.route(_actor(role), "mace:action")
    for role in set(Role) - mace.ATTENDEES:
        assert not policy.act(_actor(role), Action.VIEW_MACE), role
        assert not policy.route(_actor(role), "mace:meetings"), role
    recorders = {r for r in Role if policy.act(_actor(r), Action.WORK_MACE)}
    assert recorders == {Role.MASH_MANAGER, Role.POLICE_OFFICER, Role.SOCIAL_WORKER}
    assert policy.step(_actor(Role.ANALYST), Action.WORK_MACE_ACTION, "open", "complete", "x")
    assert not policy.step(_actor(Role.ANALYST), Action.WORK_MACE_ACTION, "open", "cancel", "x")


def test_the_default_configuration_and_a_broken_one(tmp_path: Path) -> None:
    assert RULES.lookback_days == 28
    assert {"police", "childrens_social_care", "health", "licensing"} <= set(RULES.agencies)
    assert RULES.disruptions["cawn"].needs == "whom"
    assert RULES.disruptions["makesafe_taxi"].needs == "place"
    broken = tmp_path / "mace.toml"
    broken.write_text('name = "x"\nversion = "1"\nlookback_days = 0\n[agencies]\n')
    with pytest.raises(mace.RulesError) as wrong:
        mace.load(broken)
    assert "lookback_days" in str(wrong.value) and "agencies" in str(wrong.value)


def test_what_is_wrong_is_named_field_by_field() -> None:
    areas = {"cheshire_east", "halton"}
    assert mace.meeting_problems(DAY, ["halton"], areas, True, ["police"], RULES) == {}
    wrong = mace.meeting_problems(None, ["mars"], areas, False, [], RULES)
    assert set(wrong) == {"held_on", "areas", "chair", "attendees"}
    assert mace.decision_problems("talked", "") == {"decision": "Say what the meeting decided"}
    early = mace.action_problems("Visit", True, "police", DAY - dt.timedelta(1), DAY, RULES)
    assert early == {"due_on": "It cannot be due before the meeting"}
    assert mace.action_problems("Visit", True, "police", DAY, DAY, RULES) == {}
    ok = mace.disruption_problems("makesafe_taxi", DAY, DAY, False, True, "police", RULES)
    assert ok == {}
    needs = mace.disruption_problems("sro", DAY, DAY, False, True, "police", RULES)
    assert set(needs) == {"against"}
    either = mace.disruption_problems("other", DAY, DAY, False, False, "police", RULES)
    assert set(either) == {"against"}
    later = mace.disruption_problems("nope", DAY + dt.timedelta(1), DAY, True, True, "x", RULES)
    assert set(later) == {"kind", "on", "agency"}


def test_overdue_is_past_the_end_of_the_due_day_while_open() -> None:
    assert not mace.overdue(DAY, mace.OPEN, DAY)
    assert mace.overdue(DAY, mace.OPEN, DAY + dt.timedelta(1))
    assert not mace.overdue(DAY, mace.DONE, DAY + dt.timedelta(5))

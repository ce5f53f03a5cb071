"""The MASH's rules without a database: the contact's table, its next due time, re-referrals
over month ends, the delivery intake window, outcomes that may not be combined, what a
contact must say, and the vocabulary checked whole."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.access.roles import Role
from safeguard.casework import check, contact
from safeguard.casework.intake import Intake, Named, problems
from safeguard.casework.vocabulary import VocabularyError, load, parse
from safeguard.timescales import load as load_timescales

V = load()
NOW = dt.datetime(2026, 12, 7, 10, 0)
AT = dt.datetime


def test_the_contact_table_says_who_may_do_what_from_where() -> None:
    m = contact.MACHINE
    assert m.step(contact.RECEIVED, "rate", {Role.MASH_PRACTITIONER}, "risk")
    assert not m.step(contact.RECEIVED, "rate", {Role.MASH_PRACTITIONER}, " ").decision.allowed
    practitioner = m.step(contact.RATED, "decide", {Role.MASH_PRACTITIONER}, "done")
    assert not practitioner and not practitioner.rule  # a role the step is not for: 403
    early = m.step(contact.RECEIVED, "decide", {Role.MASH_MANAGER}, "done")
    assert not early and early.rule  # no such step from here: 400
    assert m.step(contact.ROUTED, "decide", {Role.SOCIAL_WORKER}, "in the plan")
    assert not m.step(contact.RECEIVED, "rate", {Role.SOCIAL_WORKER}, "x")
    assert check.MACHINE.step(check.REQUESTED, "answer", {Role.HEALTH_LEAD})
    assert not check.MACHINE.step(check.ANSWERED, "answer", {Role.HEALTH_LEAD})
    assert not check.MACHINE.step(check.REQUESTED, "withdraw", {Role.POLICE_OFFICER}, "x")


def test_the_next_due_time_is_the_sooner_clock_still_running() -> None:
    decision, checks = AT(2026, 12, 8), AT(2026, 12, 7, 13)
    assert contact.next_due(contact.CHECKING, decision, checks) == checks
    assert contact.next_due(contact.CHECKING, decision, None) == decision  # all answered
    assert contact.next_due(contact.DECIDED, decision, checks) is None


def test_a_re_referral_is_within_12_months_before_counting_month_ends() -> None:
    leap = AT(2028, 2, 29, 12)
    assert contact.re_referral(AT(2029, 2, 28, 12), [leap], 12) == leap
    assert contact.re_referral(AT(2029, 3, 1, 12), [leap], 12) is None
    assert contact.re_referral(AT(2026, 12, 7), [AT(2025, 12, 7), AT(2026, 6, 1)], 12) == AT(
        2026, 6, 1
    )
    assert contact.re_referral(AT(2026, 12, 7), [AT(2026, 12, 8)], 12) is None  # later: no


def test_a_delivered_contact_joins_the_queue_only_while_it_is_new_work() -> None:
    assert contact.live(NOW - dt.timedelta(days=6), NOW, 7)
    assert not contact.live(NOW - dt.timedelta(days=8), NOW, 7)
    assert not contact.live(NOW + dt.timedelta(days=2), NOW, 7)


def test_no_further_action_stands_alone() -> None:
    assert contact.outcomes_problem(["nfa"], V) == ""
    assert "cannot be combined" in contact.outcomes_problem(["nfa", "mace"], V)
    assert contact.outcomes_problem([], V) == "choose at least one outcome"
    assert "unknown outcome" in contact.outcomes_problem(["jail"], V)
    assert contact.allocates(["strategy_discussion"], V)
    assert not contact.allocates(["early_help", "mace"], V)


def _intake(**over: object) -> Intake:
    values: dict[str, object] = {
        "received_at": NOW,
        "route": "web",
        "source": "2A",
        "summary": "worried",
        "factors": ("11A",),
        "named": (Named(kind="child", main=True, name="Jay"),),
    }
    values.update(over)
    return Intake(**values)  # type: ignore[arg-type]


def test_what_a_contact_must_say_is_checked_field_by_field() -> None:
    assert problems(_intake(), V, NOW, ("halton",)) == {}
    wrong = problems(
        _intake(
            source="99",
            summary="x" * 20_001,
            factors=(),
            council_area="narnia",
            anonymity="loud",
            named=(
                Named(kind="child", main=True, dob=dt.date(2030, 1, 1), name="Jay"),
                Named(kind="alien"),
            ),
        ),
        V,
        NOW,
        ("halton",),
    )
    assert set(wrong) == {
        "source",
        "summary",
        "factors",
        "council_area",
        "anonymity",
        "named.0.dob",
        "named.1.kind",
        "named.1.name",
    }
    two = (Named(main=True, name="A"), Named(main=True, name="B"))
    assert "named" in problems(_intake(named=two), V, NOW, ())


def test_the_vocabulary_is_checked_whole_and_its_clocks_must_exist(tmp_path) -> None:  # type: ignore[no-untyped-def]
    V.check_clocks(load_timescales())
    with pytest.raises(VocabularyError) as bad:
        parse({"name": "x", "version": "1", "re_referral_months": 0}, "mine.toml")
    text = str(bad.value)
    assert "mine.toml" in text and "re_referral_months" in text and "ratings" in text
    broken = tmp_path / "mash.toml"
    broken.write_text("name = [")
    with pytest.raises(VocabularyError, match=r"mash\.toml"):
        load(broken)
    data = V.model_dump(exclude={"source"})
    data["ratings"]["red"]["clock"] = "mash_purple"
    odd = parse(data)
    with pytest.raises(VocabularyError, match="mash_purple"):
        odd.check_clocks(load_timescales())
    data = V.model_dump(exclude={"source"})
    data["delivered_categories"]["missing"] = "99Z"
    with pytest.raises(VocabularyError, match="99Z"):
        parse(data)

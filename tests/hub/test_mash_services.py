"""The MASH front door's services on a real database: a contact from arrival to decision,
its clocks across weekends and bank holidays, re-referrals, open cases, bad input, checks
answered only by their own agency, the overdue sweep, and delivered contacts joining the
queue. Every change is audited with its typed event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel
from safeguard.access.roles import Role
from safeguard.casework import contact as table
from safeguard.casework.intake import Intake, Named
from safeguard.hub.accounts.models import Team
from safeguard.hub.alerts.models import Alert
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.deliveries.models import Agency
from safeguard.hub.mash import clocks, services
from safeguard.hub.mash.models import Allocation, CheckRequest, Contact, Subject
from safeguard.hub.mash.queries import QueueFilters
from safeguard.timescales.deadline import LONDON
from tests.callers import caller
from tests.hub.conftest import _record, loaded_delivery

pytestmark = pytest.mark.django_db


def _as(user: Any, channel: Channel = Channel.WEB) -> Caller:
    return Caller(user.actor(verified=True), channel)


def _intake(**over: Any) -> Intake:
    values: dict[str, Any] = {
        "received_at": timezone.now() - dt.timedelta(minutes=5),
        "route": "web",
        "source": "2A",
        "summary": "Katie was collected from school by an older man in a car.",
        "factors": ("11A",),
        "named": (Named(kind="child", main=True, name="Katie Smith", person=1),),
        "seen": "I saw her get into a silver car.",
        "consent": "not_sought",
    }
    values.update(over)
    return Intake(**values)


@pytest.fixture
def staff(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    return {
        "school": make_user("dsl", "school_dsl", agency="cheshire-schools"),
        "mash": make_user("mash", "mash_practitioner", agency="cheshire-east-cs"),
        "manager": make_user("boss", "mash_manager", agency="cheshire-east-cs"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
        "health": make_user("nurse", "health_lead", agency="cheshire-nhs"),
    }


def _events() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_a_contact_goes_from_arrival_to_decision_with_every_step_audited(staff: Any) -> None:
    found = services.receive(_as(staff["school"]), _intake())
    assert found.reference and found.reference.startswith("MASH-")
    assert found.status == table.RECEIVED and found.person_id == 1
    assert found.decision_due == clocks.due("referral_decision", found.received_at)
    assert found.next_due == found.decision_due

    rated = services.rate(_as(staff["mash"]), found.reference, "red", "older man, car, CSE")
    assert rated.checks_due == clocks.due("mash_red", rated.rated_at)
    assert rated.owner.username == "mash"
    red = Alert.objects.filter(kind="red").values_list("owner__username", flat=True)
    assert set(red) == {"boss", "mash"}

    asked = services.ask(
        _as(staff["mash"]),
        found.reference,
        ["cheshire-police", "cheshire-nhs"],
        "safeguarding",
        "Anything on Katie or the car?",
        consent_reason="Asking the family could put Katie at risk",
    )
    assert asked.status == table.CHECKING
    assert asked.next_due == min(asked.decision_due, asked.checks_due)
    police = CheckRequest.objects.get(agency_id="cheshire-police")
    nhs = CheckRequest.objects.get(agency_id="cheshire-nhs")
    with pytest.raises(Refusal) as other:
        services.answer(_as(staff["police"]), nhs.pk, "We hold nothing", False)
    assert "no check" in other.value.reason  # another agency's check is not theirs to see
    services.answer(_as(staff["police"]), police.pk, "Missing twice; found with an adult", True)
    services.answer(_as(staff["health"]), nhs.pk, "Sexual health clinic attendance", True)
    after = Contact.objects.get(pk=found.pk)
    assert after.next_due == after.decision_due  # the checks clock stopped when all answered
    assert Alert.objects.filter(kind="checks_in", owner__username="mash").exists()

    with pytest.raises(Refusal) as practitioner:
        services.decide(_as(staff["mash"]), found.reference, ["nfa"], "no", "safeguarding")
    assert practitioner.value.status == 403  # deciding is for MASH managers
    team = Team.named("cheshire-east-cs", "Child Exploitation Team")
    decided = services.decide(
        _as(staff["manager"]),
        found.reference,
        ["strategy_discussion", "mace"],
        "Reasonable cause to suspect significant harm",
        "safeguarding",
        team_id=team.pk,
    )
    assert decided.status == table.DECIDED and decided.next_due is None
    assert Allocation.objects.get(person_id=1, closed_at=None).team == team
    assert Alert.objects.filter(kind="feedback", owner__username="dsl").exists()
    assert "Strategy discussion" in decided.feedback
    kinds = _events()
    for expected in (
        "contact_received",
        "contact_rated",
        "checks_requested",
        "check_answered",
        "contact_decided",
    ):
        assert expected in kinds
    assert kinds.count("refused") == 2
    history = [s.action for s in decided.steps.all()]
    assert history == [
        "received",
        "rate",
        "request_checks",
        "check_answered",
        "check_answered",
        "decide",
    ]


def test_clocks_skip_weekends_and_bank_holidays() -> None:
    friday = dt.datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)
    assert clocks.due("referral_decision", friday) == dt.datetime(2026, 12, 8, tzinfo=LONDON)
    assert clocks.due("mash_red", friday) == dt.datetime(2026, 12, 7, 12, 0, tzinfo=LONDON)
    christmas_eve = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)
    # 25th Christmas, 26th-27th weekend, 28th the substitute Boxing Day: due end of the 29th
    assert clocks.due("referral_decision", christmas_eve) == dt.datetime(
        2026, 12, 30, tzinfo=LONDON
    )


def test_a_contact_left_past_its_time_is_overdue_in_the_queue_and_alerts_once(
    staff: Any,
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=10)
    found = services.receive(_as(staff["school"]), _intake(received_at=long_ago))
    total, rows = services.queue(_as(staff["mash"]), QueueFilters(status="overdue"))
    assert total == 1 and rows[0].reference == found.reference and rows[0].overdue
    job = Caller(staff["manager"].actor(verified=True), Channel.JOB)
    first = services.sweep(job)
    assert first["overdue"] == 1 and first["newly_told"] == 1
    assert services.sweep(job)["newly_told"] == 0  # told once per due time
    assert _events().count("clock_overdue") == 1
    assert Alert.objects.filter(kind="overdue", owner__username="boss").count() == 1
    load = services.load(_as(staff["manager"]))
    assert [r.reference for r in load.overdue] == [found.reference]


def test_a_re_referral_within_12_months_is_flagged(staff: Any) -> None:
    first = services.receive(
        _as(staff["school"]), _intake(received_at=timezone.now() - dt.timedelta(days=200))
    )
    second = services.receive(_as(staff["school"]), _intake())
    assert second.previous == first.reference and second.previous_at == first.received_at
    third = services.receive(
        _as(staff["school"]),
        _intake(named=(Named(kind="child", main=True, name="John Brown", person=3),)),
    )
    assert third.previous_at is None


def test_a_child_with_an_open_case_goes_to_the_allocated_team(staff: Any, make_user: Any) -> None:
    team = Team.named("cheshire-west-cs", "Children in Care")
    worker = make_user("sw", "social_worker", agency="cheshire-west-cs")
    worker.team = team
    worker.save()
    Allocation.objects.create(
        person_id=1, team=team, opened_at=timezone.now(), reason="looked after", by="test"
    )
    found = services.receive(_as(staff["school"]), _intake())
    assert found.status == table.ROUTED and found.team == team
    assert Alert.objects.filter(kind="routed", owner=worker).exists()
    view = services.contact(_as(worker), found.reference)
    assert view.may("decide")
    with pytest.raises(Refusal):  # the MASH's own queue is not the team's
        services.contact(_as(make_user("other-sw", "social_worker")), found.reference)
    services.decide(_as(worker), found.reference, ["assessment"], "in the plan", "safeguarding")
    assert Contact.objects.get(pk=found.pk).status == table.DECIDED


def test_bad_input_is_refused_field_by_field_and_nothing_is_kept(staff: Any) -> None:
    bad = _intake(
        summary=" ",
        factors=("99Z",),
        named=(Named(kind="adult", main=True, name=""),),
        received_at=timezone.now() + dt.timedelta(days=1),
    )
    with pytest.raises(Refusal) as refused:
        services.receive(_as(staff["school"]), bad)
    problems = refused.value.problems
    assert {"summary", "factors", "named", "named.0.name", "received_at"} <= set(problems)
    assert Contact.objects.count() == 0 and Subject.objects.count() == 0
    assert _events() == ["refused"]


def test_a_contact_naming_an_unknown_child_lands_and_is_linked_later(staff: Any) -> None:
    found = services.receive(
        _as(staff["school"]),
        _intake(named=(Named(kind="child", main=True, name="Jayden Unknown", age="about 14"),)),
    )
    assert found.person_id is None and found.child_name == "Jayden Unknown"
    subject = found.subjects.get()
    services.link(_as(staff["mash"]), found.reference, subject.pk, 2)
    assert Contact.objects.get(pk=found.pk).person_id == 2
    with pytest.raises(Refusal):  # a school lead may raise contacts, not say who people are
        services.link(_as(staff["school"]), found.reference, subject.pk, 2)


def test_delivered_contacts_still_new_join_the_queue_once(staff: Any) -> None:
    council = Agency.objects.create(code="halton-cs", name="Halton")
    delivery = loaded_delivery(council)
    now = timezone.localtime()
    recent = (now - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S")
    old = (now - dt.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%S")
    for rid, when in (("C-1", recent), ("C-2", old)):
        _record(
            council,
            delivery,
            "contacts",
            rid,
            "HAL-9",
            when,
            person_id="HAL-9",
            received_at=when,
            referrer_agency="police",
            concern_categories="sexual_exploitation;missing",
            text="Seen with older males at a takeaway late at night.",
        )
    operator = caller(Role.DATA_OPERATOR, username="op")
    done = services.take_delivered(operator)
    assert done == {"taken": 1, "refused": 0}
    taken = Contact.objects.get()
    assert taken.source == "6" and taken.factors == ["11A", "10A"]
    assert taken.route == "delivery" and taken.person_id is None  # linked when people are
    assert services.take_delivered(operator)["taken"] == 0


def test_a_case_decided_for_a_child_not_yet_known_opens_when_they_are(staff: Any) -> None:
    unknown = (Named(kind="child", main=True, name="Jayden Unknown", age="14"),)
    found = services.receive(_as(staff["school"]), _intake(named=unknown))
    ref = found.reference or ""
    services.rate(_as(staff["mash"]), ref, "amber", "possible CSE")
    team = Team.named("halton-cs", "Children's social care")
    with pytest.raises(Refusal, match="choose the team"):
        services.decide(_as(staff["manager"]), ref, ["assessment"], "assess", "safeguarding")
    services.decide(
        _as(staff["manager"]), ref, ["assessment"], "assess", "safeguarding", team_id=team.pk
    )
    assert Contact.objects.get(pk=found.pk).team == team and not Allocation.objects.exists()
    services.link(_as(staff["mash"]), ref, found.subjects.get().pk, 2)
    assert Allocation.objects.get(closed_at=None).person_id == 2


def test_the_mash_sends_a_contact_to_the_open_case_or_takes_it_back(staff: Any) -> None:
    found = services.receive(_as(staff["school"]), _intake())
    ref = found.reference or ""
    with pytest.raises(Refusal, match="no open case"):
        services.route(_as(staff["mash"]), ref, "allocated")
    team = Team.named("cheshire-west-cs", "Children in Care")
    Allocation.objects.create(
        person_id=1, team=team, opened_at=timezone.now(), reason="looked after", by="test"
    )
    routed = services.route(_as(staff["mash"]), ref, "child is looked after")
    assert routed.status == table.ROUTED and routed.team == team
    back = services.take_back(_as(staff["mash"]), ref, "needs a MASH view: CSE")
    assert back.status == table.RECEIVED and back.team is None
    assert _events().count("contact_routed") == 2

"""MACE meetings through their services on a real database: the agenda built for a meeting
(children at risk in its areas not discussed lately, referrals from the MASH, open findings,
places of concern; each citing why) in a few queries however many children; items added by
hand; decisions; actions through their state machine, with the overdue alert sent once;
disruption counted by type, month and area; and need to know for what findings say. Every
change and view is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel
from safeguard.access.roles import Actor
from safeguard.hub.alerts.models import Alert
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.intelligence.models import AnalysisRun, Finding, Screening
from safeguard.hub.mace import queries, services
from safeguard.hub.mace.models import Item, MeetingAction
from safeguard.hub.mash.models import Contact
from safeguard.hub.people.models import LinkRun, Person, PersonRecord

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _as(user: Any) -> Caller:
    return Caller(user.actor(verified=True), Channel.WEB)


@pytest.fixture
def cast(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    return {
        "manager": make_user("chair", "mash_manager", agency="cheshire-east-cs"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
        "sw": make_user("sw", "social_worker", agency="halton-cs"),
        "health": make_user("nurse", "health_lead", agency="cheshire-nhs"),
        "lead": make_user("lead", "strategic_lead", agency="cheshire-east-cs"),
        "school": make_user("dsl", "school_dsl", agency="cheshire-schools"),
    }


def _run() -> AnalysisRun:
    return AnalysisRun.objects.create(
        started_at=timezone.now(), as_of=TODAY(), catalogue="test", summary={}
    )


def _screen(run: AnalysisRun, person: int, score: int, at_risk: bool = True) -> None:
    band = "significant" if score >= 16 else "moderate" if score >= 11 else "mild"
    Screening.objects.create(
        run=run,
        person_id=person,
        assessed_on=dt.date(2026, 10, 31),
        age=14,
        score=score,
        band_by_score=band,
        band=band,
        at_risk=at_risk,
        referral=at_risk,
        disclosed=False,
        reasons=[],
        catalogue="test",
    )


def _finding(run: AnalysisRun, key: str, kind: str, members: list[dict[str, str]], **kw: Any):
    return Finding.objects.create(
        key=key,
        kind=kind,
        anchor=kw.pop("anchor", members[0]["node"]),
        summary=kw.pop("summary", f"{kind} finding {key}"),
        at_risk_children=1,
        strength=2.0,
        members=members,
        evidence=[],
        first_run=run,
        last_run=run,
        **kw,
    )


def _person(pk: int, *agencies: str) -> None:
    Person.objects.create(pk=pk, created_run=LinkRun.objects.first())
    for a in agencies:
        PersonRecord.objects.create(
            unique_id=f"{a}:R{pk}",
            agency=a,
            record_id=f"R{pk}",
            person_id=pk,
            run=LinkRun.objects.first(),
        )


def _referral(reference: str, person: int | None, area: str, days_ago: int) -> Contact:
    at = timezone.now() - dt.timedelta(days=days_ago)
    return Contact.objects.create(
        reference=reference,
        received_at=at,
        route="web",
        source="6",
        anonymity="named",
        council_area=area,
        summary="Seen getting into cars with older men",
        status="decided",
        decision_due=at,
        decided_at=at,
        decided_by="chair",
        outcomes=["police_action", "mace"],
        person_id=person,
        child_name="" if person else "Jay",
    )


@pytest.fixture
def partnership(cast: Any) -> dict[str, Any]:
    """Katie (P1) known to Cheshire East's council and at risk; Kate (P2) known to Halton's
    and at risk; John (P3) known to no council and at risk; P4 screened but not at risk.
    Findings: an adult's and a group's (open, under investigation), a place's, one closed and
    one the latest analysis no longer found. Referrals: Kate (area not known) and an unnamed
    child in Cheshire East."""
    for person, agency in ((1, "cheshire-east-cs"), (2, "halton-cs")):
        PersonRecord.objects.create(
            unique_id=f"{agency}:C{person}",
            agency=agency,
            record_id=f"C{person}",
            person_id=person,
            run=LinkRun.objects.first(),
        )
    _person(4, "cheshire-east-cs")
    run = _run()
    for person, score, risky in ((1, 18, True), (2, 12, True), (3, 11, True), (4, 3, False)):
        _screen(run, person, score, risky)
    adult = [{"node": "P:77", "role": "adult"}, {"node": "P:1", "role": "at-risk child"}]
    _finding(run, "adult-1", "adult", adult, summary="adult P:77 linked to 2 children")
    _finding(
        run,
        "place-1",
        "place",
        [{"node": "L:WA1 1AA", "role": "place"}],
        summary="3 missing children found at WA1 1AA, 2 at risk",
    )
    group = [
        *adult,
        {"node": "L:CW1 3XY", "role": "place"},
        {"node": "V:AB12CDE", "role": "object"},
    ]
    _finding(run, "group-1", "group", group, status="under_investigation")
    _finding(run, "closed-1", "adult", adult, status="closed")
    _finding(run, "gone-1", "adult", adult, active=False)
    _referral("C-2026-000001", 2, "", 3)
    _referral("C-2026-000002", None, "cheshire_east", 2)
    _referral("C-2026-000003", 2, "halton", 2)  # another area's meeting
    return cast


def _meeting(who: Any, on: dt.date, *areas: str) -> int:
    plan = services.Plan(on, areas or ("cheshire_east",), "chair", ("police", "health"))
    return services.schedule(_as(who), plan).pk


def test_the_agenda_is_built_for_the_meeting_and_cites_why(partnership: Any) -> None:
    manager = _as(partnership["manager"])
    meeting = _meeting(partnership["manager"], TODAY())
    assert Alert.objects.filter(kind="mace_chair", owner=partnership["manager"]).exists()
    assert services.build(manager, meeting) == 8
    items = {i.subject: i for i in Item.objects.filter(meeting_id=meeting)}
    assert set(items) == {
        "P:1",  # at risk, Cheshire East
        "P:3",  # at risk, no council knows them
        "P:2",  # referred (area not known), though Halton's at-risk children are not here
        "C:C-2026-000002",  # referred, not yet named
        "F:adult-1",
        "F:group-1",
        "L:WA1 1AA",  # a place finding
        "L:CW1 3XY",  # a place of the group finding
    }
    assert items["P:1"].title == "Katherine Smith" and items["P:1"].area == "cheshire_east"
    assert items["P:1"].reasons == ["At risk: screened significant (score 18) on 31 October 2026"]
    assert items["P:2"].sources == ["referral"]
    assert items["P:2"].reasons[0].startswith("Referred by the MASH: contact C-2026-000001")
    assert "group finding group-1 (under investigation)" in items["L:CW1 3XY"].reasons[0]
    assert items["F:adult-1"].intelligence and items["L:WA1 1AA"].intelligence
    assert not items["P:1"].intelligence
    ranks = [i.subject for i in Item.objects.filter(meeting_id=meeting)]
    assert ranks[:2] == ["P:2", "C:C-2026-000002"]  # referrals first, then by risk
    assert services.build(manager, meeting) == 0  # again: nothing new
    built = AuditEvent.objects.filter(action="agenda_built").order_by("pk")
    assert [e.target for e in built] == [
        f"meeting {meeting}: 8 items added -> P1,P2,P3",
        f"meeting {meeting}: 0 items added",
    ]


def test_building_an_agenda_takes_the_same_few_queries_for_many_children(
    partnership: Any,
) -> None:
    manager = _as(partnership["manager"])
    first = _meeting(partnership["manager"], TODAY())
    with CaptureQueriesContext(connection) as few:
        services.build(manager, first)
    run = _run()
    for pk in range(100, 160):
        _person(pk, "cheshire-east-cs")
        _screen(run, pk, 16)
    second = _meeting(partnership["manager"], TODAY(), "cheshire_east", "warrington")
    with CaptureQueriesContext(connection) as many:
        assert services.build(manager, second) == 60 + 8
    # the same queries (the items' insert may take a second batch), not one per child
    assert len(few.captured_queries) <= len(many.captured_queries) <= len(few.captured_queries) + 1
    assert len(many.captured_queries) <= 25


def test_children_discussed_lately_wait_and_referrals_stay_until_heard(partnership: Any) -> None:
    manager = _as(partnership["manager"])
    lookback = queries.rules().lookback_days
    earlier = _meeting(
        partnership["manager"], TODAY() - dt.timedelta(days=10), "cheshire_east", "halton"
    )
    services.build(manager, earlier)
    for subject in ("P:1", "P:2", "F:adult-1"):
        item = Item.objects.get(meeting_id=earlier, subject=subject)
        services.decide(manager, item.pk, "Discussed", "Keep under review")
    now = _meeting(partnership["manager"], TODAY())
    services.build(manager, now)
    subjects = set(Item.objects.filter(meeting_id=now).values_list("subject", flat=True))
    assert "P:1" not in subjects and "F:adult-1" not in subjects  # discussed 10 days ago
    assert "P:2" in subjects  # referred 3 days ago: heard before the referral, so not yet
    kate = Item.objects.get(meeting_id=now, subject="P:2")
    services.decide(manager, kate.pk, "Discussed the referral", "Disruption plan")
    later = _meeting(
        partnership["manager"],
        TODAY() + dt.timedelta(days=lookback + 11),
        "cheshire_east",
        "halton",
    )
    services.build(manager, later)
    subjects = set(Item.objects.filter(meeting_id=later).values_list("subject", flat=True))
    assert {"P:1", "F:adult-1"} <= subjects  # back after the lookback
    assert "C:C-2026-000002" in subjects  # never heard
    assert Item.objects.get(meeting_id=later, subject="P:2").sources == ["screening"]


def test_items_are_added_by_hand_with_a_reason(partnership: Any) -> None:
    manager, sw = _as(partnership["manager"]), _as(partnership["sw"])
    meeting = _meeting(partnership["manager"], TODAY())
    child = services.add(manager, meeting, services.Addition("child", "Brother of P1", person=3))
    assert child.title == "John Brown" and child.reasons == ["Added by chair: Brother of P1"]
    with pytest.raises(Refusal) as twice:
        services.add(manager, meeting, services.Addition("child", "again", person=3))
    assert twice.value.problems == {"person": "That is on the agenda already"}
    with pytest.raises(Refusal) as bad:
        services.add(manager, meeting, services.Addition("child", " ", person=999))
    assert set(bad.value.problems) == {"person", "reason"}
    with pytest.raises(Refusal) as not_hers:  # a social worker does not read intelligence
        services.add(sw, meeting, services.Addition("finding", "seen it", finding_key="adult-1"))
    assert "police, the MASH and analysts" in not_hers.value.problems["finding_key"]
    found = services.add(
        _as(partnership["police"]),
        meeting,
        services.Addition("finding", "Growing network", finding_key="adult-1"),
    )
    assert found.intelligence and found.subject == "F:adult-1"
    place = services.add(
        sw, meeting, services.Addition("place", "Kids hang out", place="  Kebab  Hut ")
    )
    assert place.subject == "L:KEBAB HUT" and not place.intelligence
    with pytest.raises(Refusal):  # a school lead does not record for MACE meetings
        services.add(
            _as(partnership["school"]),
            meeting,
            services.Addition("place", "x", place="Park"),
        )
    assert AuditEvent.objects.filter(action="agenda_item_added").count() == 3


def test_decisions_and_actions_through_their_state_machine(partnership: Any) -> None:
    manager, police = _as(partnership["manager"]), _as(partnership["police"])
    meeting = _meeting(partnership["manager"], TODAY())
    item = services.add(manager, meeting, services.Addition("child", "referred", person=1))
    with pytest.raises(Refusal) as empty:
        services.decide(manager, item.pk, "", " ")
    assert set(empty.value.problems) == {"summary", "decision"}
    services.decide(manager, item.pk, "Police and school share concerns", "CAWN; Makesafe")
    with pytest.raises(Refusal) as wrong:
        services.set_action(
            manager,
            item.pk,
            services.Task("Serve the CAWN", "dsl", "nowhere", TODAY() - dt.timedelta(days=1)),
        )
    assert set(wrong.value.problems) == {"owner", "agency", "due_on"}
    due = TODAY() + dt.timedelta(days=7)
    action = services.set_action(
        manager, item.pk, services.Task("Serve the CAWN on 'Dev'", "pc", "police", due)
    )
    assert Alert.objects.filter(kind="mace_action", owner=partnership["police"]).exists()
    other = services.set_action(
        manager, item.pk, services.Task("Health check", "nurse", "health", due)
    )
    with pytest.raises(Refusal) as not_theirs:  # the health lead does not own this one
        services.step(_as(partnership["health"]), action.pk, "complete", "done it")
    assert not not_theirs.value.rule
    with pytest.raises(Refusal, match="give a reason"):
        services.step(police, action.pk, "complete", "  ")
    with pytest.raises(Refusal):  # an owner who does not record may not cancel
        services.step(_as(partnership["health"]), other.pk, "cancel", "not needed")
    done = services.step(police, action.pk, "complete", "Served on 12 December")
    assert done.status == "done" and done.closed_by == "pc"
    with pytest.raises(Refusal, match="cannot complete from done"):
        services.step(police, action.pk, "complete", "again")
    services.step(manager, other.pk, "cancel", "Seen by her GP already")
    assert MeetingAction.objects.get(pk=other.pk).status == "cancelled"
    made = list(AuditEvent.objects.filter(allowed=True).values_list("action", flat=True))
    assert made.count("mace_action_set") == 2 and made.count("mace_action_stepped") == 2
    assert made.count("item_decided") == 1


def test_an_overdue_action_alerts_its_owner_once(partnership: Any) -> None:
    manager = _as(partnership["manager"])
    meeting = _meeting(partnership["manager"], TODAY() - dt.timedelta(days=14))
    item = services.add(manager, meeting, services.Addition("child", "referred", person=1))
    late = services.set_action(
        manager, item.pk, services.Task("Visit", "pc", "police", TODAY() - dt.timedelta(days=1))
    )
    services.set_action(
        manager, item.pk, services.Task("Check", "nurse", "health", TODAY() + dt.timedelta(days=1))
    )
    closed = services.set_action(
        manager,
        item.pk,
        services.Task("Call", "sw", "childrens_social_care", TODAY() - dt.timedelta(days=2)),
    )
    services.step(manager, closed.pk, "complete", "Called")
    watch = Caller(Actor.of_installation("watch"), Channel.JOB)
    assert services.sweep(watch) == {"newly_told": 1}
    assert services.sweep(watch) == {"newly_told": 0}
    told = Alert.objects.filter(kind="mace_action_overdue")
    assert [(a.owner.username, a.url) for a in told] == [("pc", f"/mace/actions/{late.pk}/")]
    overdue = AuditEvent.objects.get(action="clock_overdue")
    assert (
        overdue.target.startswith(f"MACE action {late.pk}: mace_action_due")
        and "pc" in overdue.target
    )
    mine = queries.counts(partnership["police"].actor(verified=True), TODAY())
    assert mine == {"actions": 1, "overdue": 1}
    lines = services.reads.actions(_as(partnership["police"]), "overdue")
    assert [(x.action.pk, x.standing) for x in lines] == [(late.pk, "overdue")]


def test_disruption_is_recorded_and_counted_by_type_month_and_area(partnership: Any) -> None:
    manager, police = _as(partnership["manager"]), _as(partnership["police"])
    meeting = _meeting(partnership["manager"], TODAY())
    item = services.add(manager, meeting, services.Addition("child", "referred", person=1))
    with pytest.raises(Refusal) as bad:
        services.record(
            police, services.Disrupt("makesafe_hotel", TODAY() + dt.timedelta(1), "nobody")
        )
    assert set(bad.value.problems) == {"on", "agency", "place"}
    with pytest.raises(Refusal) as whom:
        services.record(police, services.Disrupt("cawn", TODAY(), "police", place="Hotel"))
    assert set(whom.value.problems) == {"against"}
    cawn = services.record(
        police, services.Disrupt("cawn", TODAY(), "police", against_person=3, item=item.pk)
    )
    assert cawn.meeting_id == meeting and cawn.area == "cheshire_east"  # the meeting's one area
    services.record(
        police,
        services.Disrupt(
            "makesafe_hotel", TODAY(), "police", place="Travel Inn, WA1", area="warrington"
        ),
    )
    last_month = TODAY().replace(day=1) - dt.timedelta(days=1)
    services.record(manager, services.Disrupt("sro", last_month, "police", against="'Dev', 24"))
    figures = queries.figures(services.reads.figures(_as(partnership["lead"])))
    assert figures.totals["cawn"] == 1 and figures.totals["makesafe_hotel"] == 1
    assert figures.total == 3 and figures.totals["shpo"] == 0
    rows = {(r.month, r.area): r.by_kind for r in figures.rows}
    this = TODAY().strftime("%Y-%m")
    assert rows[(this, "cheshire_east")] == {"cawn": 1}
    assert rows[(this, "warrington")] == {"makesafe_hotel": 1}
    assert rows[(last_month.strftime("%Y-%m"), "")] == {"sro": 1}
    only = services.reads.figures(_as(partnership["lead"]), "warrington")
    assert [(t.kind, t.count) for t in only] == [("makesafe_hotel", 1)]
    recorded = AuditEvent.objects.filter(action="disruption_recorded")
    assert recorded.count() == 3 and recorded.filter(person_id=3).count() == 1


def test_finding_details_are_for_intelligence_readers_only(partnership: Any) -> None:
    manager = _as(partnership["manager"])
    meeting = _meeting(partnership["manager"], TODAY())
    services.build(manager, meeting)
    police = services.reads.meeting(_as(partnership["police"]), meeting)
    health = services.reads.meeting(_as(partnership["health"]), meeting)
    lead = services.reads.meeting(_as(partnership["lead"]), meeting)

    def shown(view: queries.MeetingView) -> dict[str, queries.ItemLine]:
        return {i.item.subject: i for _, _, items in view.groups for i in items}

    adult = shown(police)["F:adult-1"]
    assert adult.title == "Adult P:77" and "adult P:77 linked to 2 children" in adult.reasons[0]
    for view in (health, lead):
        lines = shown(view)
        for subject in ("F:adult-1", "F:group-1", "L:WA1 1AA", "L:CW1 3XY"):
            assert lines[subject].withheld
            assert "P:77" not in lines[subject].title + " ".join(lines[subject].reasons)
            assert "WA1" not in lines[subject].title + " ".join(lines[subject].reasons)
        assert lines["P:1"].title == "Katherine Smith"  # the children are the meeting's
    item = Item.objects.get(meeting_id=meeting, subject="F:adult-1")
    assert services.reads.item(_as(partnership["health"]), item.pk).line.withheld
    with pytest.raises(Refusal):  # a school lead does not attend
        services.reads.meeting(_as(partnership["school"]), meeting)
    with pytest.raises(Refusal):
        services.reads.meeting(_as(partnership["police"]), 9999)
    seen = AuditEvent.objects.filter(action="viewed_meeting").order_by("pk").first()
    assert seen is not None and seen.target == f"meeting {meeting}, agenda -> P1,P2,P3"

"""Missing children and children's homes, through their services on a real database: a
child reported missing from a home, graded and found, the interview on its 72-hour clock, a
third episode in 90 days opening a strategy discussion, the Philomena pack, delivered episodes
joining the hub's own, the figures by area and month, the clocks' watch, and the homes'
register, coverage, visits and notifications. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel
from safeguard.access.roles import Actor, Role
from safeguard.hub import clocks, evidence
from safeguard.hub.alerts.models import Alert
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.carehomes import services as homes
from safeguard.hub.carehomes.models import Visit
from safeguard.hub.deliveries.models import Agency
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.missing import services
from safeguard.hub.missing.models import Episode, Interview, Report, StrategyTask
from tests.hub.conftest import _record, loaded_delivery

pytestmark = pytest.mark.django_db
NOW = timezone.now


def _as(user: Any) -> Caller:
    return Caller(user.actor(verified=True), Channel.WEB)


@pytest.fixture
def cast(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    people = {
        "staff": make_user("carer", "home_staff", agency="bridge-house"),
        "other_staff": make_user("elsewhere", "home_staff", agency="other-home"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
        "spoc": make_user("spoc", "police_spoc", agency="cheshire-police"),
        "rhi": make_user("rhi", "rhi_worker", agency="return-interviews"),
        "manager": make_user("boss", "mash_manager", agency="cheshire-east-cs"),
        "sw": make_user("sw", "social_worker", agency="halton-cs"),
        "lead": make_user("lead", "strategic_lead", agency="cheshire-east-cs"),
        "admin": make_user("admin", "administrator", agency="cheshire-east-cs"),
    }
    home = ChildrensHome.objects.create(
        home_id="H-1",
        name="Bridge House",
        postcode="CW1 2AB",
        council_area="cheshire_east",
        police_spoc=people["spoc"],
    )
    home.staff.add(people["staff"])
    ChildrensHome.objects.create(home_id="H-2", name="Lake View", council_area="halton")
    council = Agency.objects.create(code="cheshire-east-cs", name="Cheshire East")
    _record(
        council,
        loaded_delivery(council),
        "placements",
        "PL-1",
        "POL-1",
        "2026-01-01",
        person_id="POL-1",
        care_home_id="H-1",
        start_date="2026-01-01",
    )
    # the placement names the police's record of Katie (P1): she lives at Bridge House
    from safeguard.hub.deliveries.models import SourceRecord

    SourceRecord.objects.filter(record_id="PL-1").update(
        agency=Agency.objects.get(code="cheshire-police")
    )
    return people


def _away(days_ago: float, **over: Any) -> services.Away:
    values: dict[str, Any] = {
        "kind": "missing",
        "started_at": NOW() - dt.timedelta(days=days_ago),
        "person": 1,
        "home": "H-1",
        "last_seen_where": "Bridge House",
        "last_seen_with": "two older males in a car",
    }
    values.update(over)
    return services.Away(**values)


def _back(episode: Episode, hours: float) -> services.Found:
    return services.Found(
        episode.started_at + dt.timedelta(hours=hours),
        "Takeaway, High St",
        "CW1 3XY",
        "police patrol",
        "adult male 'Dev'",
    )


def test_a_child_reported_missing_is_graded_found_and_interviewed_on_the_clock(
    cast: Any,
) -> None:
    found = services.report(_as(cast["staff"]), _away(1))
    assert found.status == "away" and found.child_name == "Katherine Smith"
    assert found.council_area == "cheshire_east"
    assert Alert.objects.filter(kind="away", owner=cast["spoc"]).exists()
    with pytest.raises(Refusal):  # the home reports; the police grade
        services.grade(_as(cast["staff"]), found.pk, "high", "worried")
    services.grade(_as(cast["police"]), found.pk, "medium", "vulnerable, first episode")
    services.grade(_as(cast["police"]), found.pk, "high", "seen with adults in a car")
    assert set(
        Alert.objects.filter(kind="high_risk").values_list("owner__username", flat=True)
    ) == {"spoc", "boss"}

    back = services.find(_as(cast["staff"]), found.pk, _back(found, 20))
    interview = Interview.objects.get(episode=back)
    assert interview.due_at == clocks.due("return_home_interview", back.returned_at)
    assert interview.provider == "return-interviews"
    assert Alert.objects.filter(kind="interview", owner=cast["rhi"]).exists()

    rhi = _as(cast["rhi"])
    services.step(rhi, interview.pk, "offer")
    services.step(rhi, interview.pk, "accept")
    with pytest.raises(Refusal) as empty:
        services.step(rhi, interview.pk, "complete", said=services.Said())
    assert "push_factors" in empty.value.problems
    said = services.Said(
        with_whom="'Dev', who is about 24, and his friend",
        where="A flat above the takeaway",
        pull_factors="Dev buys her vapes and gives her a phone",
        disclosures="Dev asked her to stay the night",
        signs=("older_boyfriend", "unexplained_gifts"),
    )
    done = services.step(rhi, interview.pk, "complete", said=said)
    assert done.status == "done" and done.done_at <= done.due_at
    rows = [r for r in evidence.gathered() if r[3] == "return_home_interview"]
    assert {r[1] for r in rows} == {"older_boyfriend", "unexplained_gifts"}
    assert all("Dev" in r[5] and r[0] == 1 for r in rows)  # the words are the evidence
    _the_words_are_read_by_the_screening()
    assert Alert.objects.filter(kind="disclosure", owner=cast["manager"]).exists()
    kinds = list(AuditEvent.objects.values_list("action", flat=True))
    for expected in ("episode_reported", "episode_graded", "child_returned", "interview_recorded"):
        assert expected in kinds


def test_a_third_episode_in_90_days_and_a_long_one_open_strategy_discussions(cast: Any) -> None:
    staff = _as(cast["staff"])
    for days in (60, 30):
        e = services.report(staff, _away(days))
        services.find(staff, e.pk, _back(e, 5))
    assert not StrategyTask.objects.exists()
    third = services.report(staff, _away(2))
    services.find(staff, third.pk, _back(third, 30))  # and away over 24 hours
    tasks = {t.trigger: t for t in StrategyTask.objects.all()}
    assert set(tasks) == {"repeat", "long"}
    assert tasks["repeat"].due_at == clocks.due(
        "strategy_discussion_after_missing", tasks["repeat"].opened_at
    )
    assert Alert.objects.filter(kind="strategy", owner=cast["manager"]).count() == 2
    fourth = services.report(staff, _away(1))
    services.find(staff, fourth.pk, _back(fourth, 3))
    assert StrategyTask.objects.filter(trigger="repeat").count() == 1  # one open at a time
    services.close(_as(cast["police"]), tasks["repeat"].pk, "hold", "Disruption plan agreed")
    with pytest.raises(Refusal):
        services.close(_as(cast["police"]), tasks["repeat"].pk, "hold", "again")


def test_bad_reports_are_refused_field_by_field_and_need_to_know_holds(cast: Any) -> None:
    staff = _as(cast["staff"])
    with pytest.raises(Refusal) as bad:
        services.report(staff, _away(-1, kind="vanished", person=None, home="H-9"))
    assert {"kind", "started_at", "child", "home"} <= set(bad.value.problems)
    found = services.report(staff, _away(1))
    with pytest.raises(Refusal) as early:
        services.find(
            staff, found.pk, services.Found(found.started_at - dt.timedelta(hours=1), "home")
        )
    assert "returned_at" in early.value.problems
    with pytest.raises(Refusal):  # another home's staff: not their episode
        services.reads.episode(_as(cast["other_staff"]), found.pk)
    with pytest.raises(Refusal):  # a social worker whose agency holds no record of Katie
        services.reads.episode(_as(cast["sw"]), found.pk)
    assert services.reads.episode(_as(cast["spoc"]), found.pk).episode.pk == found.pk
    with pytest.raises(Refusal):  # an interviewer sees interviews, not the episodes queue
        services.reads.queue(_as(cast["rhi"]), "away")


def test_the_philomena_pack_is_kept_handed_over_and_printed(cast: Any) -> None:
    staff = _as(cast["staff"])
    found = services.report(staff, _away(0.2))
    with pytest.raises(Refusal, match="no Philomena form"):
        services.hand_over(staff, found.pk)
    services.keep_part_one(
        staff,
        1,
        services.PartOne(
            description="5ft 4, slim, long dark hair, tattoo of a star on the left wrist",
            associates="'Dev' (about 24); Jade from school",
            places="Takeaway on High St",
            phones="07700 900123",
            social_media="Snapchat katie_s",
            medical="Asthma: inhaler",
        ),
        home="H-1",
    )
    services.keep_part_two(staff, found.pk, "Black puffer jacket, grey joggers", "Her phone")
    services.hand_over(staff, found.pk)
    assert Alert.objects.filter(kind="philomena", owner=cast["spoc"]).exists()
    pdf = services.pack(_as(cast["police"]), found.pk)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(Refusal):
        services.pack(_as(cast["sw"]), found.pk)
    handed = AuditEvent.objects.filter(action="philomena_handed_over")
    assert {e.target for e in handed} == {
        f"episode {found.pk}: handed to the police",
        f"episode {found.pk}: printed",
    }


def test_delivered_episodes_become_hub_episodes_or_join_the_hubs_own(cast: Any) -> None:
    staff = _as(cast["staff"])
    own = services.report(staff, _away(1))
    police = Agency.objects.get(code="cheshire-police")
    delivery = loaded_delivery(police)
    local = timezone.localtime
    for rid, started, returned in (
        ("MIS-8", own.started_at + dt.timedelta(hours=2), None),  # the same episode
        ("MIS-9", NOW() - dt.timedelta(days=3), NOW() - dt.timedelta(days=2, hours=20)),
        ("MIS-0", NOW() - dt.timedelta(days=40), NOW() - dt.timedelta(days=39)),  # history
    ):
        data = {
            "person_id": "POL-1",
            "category": "missing",
            "reported_at": local(started).strftime("%Y-%m-%dT%H:%M:%S"),
        }
        if returned:
            data["returned_at"] = local(returned).strftime("%Y-%m-%dT%H:%M:%S")
            data["found_location"] = "Bus station"
        _record(police, delivery, "missing_episodes", rid, "POL-1", data["reported_at"], **data)
    operator = Caller(Actor("op", "", frozenset({Role.DATA_OPERATOR}), True), Channel.CLI)
    assert services.take_delivered(operator) == {"made": 1, "joined": 1}
    assert Report.objects.get(record="cheshire-police:MIS-8").episode == own
    made = Episode.objects.get(source_record="cheshire-police:MIS-9")
    assert made.status == "returned" and Interview.objects.filter(episode=made).exists()
    assert services.take_delivered(operator) == {"made": 0, "joined": 0}


def test_figures_the_watch_and_the_homes_pages(cast: Any) -> None:
    staff = _as(cast["staff"])
    late = services.report(staff, _away(6))
    services.find(staff, late.pk, _back(late, 4))
    quick = services.report(staff, _away(1))
    services.find(staff, quick.pk, _back(quick, 2))
    services.step(
        _as(cast["rhi"]),
        Interview.objects.get(episode=quick).pk,
        "complete",
        said=services.Said(push_factors="Argument with staff"),
    )
    figures = services.reads.figures(_as(cast["lead"]))
    assert sum(f.returns for f in figures) == 2 and sum(f.done_in_time for f in figures) == 1
    assert {f.area for f in figures} == {"cheshire_east"}

    watch = Caller(Actor.of_installation("watch"), Channel.JOB)
    assert services.sweep(watch)["newly_told"] == 1  # the late interview
    assert services.sweep(watch)["newly_told"] == 0
    assert Alert.objects.filter(kind="interview_overdue", owner=cast["spoc"]).exists()

    rows = {r.home.home_id: r for r in homes.register(_as(cast["police"]))}
    assert rows["H-1"].residents == 1 and rows["H-1"].spoc
    with pytest.raises(Refusal):
        homes.register(_as(cast["rhi"]))
    assert next(h.home_id for h in homes.coverage(_as(cast["lead"]))) == "H-2"  # gap first
    told = homes.gaps(watch)
    assert told == {"homes_without_spoc": 1, "newly_told": 1}
    assert Alert.objects.filter(kind="no_spoc", owner=cast["admin"]).exists()

    page = homes.spoc_page(_as(cast["spoc"]))
    assert [v.home.home_id for v in page] == ["H-1"]
    assert page[0].residents == [(1, "Katherine Smith")]
    assert [i.episode_id for i in page[0].interviews_overdue] == [late.pk]
    homes.log_visit(_as(cast["spoc"]), "H-1", "visit", timezone.localdate(), "Met the manager")
    with pytest.raises(Refusal):
        homes.log_visit(_as(cast["spoc"]), "H-2", "visit", timezone.localdate(), "Not mine")
    assert Visit.objects.count() == 1
    homes.notify(
        staff,
        "H-1",
        homes.Notice(
            "suspected_cse",
            NOW() - dt.timedelta(hours=1),
            ("Ofsted", "The police"),
            "Katie came back with gifts from an older male",
            person=1,
        ),
    )
    with pytest.raises(Refusal):
        homes.notify(staff, "H-2", homes.Notice("suspected_cse", NOW(), ("Ofsted",), "x"))
    assert Alert.objects.filter(kind="reg40", owner=cast["spoc"]).exists()


def test_an_episode_reported_in_error_is_cancelled_with_the_reason(cast: Any) -> None:
    found = services.report(_as(cast["staff"]), _away(0.1))
    with pytest.raises(Refusal):  # the police or the MASH cancel, saying why
        services.cancel(_as(cast["staff"]), found.pk, "she was at her friend's")
    with pytest.raises(Refusal, match="give a reason"):
        services.cancel(_as(cast["police"]), found.pk, " ")
    done = services.cancel(_as(cast["police"]), found.pk, "She was at a friend's, as agreed")
    assert done.status == "cancelled" and done.cancelled_reason.startswith("She was")
    assert AuditEvent.objects.filter(action="episode_cancelled").count() == 1


def test_a_spocs_page_shows_the_findings_touching_a_resident_and_follows_dispositions(
    cast: Any,
) -> None:
    from safeguard.hub.intelligence.models import AnalysisRun, Finding

    run = AnalysisRun.objects.create(
        started_at=NOW(), as_of=NOW().date(), catalogue="test", summary={}
    )

    def finding(key: str, nodes: list[str]) -> Finding:
        return Finding.objects.create(
            key=key,
            kind="adult",
            anchor=nodes[0],
            summary=f"finding {key}",
            at_risk_children=len(nodes),
            strength=1.0,
            members=[{"node": n} for n in nodes],
            evidence=[],
            first_run=run,
            last_run=run,
        )

    finding("F-1", ["P:77", "P:1"])  # an adult linked to Katie, who lives at Bridge House
    finding("F-2", ["L:CW1 2AB", "P:78"])  # the home's own postcode
    finding("F-3", ["P:99"])  # nothing to do with the home
    page = homes.spoc_page(_as(cast["spoc"]))
    assert {f.key for f in page[0].findings or []} == {"F-1", "F-2"}
    Finding.objects.filter(key="F-1").update(status="closed")
    from safeguard.hub.intelligence.models import FindingDisposition

    FindingDisposition.objects.create(
        finding=Finding.objects.get(key="F-1"), status="closed", reason="r", decided_by="x"
    )
    again = homes.spoc_page(_as(cast["spoc"]))
    assert {f.key for f in again[0].findings or []} == {"F-2"}  # the index follows the change
    staff = homes.home(_as(cast["staff"]), "H-1")
    assert staff.findings is None  # a home's staff do not read intelligence


def _the_words_are_read_by_the_screening() -> None:
    """What the interview heard is read by the screening's lexicons, ticked or not."""
    from safeguard.hub.intelligence import queries as intelligence
    from safeguard.intelligence import catalogue, indicators
    from safeguard.intelligence.sources import open_records

    texts = intelligence.recorded_text()
    assert set(texts["field"].to_pylist()) >= {"with_whom", "pull_factors", "disclosures"}
    con = open_records([])
    con.register("hub_texts_arrow", texts)
    con.execute("create table hub_texts as select * from hub_texts_arrow")
    indicators.derive(con, catalogue.load())
    found = con.execute(
        "select code, detail from evidence where kind = 'return_home_interview'"
    ).fetchall()
    assert (
        "unexplained_gifts",
        'pull_factors says "buys her vapes": "Dev buys her vapes and gives her a phone"',
    ) in found

"""The hub keeps screenings, findings and alerts per run; people's decisions outlive the runs,
go through the findings' workflow and the access policy, and are audited."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from django.utils import timezone

from safeguard.access.caller import Refusal
from safeguard.access.roles import Role
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.intelligence import queries, services, store
from safeguard.hub.intelligence.models import Finding, MissingAlert, Screening
from safeguard.hub.people.models import LinkRun, Person, PersonRecord
from safeguard.intelligence.analysis import Analysis, AnalysisSummary
from safeguard.intelligence.network import Finding as Found
from tests.callers import caller

pytestmark = pytest.mark.django_db

BANDS = ["not_at_risk", "mild", "moderate", "significant"]
ANALYST = caller(Role.ANALYST, username="a.analyst")
WORKER = caller(Role.SOCIAL_WORKER, username="s.worker")


def analysis(score: int, finding_ids: list[str], members: tuple[str, ...] = ("P:2",)) -> Analysis:
    summary = AnalysisSummary(
        as_of="2026-10-31",
        catalogue="Safeguard default 2026.1",
        evidence=3,
        children_screened=1,
        at_risk=1,
        referrals=1,
        bands={},
        findings={},
        missing_episodes=1,
        missing_alerts={},
        seconds=0.1,
    )
    screenings = pa.table(
        {
            "person_id": ["1"],
            "assessed_on": [dt.date(2026, 10, 31)],
            "age": [15],
            "score": [score],
            "band_by_score": ["moderate"],
            "band": ["moderate"],
            "at_risk": [True],
            "referral": [True],
            "disclosed": [False],
            "reasons": [
                [
                    {
                        "code": "found_with_adult",
                        "level": "significant",
                        "records": ["police:missing_episodes:M1"],
                        "details": ["found with"],
                        "last_seen": dt.datetime(2026, 10, 1),
                    }
                ]
            ],
            "catalogue": ["Safeguard default 2026.1"],
        }
    )
    found = [
        Found(
            key,
            "adult",
            "P:2",
            [{"node": m, "role": "adult"} for m in members],
            [{"relation": "found_with", "record_id": "M1", "date": "2026-10-01T22:00:00"}],
            1,
            3.0,
            "2026-10-01T22:00:00",
            "2026-10-01T22:00:00",
            "adult P:2 ...",
        )
        for key in finding_ids
    ]
    alerts = pa.table(
        {
            "key": ["1"],
            "kind": ["repeat"],
            "day": [dt.datetime(2026, 9, 1, 22)],
            "detail": ["3 episodes within 90 days"],
            "records": [["police:M1"]],
        }
    )
    return Analysis(summary, screenings, found, pa.table({"key": ["1"]}), alerts)


@pytest.fixture
def people() -> None:
    run = LinkRun.objects.create(
        mode="full", started_at=timezone.now(), records=2, people=2, summary={}
    )
    Person.objects.bulk_create([Person(pk=1, created_run=run), Person(pk=2, created_run=run)])
    for pid in (1, 2):  # each held by the police, the social worker's agency in these tests
        PersonRecord.objects.create(
            unique_id=f"cheshire-police:P{pid}",
            agency="cheshire-police",
            record_id=f"P{pid}",
            person_id=pid,
            run=run,
        )


def test_runs_keep_history_and_dispositions_outlive_them(people) -> None:
    store.record_analysis(analysis(11, ["adult-aaa", "adult-bbb"]), timezone.now())
    services.dispose(ANALYST, "adult-aaa", "explained", "school transport: contract driver")
    assert queries.settled_findings() == {"adult-aaa"}
    second = store.record_analysis(analysis(16, ["adult-aaa"], ("P:2", "P:7")), timezone.now())
    aaa, bbb = Finding.objects.get(key="adult-aaa"), Finding.objects.get(key="adult-bbb")
    assert aaa.status == "explained" and aaa.active and aaa.last_run == second
    assert aaa.new_members == [{"node": "P:7", "role": "adult"}]  # newly linked to it
    assert not bbb.active and bbb.status == "open"  # not found again: kept, no longer active
    assert [d.reason for d in aaa.dispositions.all()] == ["school transport: contract driver"]
    screenings = Screening.objects.filter(person_id=1).order_by("pk")
    assert [(s.score, s.current) for s in screenings] == [(11, False), (16, True)]
    assert screenings[1].reasons[0]["records"] == ["police:missing_episodes:M1"]
    assert MissingAlert.objects.filter(current=True).count() == 1
    assert MissingAlert.objects.count() == 2


def _refused(match: str) -> pytest.RaisesContext[Refusal]:
    return pytest.raises(Refusal, match=match)


def test_decisions_need_a_reason_and_a_known_target(people) -> None:
    store.record_analysis(analysis(11, ["adult-aaa"]), timezone.now())
    with _refused("give a reason"):
        services.dispose(ANALYST, "adult-aaa", "closed", " ")
    with _refused("cannot become ignored"):
        services.dispose(ANALYST, "adult-aaa", "ignored", "why")
    with _refused("no finding"):
        services.dispose(ANALYST, "adult-zzz", "closed", "why")
    decision = services.confirm(WORKER, 1, "significant", "disclosed to school nurse", BANDS)
    assert decision.screening.band == "moderate"  # the proposal stays as it was
    assert decision.decided_by == "s.worker"
    with _refused("not a band"):
        services.confirm(WORKER, 1, "red", "why", BANDS)
    with _refused("no current screening"):
        services.confirm(WORKER, 2, "mild", "why", BANDS)
    refused = AuditEvent.objects.filter(action="refused")
    assert refused.count() == 5 and not refused.filter(allowed=True).exists()
    assert AuditEvent.objects.filter(action="screening_confirmed", person_id=1).count() == 1


def test_findings_follow_their_workflow_and_its_roles(people) -> None:
    store.record_analysis(analysis(11, ["adult-aaa"]), timezone.now())
    practitioner = caller(Role.MASH_PRACTITIONER, username="m.p")
    services.dispose(practitioner, "adult-aaa", "under_investigation", "asked the CE unit")
    with _refused("explain is for"):  # settling is for managers, analysts and police
        services.dispose(practitioner, "adult-aaa", "explained", "known driver")
    services.dispose(ANALYST, "adult-aaa", "closed", "no further concern")
    with _refused("cannot become under investigation"):
        services.dispose(ANALYST, "adult-aaa", "under_investigation", "again")
    services.dispose(practitioner, "adult-aaa", "open", "new evidence")
    school = caller(Role.SCHOOL_DSL, username="dsl")
    with _refused("may not view_findings"):  # findings are intelligence
        services.dispose(school, "adult-aaa", "closed", "why")
    moves = AuditEvent.objects.filter(action="finding_disposed").order_by("pk")
    assert [e.target for e in moves] == [
        "finding adult-aaa: investigate -> under_investigation",
        "finding adult-aaa: close -> closed",
        "finding adult-aaa: reopen -> open",
    ]
    assert Finding.objects.get(key="adult-aaa").status == "open"


def test_need_to_know_governs_screening_decisions(people) -> None:
    store.record_analysis(analysis(11, []), timezone.now())
    elsewhere = caller(Role.SOCIAL_WORKER, agency="halton-cs", username="h.w")
    with _refused("no need to know"):
        services.confirm(elsewhere, 1, "mild", "why", BANDS)
    with _refused("no need to know"):
        services.screening(elsewhere, 1)
    assert services.screening(WORKER, 1) is not None
    seen = AuditEvent.objects.filter(action="viewed_person", person_id=1).get()
    assert seen.target == "screening" and seen.username == "s.worker"


def test_practitioners_record_indicators_as_evidence(people) -> None:
    codes = ["older_boyfriend", "self_harm"]
    seen = dt.date(2026, 9, 1)
    done = services.record_indicator(
        WORKER, 1, "older_boyfriend", seen, "met him at the school gate", codes
    )
    with _refused("not an indicator"):
        services.record_indicator(WORKER, 1, "left_handed", seen, "x", codes)
    with _refused("in the future"):
        services.record_indicator(WORKER, 1, "self_harm", dt.date(2999, 1, 1), "x", codes)
    mash = caller(Role.MASH_PRACTITIONER, username="m.p")
    with _refused("no current person"):
        services.record_indicator(mash, 99, "self_harm", seen, "x", codes)
    rows = queries.recorded_evidence({"older_boyfriend": "significant"}).to_pylist()
    assert rows == [
        {
            "subject": "cheshire-police:P1",
            "code": "older_boyfriend",
            "level": "significant",
            "occurred": dt.datetime(2026, 9, 1),
            "agency": "hub",
            "kind": "practitioner",
            "record_id": str(done.pk),
            "detail": "recorded by s.worker: met him at the school gate",
        }
    ]

"""The hub keeps screenings, findings and alerts per run; people's decisions outlive the runs."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from django.utils import timezone

from safeguard.hub.intelligence import store
from safeguard.hub.intelligence.models import Finding, MissingAlert, Screening
from safeguard.hub.people.models import LinkRun, Person
from safeguard.intelligence.analysis import Analysis, AnalysisSummary
from safeguard.intelligence.network import Finding as Found

pytestmark = pytest.mark.django_db

BANDS = ["not_at_risk", "mild", "moderate", "significant"]


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


def test_runs_keep_history_and_dispositions_outlive_them(people) -> None:
    store.record_analysis(analysis(11, ["adult-aaa", "adult-bbb"]), timezone.now())
    store.dispose("adult-aaa", "explained", "school transport: contract driver", "A. Analyst")
    assert store.settled_findings() == {"adult-aaa"}
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


def test_decisions_need_a_reason_and_a_known_target(people) -> None:
    store.record_analysis(analysis(11, ["adult-aaa"]), timezone.now())
    with pytest.raises(store.RefusedDecision, match="give a reason"):
        store.dispose("adult-aaa", "closed", " ", "A. Analyst")
    with pytest.raises(store.RefusedDecision, match="not a disposition"):
        store.dispose("adult-aaa", "ignored", "why", "A. Analyst")
    with pytest.raises(store.RefusedDecision, match="no finding"):
        store.dispose("adult-zzz", "closed", "why", "A. Analyst")
    decision = store.confirm(1, "significant", "disclosed to school nurse", "S. Worker", BANDS)
    assert decision.screening.band == "moderate"  # the proposal stays as it was
    with pytest.raises(store.RefusedDecision, match="not a band"):
        store.confirm(1, "red", "why", "S. Worker", BANDS)
    with pytest.raises(store.RefusedDecision, match="no current screening"):
        store.confirm(2, "mild", "why", "S. Worker", BANDS)


def test_practitioners_record_indicators_as_evidence(people) -> None:
    from safeguard.hub.people.models import PersonRecord

    run = LinkRun.objects.first()
    PersonRecord.objects.create(
        unique_id="police:P1", agency="police", record_id="P1", person_id=1, run=run
    )
    codes = ["older_boyfriend", "self_harm"]
    seen = dt.date(2026, 9, 1)
    done = store.record_indicator(
        1, "older_boyfriend", seen, "met him at the school gate", "S. Worker", codes
    )
    with pytest.raises(store.RefusedDecision, match="not an indicator"):
        store.record_indicator(1, "left_handed", seen, "x", "S. Worker", codes)
    with pytest.raises(store.RefusedDecision, match="in the future"):
        store.record_indicator(1, "self_harm", dt.date(2999, 1, 1), "x", "S. Worker", codes)
    with pytest.raises(store.RefusedDecision, match="no current person"):
        store.record_indicator(99, "self_harm", seen, "x", "S. Worker", codes)
    rows = store.recorded_evidence({"older_boyfriend": "significant"}).to_pylist()
    assert rows == [
        {
            "subject": "police:P1",
            "code": "older_boyfriend",
            "level": "significant",
            "occurred": dt.datetime(2026, 9, 1),
            "agency": "hub",
            "kind": "practitioner",
            "record_id": str(done.pk),
            "detail": "recorded by S. Worker: met him at the school gate",
        }
    ]

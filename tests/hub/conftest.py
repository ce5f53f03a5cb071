"""A small hub for page tests: staff with authenticators, and people with records from three
agencies (built through the models, so each test is quick), plus signing in through the real
pages (password, then the current one-time code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import User
from safeguard.hub.deliveries.models import Agency, Delivery, SourceRecord
from safeguard.hub.people.models import LinkRun, Person, PersonRecord, SearchEntry

PASSWORD = "correct horse battery staple"


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, *roles: str, agency: str = "cheshire-police") -> User:
        user = User(username=username, agency=agency, roles=list(roles))
        user.set_password(PASSWORD)
        user.save()
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        return user

    return make


def system_account(username: str, *roles: str, agency: str = "cheshire-police") -> User:
    """An agency system's account, as `safeguard users add --system` makes one: no password,
    no authenticator; the only kind that may hold API tokens."""
    user = User(username=username, agency=agency, roles=list(roles))
    user.set_unusable_password()
    user.save()
    return user


def password_step(user: User) -> Client:
    """A browser session past the password step (not yet the code): half signed in."""
    client = Client()
    first = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert first.status_code == 302 and first["Location"].startswith("/accounts/verify/")
    return client


@pytest.fixture
def sign_in() -> Callable[[User], Client]:
    def signed_in(user: User) -> Client:
        client = Client()
        first = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert first.status_code == 302 and first["Location"].startswith("/accounts/verify/")
        second = client.post("/accounts/verify/", {"otp_token": current_code(user)})
        assert second.status_code == 302, second.content[:500]
        return client

    return signed_in


def _record(
    agency: Agency,
    delivery: Delivery,
    kind: str,
    record_id: str,
    subject: str,
    when: str,
    **data: Any,
) -> SourceRecord:
    return SourceRecord.objects.create(
        agency=agency,
        kind=kind,
        record_id=record_id,
        version=1,
        is_current=True,
        delivery=delivery,
        row_number=1,
        subject_id=subject,
        occurred_at=when,
        row_hash=record_id,
        data={"record_id": record_id, **data},
        issues=None,
    )


def loaded_delivery(agency: Agency) -> Delivery:
    """A loaded delivery from `agency` (its files are not needed here)."""
    return Delivery.objects.create(
        agency=agency,
        checksum=f"{agency.code}-{Delivery.objects.count()}",
        status="loaded",
        extract_date="2026-10-31",
        period_start="2021-11-01",
        period_end="2026-10-31",
        contract_version="1",
        source_path="/dev/null",
        manifest={},
    )


@pytest.fixture
def mini_hub(db: Any) -> dict[str, int]:
    """Katie Smith (P1): police, NHS (a sexual-health visit) and school records. Kate Smith
    (P2): school only. John Brown (P3): NHS only."""
    run = LinkRun.objects.create(
        mode="full",
        started_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        records=5,
        people=3,
        summary={},
    )
    agencies = {}
    for code in ("cheshire-police", "cheshire-nhs", "cheshire-schools"):
        agency = Agency.objects.create(code=code, name=code)
        agencies[code] = (agency, loaded_delivery(agency))
    people = {
        1: [
            ("cheshire-police", "POL-1", "katie", "smith", "2011-07-04", "CW1 2AB", ""),
            ("cheshire-nhs", "NHS-1", "katherine", "smith", "2011-07-04", "CW1 2AB", "9434765919"),
            ("cheshire-schools", "SCH-1", "kate", "smith", "2011-04-07", "CW1 2AB", ""),
        ],
        2: [("cheshire-schools", "SCH-2", "kate", "smyth", "2012-01-09", "CH1 1AA", "")],
        3: [("cheshire-nhs", "NHS-3", "john", "brown", "2010-03-03", "WA1 1AA", "")],
    }
    for pid, rows in people.items():
        Person.objects.create(pk=pid, created_run=run)
        for agency, rid, fore, sur, dob, pc, nhs in rows:
            uid = f"{agency}:{rid}"
            PersonRecord.objects.create(
                unique_id=uid, agency=agency, record_id=rid, person_id=pid, run=run
            )
            SearchEntry.objects.create(
                unique_id=uid,
                person_id=pid,
                agency=agency,
                display_name=f"{fore} {sur}".title(),
                forename=fore,
                forename_key="kate" if fore.startswith("kat") else fore,
                surname=sur,
                dob=dob,
                dob_swapped=dob[:5] + dob[8:10] + "-" + dob[5:7],
                nhs_number=nhs,
                postcode=pc,
            )
            a, d = agencies[agency]
            _record(a, d, "people", rid, rid, "", forenames=fore, surname=sur)
    police, nhs, school = (
        agencies[c] for c in ("cheshire-police", "cheshire-nhs", "cheshire-schools")
    )
    _record(
        *police,
        "missing_episodes",
        "MIS-1",
        "POL-1",
        "2026-03-01T22:00:00",
        category="missing",
        reported_at="2026-03-01T22:00:00",
        found_with="adult male",
    )
    _record(
        *nhs,
        "health_events",
        "HE-1",
        "NHS-1",
        "2026-04-02T15:00:00",
        event_code="sti_test",
        setting="sexual_health_clinic",
        notes="Requested STI screen",
    )
    _record(
        *nhs,
        "health_events",
        "HE-2",
        "NHS-1",
        "2026-05-02T23:00:00",
        event_code="injury",
        setting="emergency_department",
        notes="Vague about how",
    )
    _record(
        *school,
        "education_events",
        "ED-1",
        "SCH-1",
        "2026-02-01",
        event_type="persistent_absence",
        notes="Attendance fallen sharply",
    )
    return {"katie": 1, "kate": 2, "john": 3}


@pytest.fixture
def mini_mash(mini_hub: dict[str, int]) -> dict[str, Any]:
    """A public concern about Katie (P1) in the MASH queue, rated Red, with a police check
    waiting; its contact's reference, the check, the code its reporter keeps, the child."""
    from safeguard.access.roles import Role
    from safeguard.hub.concerns import services as concerns
    from safeguard.hub.mash import services as mash
    from tests.callers import caller

    found, code = concerns.report(
        concerns.Report(
            what="An older man picks her up from the park in a silver car most nights.",
            concerns=("exploitation",),
            child_name="Katie",
            child_age="15",
            reporter_name="A neighbour",
            relationship="1B",
            phone="07700 900123",
        ),
        "matrix-form-token",
    )
    manager = caller(Role.MASH_MANAGER, agency="cheshire-east-cs", username="matrix-manager")
    reference = found.reference or ""
    child = found.subjects.get(main=True)
    mash.link(manager, reference, child.pk, 1)
    mash.rate(manager, reference, "red", "older man, car, nightly")
    mash.ask(manager, reference, ["cheshire-police"], "safeguarding", consent_reason="risk")
    check = found.checks.get()
    return {
        "reference": reference,
        "check_id": check.pk,
        "code": code,
        "subject": child.pk,
        **_mini_missing(),
        **_mini_intelligence(),
    }


def _mini_intelligence() -> dict[str, Any]:
    """Katie (P1) screened at risk, and an open finding of an adult linked to her and Kate
    (P2), as an analysis would have recorded them."""
    from safeguard.hub.intelligence.models import AnalysisRun, Finding, Screening

    run = AnalysisRun.objects.create(
        started_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        as_of=dt.date(2026, 11, 1),
        catalogue="Safeguard default 2026.1",
        summary={},
    )
    Screening.objects.create(
        run=run,
        person_id=1,
        assessed_on=dt.date(2026, 11, 1),
        age=15,
        score=16,
        band_by_score="significant",
        band="significant",
        at_risk=True,
        referral=True,
        disclosed=False,
        reasons=[
            {
                "code": "found_with_adult",
                "level": "significant",
                "records": ["cheshire-police:missing_episodes:MIS-1"],
                "details": ["found with adult male"],
                "last_seen": "2026-03-01T22:00:00",
            }
        ],
        catalogue="Safeguard default 2026.1",
        latest_evidence=dt.datetime(2026, 3, 1, 22, tzinfo=dt.UTC),
    )
    found = Finding.objects.create(
        key="adult-matrix0001",
        kind="adult",
        anchor="P:3",
        summary="adult P:3 linked to 2 children of concern, 1 at risk",
        at_risk_children=1,
        strength=4.0,
        members=[
            {"node": "P:3", "role": "adult"},
            {"node": "P:1", "role": "at-risk child"},
            {"node": "P:2", "role": "child of concern"},
        ],
        evidence=[
            {
                "from": "P:1",
                "to": "P:3",
                "relation": "found_with",
                "date": "2026-03-01T22:00:00",
                "agency": "cheshire-police",
                "kind": "missing_episodes",
                "record_id": "MIS-1",
                "strength": 3.0,
            }
        ],
        first_run=run,
        last_run=run,
    )
    return {"finding_key": found.key}


def _mini_missing() -> dict[str, Any]:
    """Katie (P1) lives at Bridge House (H-1): two returns and an episode away now, so an
    interview is due and a strategy discussion waits (three episodes in 90 days)."""
    from django.utils import timezone

    from safeguard.access.roles import Role
    from safeguard.hub.homes.models import ChildrensHome
    from safeguard.hub.missing import services as missing
    from safeguard.hub.missing.models import Interview, StrategyTask
    from tests.callers import caller

    ChildrensHome.objects.create(home_id="H-1", name="Bridge House", council_area="halton")
    police = caller(Role.POLICE_OFFICER, username="matrix-police")
    now = timezone.now()
    episodes = []
    for days in (20, 10, 1):
        away = missing.Away("missing", now - dt.timedelta(days=days), person=1, home="H-1")
        episodes.append(missing.report(police, away))
    for e in episodes[:2]:
        missing.find(police, e.pk, missing.Found(e.started_at + dt.timedelta(hours=5), "home"))
    interview = Interview.objects.order_by("-pk").first()
    task = StrategyTask.objects.first()
    return {
        "episode_id": episodes[2].pk,
        "interview_id": interview.pk if interview else 0,
        "task_id": task.pk if task else 0,
        "home_id": "H-1",
    }


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with no rate limits spent (the cache outlives a test's database)."""
    from django.core.cache import cache

    cache.clear()

"""A small partnership for the KPI tests, made through the models: contacts, missing episodes
and interviews, screenings, findings, disruption, homes, deliveries and linkage runs, each
placed so that the expected figures can be worked out by hand (see each test).

Times are local (Europe/London). Bank holidays used: Good Friday 3 April, Easter Monday 6 April,
early May 4 May and spring 25 May 2026. The data set is read for April to June 2026."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from safeguard.casework import contact as casework
from safeguard.hub import clocks
from safeguard.hub.accounts.models import User
from safeguard.hub.deliveries.models import Agency, Delivery
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.intelligence.models import (
    AnalysisRun,
    Finding,
    FindingDisposition,
    Screening,
    ScreeningDecision,
)
from safeguard.hub.mace.models import Disruption
from safeguard.hub.mash.models import Contact
from safeguard.hub.missing.models import Episode, Interview
from safeguard.hub.people.models import LinkRun, Person, PersonRecord

LONDON = ZoneInfo("Europe/London")
AS_OF = dt.date(2026, 6, 30)
APRIL, MAY, JUNE = dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)
CE, WA, HA = "cheshire_east", "warrington", "halton"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LONDON)


def people() -> None:
    """P1 to P8. Council records: P4 (and a police record), P5 Cheshire East; P6 Warrington;
    P7 both; P8 police only (area not known)."""
    run = LinkRun.objects.create(
        mode="full", started_at=at(2026, 1, 1), records=0, people=8, summary={}
    )
    held = {4: ["cheshire-east-cs", "cheshire-police"], 5: ["cheshire-east-cs"]}
    held |= {6: ["warrington-cs"]}
    held |= {7: ["cheshire-east-cs", "warrington-cs"], 8: ["cheshire-police"]}
    for pid in range(1, 9):
        Person.objects.create(pk=pid, created_run=run)
        for n, agency in enumerate(held.get(pid, [])):
            PersonRecord.objects.create(
                unique_id=f"{agency}:R{pid}-{n}",
                agency=agency,
                record_id=f"R{pid}-{n}",
                person_id=pid,
                run=run,
            )
    # a second council record of P7 in Cheshire East: still one child there
    PersonRecord.objects.create(
        unique_id="cheshire-east-cs:R7-x", agency="cheshire-east-cs", record_id="R7-x",
        person_id=7, run=run,
    )  # fmt: skip


def contact(
    area: str,
    received: dt.datetime,
    decided: dt.datetime | None = None,
    outcomes: tuple[str, ...] = ("nfa",),
    person: int | None = None,
) -> Contact:
    """A contact on its decision clock (the hub's one clock), decided or still waiting."""
    return Contact.objects.create(
        received_at=received,
        route="web",
        source="2A",
        anonymity="named",
        council_area=area,
        summary="A synthetic concern",
        status=casework.DECIDED if decided else casework.RECEIVED,
        decision_due=clocks.due(casework.DECISION_CLOCK, received),
        decided_at=decided,
        outcomes=list(outcomes) if decided else [],
        person_id=person,
    )


def front_door() -> dict[str, Contact]:
    """Contacts, April to June 2026 (and two the year before, for re-referrals)."""
    people()
    found = {
        # the year before: P1 referred 20 May 2025; P2 referred 1 April 2025 and had an NFA
        "p1_old": contact(WA, at(2025, 5, 20, 10), at(2025, 5, 20, 15), ("assessment",), 1),
        "p2_old": contact(CE, at(2025, 4, 1, 10), at(2025, 4, 1, 15), ("assessment",), 2),
        "p2_nfa": contact(CE, at(2025, 6, 1, 10), at(2025, 6, 1, 15), ("nfa",), 2),
        # Easter Monday: due at the end of Tuesday 7 April; decided Tuesday 17:00
        "w1": contact(WA, at(2026, 4, 6, 11), at(2026, 4, 7, 17), ("assessment", "advice"), 1),
        # Friday 17:00, decided Monday 09:00: within 1 working day
        "c1": contact(CE, at(2026, 5, 8, 17), at(2026, 5, 11, 9), ("assessment",), 2),
        # Friday before the spring bank holiday: due at the end of Tuesday 26 May
        "c2": contact(CE, at(2026, 5, 22, 16), at(2026, 5, 26, 16, 30), ("nfa",)),
        # Tuesday 10:00 decided Thursday 09:00, the 2nd working day after: late
        "c3": contact(CE, at(2026, 5, 12, 10), at(2026, 5, 14, 9), ("strategy_discussion",), 3),
        # 00:30 on 1 May (30 April in UTC): a May contact; Monday 4 May is a bank holiday
        "c4": contact(CE, at(2026, 5, 1, 0, 30), at(2026, 5, 1, 10), ("assessment",), 1),
        # still waiting, its clock ran out on 2 June: late
        "c5": contact(CE, at(2026, 6, 1, 10)),
        # still waiting, due at the end of 1 July, after the assessment date: not counted yet
        "c6": contact(CE, at(2026, 6, 30, 10)),
        # no council area given
        "u1": contact("", at(2026, 6, 10, 10), at(2026, 6, 10, 12), ("nfa",)),
    }
    for n in range(5):  # Halton: five decided the same day, none a referral
        found[f"h{n}"] = contact(HA, at(2026, 4, 15, 10, n), at(2026, 4, 15, 15), ("early_help",))
    return found


def episode(
    area: str,
    person: int | None,
    started: dt.datetime,
    returned: dt.datetime | None = None,
    cancelled: bool = False,
) -> Episode:
    status = "cancelled" if cancelled else "returned" if returned else "away"
    return Episode.objects.create(
        kind="missing",
        status=status,
        person_id=person,
        council_area=area,
        started_at=started,
        reported_at=started,
        reported_by="home",
        returned_at=returned,
    )


def interview(
    found: Episode,
    offered: dt.datetime | None = None,
    accepted: dt.datetime | None = None,
    done: dt.datetime | None = None,
    declined: bool = False,
) -> Interview:
    """The interview a return opens, due 72 hours after it (the hub's one clock)."""
    assert found.returned_at is not None
    status = "done" if done else "declined" if declined else "accepted" if accepted else "due"
    return Interview.objects.create(
        episode=found,
        provider="rhi-provider",
        status=status,
        due_at=clocks.due("return_home_interview", found.returned_at),
        offered_at=offered,
        accepted_at=accepted,
        done_at=done,
    )


def missing() -> dict[str, Interview]:
    """Episodes of P4, P5 and P6 (and an unlinked child), the interviews of their returns."""
    people()
    episode(CE, 4, at(2026, 3, 20, 20), at(2026, 3, 21, 9))
    p4_april = episode(CE, 4, at(2026, 4, 10, 18), at(2026, 4, 10, 20))
    p4_may = episode(CE, 4, at(2026, 5, 1, 6), at(2026, 5, 1, 9))
    p4_june = episode(WA, 4, at(2026, 6, 1, 22), at(2026, 6, 30, 12))
    episode(CE, 5, at(2026, 1, 1, 12), at(2026, 1, 1, 20))
    episode(CE, 5, at(2026, 2, 15, 12), at(2026, 2, 15, 20))
    p5_april = episode(CE, 5, at(2026, 4, 1, 12), at(2026, 4, 1, 18))
    p6_may = episode(WA, 6, at(2026, 5, 2, 21), at(2026, 5, 3, 8))
    episode(WA, 6, at(2026, 5, 9, 21), cancelled=True)
    episode(WA, 6, at(2026, 5, 16, 21), at(2026, 5, 17, 8))
    episode(CE, None, at(2026, 6, 5, 21), at(2026, 6, 6, 8))
    return {
        # offered, accepted, done Monday 19:00: within 72 hours (due Monday 20:00)
        "a": interview(p4_april, at(2026, 4, 11, 10), at(2026, 4, 11, 10), at(2026, 4, 13, 19)),
        # offered, declined: not done
        "b": interview(p5_april, at(2026, 4, 2, 10), declined=True),
        # done an hour after its 72 hours, no offer recorded: offered, accepted, late
        "c": interview(p4_may, done=at(2026, 5, 4, 10)),
        # nothing recorded, past its due time
        "d": interview(p6_may),
        # returned 30 June noon: its 72 hours run past the assessment date
        "e": interview(p4_june),
    }


def run(as_of: dt.date, started: dt.datetime) -> AnalysisRun:
    return AnalysisRun.objects.create(started_at=started, as_of=as_of, catalogue="test", summary={})


def screen(on: AnalysisRun, person: int, band: str, at_risk: bool) -> Screening:
    return Screening.objects.create(
        run=on,
        person_id=person,
        current=False,
        assessed_on=on.as_of,
        age=14,
        score=1,
        band_by_score=band,
        band=band,
        at_risk=at_risk,
        referral=at_risk,
        disclosed=False,
        reasons=[],
        catalogue="test",
    )


def decide(screening: Screening, band: str) -> ScreeningDecision:
    return ScreeningDecision.objects.create(
        screening=screening, band=band, reason="seen the records", decided_by="mash1"
    )


def finding(key: str, first: AnalysisRun) -> Finding:
    return Finding.objects.create(
        key=key,
        kind="adult",
        anchor="P:9",
        summary=f"finding {key}",
        at_risk_children=2,
        strength=1.0,
        members=[],
        evidence=[],
        first_run=first,
        last_run=first,
    )


def dispose(found: Finding, status: str, when: dt.datetime) -> None:
    row = FindingDisposition.objects.create(
        finding=found, status=status, reason="looked into", decided_by="analyst"
    )
    FindingDisposition.objects.filter(pk=row.pk).update(decided_at=when)  # auto_now_add


def intelligence() -> None:
    """Runs on 10 and 31 May and 15 June 2026 (and one in March), their screenings and
    decisions, and findings first found by them, with dispositions."""
    people()
    march = run(dt.date(2026, 3, 1), at(2026, 3, 1, 6))
    may_a = run(dt.date(2026, 5, 10), at(2026, 5, 10, 6))
    may_b = run(dt.date(2026, 5, 31), at(2026, 5, 31, 6))
    june = run(dt.date(2026, 6, 15), at(2026, 6, 15, 6))
    screen(may_a, 4, "mild", False)
    decide(screen(may_a, 8, "moderate", True), "moderate")
    decide(screen(may_b, 4, "moderate", True), "significant")
    screen(may_b, 5, "mild", False)
    screen(may_b, 7, "significant", True)
    screen(may_b, 8, "moderate", True)
    screen(june, 4, "significant", True)
    screen(june, 7, "significant", True)
    f1, f2, f3 = finding("f1", may_a), finding("f2", june), finding("f3", march)
    dispose(f1, "under_investigation", at(2026, 5, 20, 10))
    dispose(f1, "explained", at(2026, 6, 2, 10))
    dispose(f3, "closed", at(2026, 6, 3, 10))
    dispose(f3, "closed", at(2026, 6, 4, 10))
    dispose(f2, "explained", at(2026, 6, 20, 10))
    dispose(f2, "explained", at(2026, 7, 1, 10))  # after the assessment date


def delivery(
    agency: Agency, received: dt.datetime, read: int, quarantined: int, loaded: bool
) -> None:
    found = Delivery.objects.create(
        agency=agency,
        checksum=f"{agency.code}-{received:%Y%m%d}",
        status="loaded" if loaded else "rejected",
        extract_date=received.date(),
        period_start=received.date(),
        period_end=received.date(),
        contract_version="1",
        source_path="/dev/null",
        manifest={},
        rows_read=read,
        rows_accepted=read - quarantined,
        rows_quarantined=quarantined,
    )
    Delivery.objects.filter(pk=found.pk).update(received_at=received)  # auto_now_add


def partnership() -> None:
    """Disruption, homes, deliveries and linkage runs."""
    people()
    for on, kind, area in (
        (dt.date(2026, 5, 3), "cawn", CE),
        (dt.date(2026, 5, 31), "cawn", CE),
        (dt.date(2026, 5, 4), "cawn", WA),
        (dt.date(2026, 5, 5), "sro", ""),
        (dt.date(2026, 6, 6), "makesafe_hotel", CE),
        (dt.date(2026, 7, 1), "cawn", CE),  # after the assessment date
    ):
        Disruption.objects.create(
            kind=kind, on=on, against="an adult", agency="police", area=area,
            recorded_by="mace1", recorded_at=at(2026, 7, 1),
        )  # fmt: skip
    spoc = User.objects.create(username="spoc1", roles=["police_spoc"])
    for home_id, area, open_, with_spoc in (
        ("H1", CE, True, True),
        ("H2", CE, True, False),
        ("H3", WA, True, True),
        ("H4", CE, False, False),  # closed
    ):
        ChildrensHome.objects.create(
            home_id=home_id, name=f"Home {home_id}", council_area=area, open=open_,
            police_spoc=spoc if with_spoc else None,
        )  # fmt: skip
    police, nhs, schools = (
        Agency.objects.create(code=c, name=c)
        for c in ("cheshire-police", "cheshire-nhs", "cheshire-schools")
    )
    Agency.objects.create(code="halton-cs", name="Halton children's services")  # never delivered
    delivery(police, at(2026, 4, 10, 9), 100, 5, True)
    delivery(police, at(2026, 5, 10, 9), 50, 0, True)
    delivery(nhs, at(2026, 3, 1, 9), 40, 2, True)
    delivery(schools, at(2026, 5, 25, 9), 0, 0, False)
    for started, pairs in ((at(2026, 5, 3), 12), (at(2026, 5, 28), 7), (at(2026, 6, 10), 4)):
        LinkRun.objects.create(
            mode="incremental", started_at=started, records=10, people=8,
            summary={"review_pairs": pairs},
        )  # fmt: skip

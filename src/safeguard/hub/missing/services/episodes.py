"""Missing episodes, one function per action: report a child away, grade (and review) the
risk, record the return, cancel one reported in error; and the delivery's reaction that makes
recent delivered episodes hub episodes, or joins them to the hub's own.

Recording a return opens the return home interview on its 72-hour clock, with the
commissioned provider alerted, and checks the child's pattern: repeat or long episodes open a
strategy discussion task (`tasks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid, Refusal, RuleBroken
from safeguard.access.events import (
    ChildReturned,
    EpisodeCancelled,
    EpisodeGraded,
    EpisodeReported,
    Refused,
)
from safeguard.access.policy import Action, Decision, act
from safeguard.casework import episode as table
from safeguard.hub import clocks, reactions
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.deliveries.queries import current_of_kind, when
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.mash import queries as mash
from safeguard.hub.mash.clocks import vocabulary
from safeguard.hub.mash.services.steps import attempt
from safeguard.hub.missing import queries
from safeguard.hub.missing.models import Episode, Interview, Report
from safeguard.hub.missing.services.steps import changing, keep, take
from safeguard.hub.missing.services.tasks import check_pattern
from safeguard.hub.people.models import PersonRecord
from safeguard.settings import get_settings


@dataclass(frozen=True)
class Away:
    """What a report of a child away says."""

    kind: str
    started_at: dt.datetime
    person: int | None = None
    child_name: str = ""
    home: str = ""
    """The home's id (`care_homes` id), when the child went from a children's home."""
    council_area: str = ""
    last_seen_where: str = ""
    last_seen_with: str = ""
    circumstances: str = ""


def report(caller: Caller, away: Away) -> Episode:
    """Report a child missing, absent or away from placement; the home's SPOC is alerted."""
    attempted = Refused("report a child away", away.kind)
    allowed = audit.check(caller, act(caller.actor, Action.REPORT_EPISODE), attempted)
    with attempt(caller, attempted):
        now = timezone.now()
        lengths = {"circumstances": len(away.circumstances)}
        person = mash.current_person(away.person) if away.person else None
        wrong = table.report_problems(
            away.kind, away.started_at, now, bool(person or away.child_name.strip()), lengths
        )
        if away.person and person is None:
            wrong["child"] = f"There is no person P{away.person}"
        home = ChildrensHome.objects.filter(home_id=away.home).first() if away.home else None
        if away.home and home is None:
            wrong["home"] = f"There is no children's home {away.home}"
        if wrong:
            raise Invalid(wrong)
        found = Episode.objects.create(
            kind=away.kind,
            person_id=person,
            child_name=away.child_name.strip() or queries.name_of(person),
            home=home,
            council_area=away.council_area or (home.council_area if home else ""),
            started_at=away.started_at,
            last_seen_where=away.last_seen_where.strip(),
            last_seen_with=away.last_seen_with.strip(),
            circumstances=away.circumstances.strip(),
            reported_at=now,
            reported_by=caller.actor.username,
            reporter_agency=caller.actor.agency,
        )
        keep(found, "reported", caller, now, f"reported {table.KINDS[away.kind].split(':')[0]}")
        audit.write(
            caller.actor, EpisodeReported(found.pk, away.kind, person), allowed, caller.channel
        )
        if home is not None and home.police_spoc is not None:
            alerts.tell(
                [home.police_spoc],
                "away",
                str(found.pk),
                f"A child is away from {home.name} (episode {found.pk})",
                f"/missing/episodes/{found.pk}/",
            )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def grade(caller: Caller, episode_id: int, grade: str, reason: str) -> Episode:
    """Grade the risk (the police), or review the grade, with the reason; a high grade alerts
    the home's SPOC and the MASH managers."""
    with changing(caller, episode_id, "grade an episode") as (found, allowed):
        if grade not in table.GRADES:
            raise RuleBroken(f"choose a grade ({', '.join(table.GRADES)})")
        take(table.MACHINE, found.status, "grade", caller, reason)
        now, was = timezone.now(), found.grade
        found.grade, found.graded_at = grade, now
        detail = f"graded {table.GRADES[grade]}" + (
            f" (was {table.GRADES[was]})" if was in table.GRADES else ""
        )
        keep(found, "grade", caller, now, detail, reason)
        event = EpisodeGraded(found.pk, grade, reason.strip(), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        if grade == "high":
            spoc = [found.home.police_spoc] if found.home and found.home.police_spoc else []
            alerts.tell(
                spoc + mash.with_role("mash_manager"),
                "high_risk",
                f"{found.pk}:{now.isoformat()}",
                f"High risk: a child is missing (episode {found.pk})",
                f"/missing/episodes/{found.pk}/",
            )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Found:
    returned_at: dt.datetime
    found_where: str
    found_postcode: str = ""
    found_by: str = ""
    found_with: str = ""


def find(caller: Caller, episode_id: int, back: Found) -> Episode:
    """Record the child's return: the interview opens on its clock for the provider, and the
    child's pattern is checked for a strategy discussion."""
    with changing(caller, episode_id, "record a return") as (found, allowed):
        take(table.MACHINE, found.status, "find", caller)
        now = timezone.now()
        wrong = table.return_problems(found.started_at, back.returned_at, now, back.found_where)
        if wrong:
            raise Invalid(wrong)
        _returned(found, back)
        hours = table.hours_away(found.started_at, back.returned_at, now)
        keep(found, "find", caller, now, f"back after {hours:.0f} hours: {back.found_where}")
        event = ChildReturned(found.pk, round(hours, 1), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        open_interview(found)
        check_pattern(caller, found, now)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def _returned(found: Episode, back: Found) -> None:
    found.status = table.RETURNED
    found.returned_at = back.returned_at
    found.found_where = back.found_where.strip()[:300]
    found.found_postcode = back.found_postcode.strip().upper()[:10]
    found.found_by = back.found_by.strip()[:200]
    found.found_with = back.found_with.strip()[:300]


def open_interview(found: Episode) -> Interview:
    """The return home interview a return opens: due 72 hours after it, with the commissioned
    provider's interviewers alerted."""
    provider = get_settings().rhi_provider
    assert found.returned_at is not None
    interview, made = Interview.objects.get_or_create(
        episode=found,
        defaults={
            "provider": provider,
            "due_at": clocks.due(table.RHI_CLOCK, found.returned_at),
        },
    )
    if made:
        due = timezone.localtime(interview.due_at).strftime("%H:%M on %a %d %b")
        alerts.tell(
            mash.with_role("rhi_worker", provider),
            "interview",
            str(interview.pk),
            f"A return home interview to offer by {due} (episode {found.pk})",
            f"/missing/interviews/{interview.pk}/",
        )
    return interview


def cancel(caller: Caller, episode_id: int, reason: str) -> Episode:
    """Cancel an episode reported in error, saying why."""
    with changing(caller, episode_id, "cancel an episode") as (found, allowed):
        take(table.MACHINE, found.status, "cancel", caller, reason)
        now = timezone.now()
        found.status, found.cancelled_reason = table.CANCELLED, reason.strip()
        keep(found, "cancel", caller, now, "cancelled", reason)
        event = EpisodeCancelled(found.pk, reason.strip(), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


# --- deliveries ---


@reactions.on(reactions.Stage.DELIVERY_LOADED, "missing_episodes")
def take_delivered(caller: Caller) -> dict[str, Any]:
    """Delivered episodes still live (started at most `intake_days` ago, as the MASH's
    contacts) become hub episodes, or join the hub's own episode of the same child at the same
    time; older ones are the child's history (the analysis reads them)."""
    now = timezone.now()
    days = vocabulary().intake_days
    since = timezone.localtime(now - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")
    made = joined = 0
    for record in current_of_kind("missing_episodes", since):
        unique = f"{record.agency.code}:{record.record_id}"
        if Report.objects.filter(record=unique).exists():
            continue
        try:
            outcome = _delivered(caller, unique, record.data or {}, now)
        except Refusal:
            continue
        made += outcome == "made"
        joined += outcome == "joined"
    return {"made": made, "joined": joined}


def _delivered(caller: Caller, unique: str, data: dict[str, Any], now: dt.datetime) -> str:
    agency = unique.split(":", 1)[0]
    started = when(str(data.get("last_seen_at") or data.get("reported_at") or ""))
    if started is None:
        return "skipped"
    returned = when(str(data.get("returned_at") or ""))
    row = PersonRecord.objects.filter(unique_id=f"{agency}:{data.get('person_id')}")
    person = row.values_list("person_id", flat=True).first()
    slack = dt.timedelta(hours=clocks.missing_rules().same_episode_hours)
    with attempt(caller, Refused("take a delivered episode", unique)):
        same = queries.same_episode(person, started, returned, slack) if person else None
        if same is not None:
            Report.objects.create(episode=same, record=unique, agency=agency)
            keep(same, "joined", caller, now, f"also reported by {agency}")
            return "joined"
        home = ChildrensHome.objects.filter(home_id=str(data.get("care_home_id") or "")).first()
        kind = str(data.get("category") or "missing")
        found = Episode.objects.create(
            kind=kind if kind in table.KINDS else "missing",
            person_id=person,
            child_name=queries.name_of(person),
            home=home,
            council_area=home.council_area if home else "",
            started_at=started,
            last_seen_where=str(data.get("last_seen_location") or "")[:300],
            circumstances=str(data.get("notes") or ""),
            reported_at=when(str(data.get("reported_at") or "")) or started,
            reported_by=f"({agency})",
            reporter_agency=agency,
            grade=str(data.get("risk_grade") or "")
            if data.get("risk_grade") in table.GRADES
            else "",
            source_record=unique,
        )
        Report.objects.create(episode=found, record=unique, agency=agency)
        keep(found, "reported", caller, now, f"delivered by {agency}")
        event = EpisodeReported(found.pk, found.kind, person)
        audit.write(caller.actor, event, Decision(True, "a delivered episode"), caller.channel)
        if returned is not None:
            _returned(
                found,
                Found(
                    returned,
                    str(data.get("found_location") or "not recorded"),
                    str(data.get("found_postcode") or ""),
                    "",
                    str(data.get("found_with") or ""),
                ),
            )
            keep(found, "find", caller, now, f"returned (delivered by {agency})")
            if not data.get("rhi_completed_at"):
                open_interview(found)
            check_pattern(caller, found, now)
        return "made"

"""Scheduling a MACE meeting, and changing it: its date, the council areas it covers, who
chairs it and which agencies attend. The chair is told."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid
from safeguard.access.events import MeetingScheduled
from safeguard.casework import mace
from safeguard.hub.accounts.models import User
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mace import queries
from safeguard.hub.mace.models import Meeting
from safeguard.hub.mace.services.steps import changing, recording


@dataclass(frozen=True)
class Plan:
    """What a meeting is: when, which council areas, its chair (a username), the agencies
    that attend, and where."""

    held_on: dt.date | None
    areas: tuple[str, ...]
    chair: str
    attendees: tuple[str, ...]
    venue: str = ""


def _checked(plan: Plan) -> tuple[dt.date, User]:
    chair = queries.attendee(plan.chair) if plan.chair else None
    wrong = mace.meeting_problems(
        plan.held_on,
        list(plan.areas),
        {code for code, _ in queries.MEETING_AREAS},
        chair is not None,
        list(plan.attendees),
        queries.rules(),
    )
    if wrong:
        raise Invalid(wrong)
    assert plan.held_on is not None and chair is not None
    return plan.held_on, chair


def schedule(caller: Caller, plan: Plan) -> Meeting:
    """Schedule a meeting; its chair is alerted."""
    with recording(caller, "schedule a MACE meeting", str(plan.held_on or "")) as allowed:
        held_on, chair = _checked(plan)
        found = Meeting.objects.create(
            held_on=held_on,
            areas=list(dict.fromkeys(plan.areas)),
            chair=chair,
            attendees=list(dict.fromkeys(plan.attendees)),
            venue=plan.venue.strip()[:200],
            scheduled_by=caller.actor.username,
            scheduled_at=timezone.now(),
        )
        event = MeetingScheduled(found.pk, held_on.isoformat())
        audit.write(caller.actor, event, allowed, caller.channel)
        _tell_chair(found)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def change(caller: Caller, meeting_id: int, plan: Plan) -> Meeting:
    """Change a meeting's date, areas, chair, attendees or venue; a new chair is alerted."""
    with changing(caller, Meeting, meeting_id, "change a MACE meeting") as (found, allowed):
        held_on, chair = _checked(plan)
        found.held_on, found.chair = held_on, chair
        found.areas = list(dict.fromkeys(plan.areas))
        found.attendees = list(dict.fromkeys(plan.attendees))
        found.venue = plan.venue.strip()[:200]
        found.save()
        event = MeetingScheduled(found.pk, held_on.isoformat(), "changed")
        audit.write(caller.actor, event, allowed, caller.channel)
        _tell_chair(found)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def _tell_chair(found: Meeting) -> None:
    alerts.tell(
        [found.chair],
        "mace_chair",
        f"{found.pk}:{found.held_on.isoformat()}",
        f"You chair the MACE meeting on {queries.day(found.held_on)}",
        f"/mace/{found.pk}/",
    )

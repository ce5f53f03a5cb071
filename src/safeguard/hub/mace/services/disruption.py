"""Recording disruption: a child abduction warning notice, a sexual risk or harm prevention
order, an Operation Makesafe visit, a licensing review or other disruption - its date, against
whom (a person the hub knows, or a description) or where, by which agency, in which council
area, and the meeting and item it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid
from safeguard.access.events import DisruptionRecorded
from safeguard.casework import mace
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.audit import services as audit
from safeguard.hub.mace import queries
from safeguard.hub.mace.models import Disruption, Item, Meeting
from safeguard.hub.mace.services.steps import recording
from safeguard.hub.mash import queries as mash


@dataclass(frozen=True)
class Disrupt:
    kind: str
    on: dt.date | None
    agency: str
    against_person: int | None = None
    against: str = ""
    place: str = ""
    area: str = ""
    meeting: int | None = None
    item: int | None = None
    details: str = ""


def record(caller: Caller, d: Disrupt) -> Disruption:
    """Record a disruption (its area, when not given, is its item's or its meeting's one)."""
    with recording(caller, "record a disruption", d.kind) as allowed:
        wrong = mace.disruption_problems(
            d.kind,
            d.on,
            timezone.localdate(),
            bool(d.against_person or d.against.strip()),
            bool(d.place.strip()),
            d.agency,
            queries.rules(),
        )
        person = mash.current_person(d.against_person) if d.against_person else None
        if d.against_person and person is None:
            wrong["against_person"] = f"There is no person P{d.against_person}"
        item = Item.objects.visible_to(caller.actor).filter(pk=d.item).first() if d.item else None
        if d.item and item is None:
            wrong["item"] = f"There is no agenda item {d.item}"
        meeting = (
            Meeting.objects.visible_to(caller.actor).filter(pk=d.meeting).first()
            if d.meeting
            else (item.meeting if item else None)
        )
        if d.meeting and meeting is None:
            wrong["meeting"] = f"There is no MACE meeting {d.meeting}"
        if item and meeting and item.meeting_id != meeting.pk:
            wrong["item"] = "That item is on another meeting's agenda"
        if d.area and d.area not in queries.AREA_LABELS:
            wrong["area"] = "Choose a council area"
        if len(d.details) > MAX_TEXT:
            wrong["details"] = "Keep it under 20,000 characters"
        if wrong:
            raise Invalid(wrong)
        assert d.on is not None
        area = d.area or (item.area if item else "")
        if not area and meeting is not None and len(meeting.areas) == 1:
            area = meeting.areas[0]
        found = Disruption.objects.create(
            kind=d.kind,
            on=d.on,
            against_person_id=person,
            against=d.against.strip()[:300],
            place=d.place.strip()[:300],
            agency=d.agency,
            area=area,
            meeting=meeting,
            item=item,
            details=d.details.strip(),
            recorded_by=caller.actor.username,
            recorded_at=timezone.now(),
        )
        event = DisruptionRecorded(found.pk, d.kind, meeting.pk if meeting else None, person)
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover

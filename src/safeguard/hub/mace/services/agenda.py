"""A meeting's agenda: built for the meeting from what the hub knows (`queries.candidates`:
children at risk not discussed lately, referrals from the MASH, open network findings, places
of concern; each citing why), and added to by hand (a child, a finding or a place, with the
reason). Building again adds only what is new: items already on the agenda stay as they are."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid
from safeguard.access.events import AgendaBuilt, AgendaItemAdded
from safeguard.access.policy import intelligence
from safeguard.casework import mace
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.audit import services as audit
from safeguard.hub.intelligence.models import Finding
from safeguard.hub.mace import queries
from safeguard.hub.mace.models import Item, Meeting
from safeguard.hub.mace.services.steps import changing
from safeguard.hub.mash import queries as mash

#: Items added by hand come after those the hub found.
HAND_RANK = 900_000


def build(caller: Caller, meeting_id: int) -> int:
    """Add to the meeting's agenda everything it should hold and does not yet; how many."""
    with changing(caller, Meeting, meeting_id, "build a MACE agenda") as (meeting, allowed):
        found = queries.candidates(meeting, queries.rules().lookback_days)
        now = timezone.now()
        Item.objects.bulk_create(
            [
                Item(
                    meeting=meeting,
                    kind=c.kind,
                    subject=c.subject,
                    person_id=c.person,
                    title=c.title[:300],
                    finding_key=c.finding_key,
                    place=c.place[:300],
                    area=c.area,
                    sources=c.sources,
                    reasons=c.reasons,
                    intelligence=c.intelligence,
                    rank=c.rank,
                    added_by=caller.actor.username,
                    added_at=now,
                )
                for c in found
            ]
        )
        meeting.agenda_built_at = now
        meeting.save(update_fields=["agenda_built_at"])
        shown = tuple(sorted({c.person for c in found if c.person is not None}))
        audit.write(
            caller.actor, AgendaBuilt(meeting.pk, len(found), shown), allowed, caller.channel
        )
        return len(found)
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Addition:
    """An item added by hand: a child (their Safeguard number), a network finding (its key)
    or a place, and why it is on the agenda."""

    kind: str
    reason: str
    person: int | None = None
    finding_key: str = ""
    place: str = ""


def add(caller: Caller, meeting_id: int, addition: Addition) -> Item:
    """Add an item to the agenda by hand, with the reason."""
    with changing(caller, Meeting, meeting_id, "add to a MACE agenda") as (meeting, allowed):
        item = _item(caller, meeting, addition)
        if meeting.items.filter(subject=item.subject).exists():
            raise Invalid({_field(addition.kind): "That is on the agenda already"})
        item.save()
        event = AgendaItemAdded(meeting.pk, item.subject, addition.reason.strip(), item.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        return item
    raise AssertionError("unreachable")  # pragma: no cover


def _field(kind: str) -> str:
    return {mace.CHILD: "person", mace.FINDING: "finding_key", mace.PLACE: "place"}.get(
        kind, "kind"
    )


def _item(caller: Caller, meeting: Meeting, a: Addition) -> Item:
    wrong: dict[str, str] = {}
    reason = a.reason.strip()
    if not reason or len(reason) > MAX_TEXT:
        wrong["reason"] = "Say why it is on the agenda"
    made = Item(
        meeting=meeting,
        kind=a.kind,
        sources=[mace.HAND],
        reasons=[f"Added by {caller.actor.username}: {reason}"],
        rank=HAND_RANK + meeting.items.count(),
        added_by=caller.actor.username,
        added_at=timezone.now(),
    )
    if a.kind == mace.CHILD:
        person = mash.current_person(a.person) if a.person else None
        if person is None:
            wrong["person"] = "Give the child's Safeguard number, like P1234"
        else:
            made.person_id, made.subject = person, f"P:{person}"
            made.title = queries.name_of(person)
    elif a.kind == mace.FINDING:
        found = Finding.objects.filter(key=a.finding_key.strip()).first()
        if not intelligence(caller.actor):
            wrong["finding_key"] = (
                "Only the police, the MASH and analysts add a network finding: ask one of them"
            )
        elif found is None:
            wrong["finding_key"] = "There is no network finding with that key"
        else:
            made.subject, made.finding_key = f"F:{found.key}", found.key
            made.title, made.intelligence = queries.finding_title(found.kind, found.anchor), True
            made.reasons.append(
                f"Network finding {found.key} ({found.status.replace('_', ' ')}): {found.summary}"
            )
    elif a.kind == mace.PLACE:
        place = " ".join(a.place.split())
        if not place:
            wrong["place"] = "Say which place: its name and address, or its postcode"
        made.subject, made.place, made.title = (
            queries.place_subject(place),
            place[:300],
            place[:300],
        )
    else:
        wrong["kind"] = "Choose a child, a network finding or a place"
    if wrong:
        raise Invalid(wrong)
    return made

"""What is past the retention schedule (`safeguard.governance.retention`) today, and what of it
is held: the records each type's rule has passed, less those of a person under a legal hold.
Reads only; the service (`services.retention`) removes what this finds, in one transaction.

Types are the data contract's record kinds (every version of an agency record goes together),
the hub's own closed cases (`mash_contact` and `missing_episode`), and `quarantine`: the rows a
delivery held that could not be loaded, which go a delivery at a time, counted from the day it
was received (their rule has no age: no row of theirs was accepted as anyone's), and
`mace_item`: a MACE agenda item with its actions, counted from the meeting or its last decision
or closed action (a child's item by the child's birthday too; a finding's, a place's or an
unnamed referral's by the years alone); its disruptions stay, as counts of what was done, no
longer tied to the item. A person's
identity (their `people` records and the hub's person) and the audit trail are never removed
here.

A person is under a legal hold, and nothing of theirs is removed, while any of these is true:
a network finding they are in is open or under investigation; a MACE action on their agenda
item is open; their current screening has them at risk; a MASH contact about them is open; they
are missing now; a team holds their case; a strategy discussion about them is open."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.db.models.fields.json import KT

from safeguard.casework import contact, episode, finding, mace, strategy
from safeguard.governance.retention import Rule, Schedule, born_on
from safeguard.hub.deliveries.models import QuarantinedRow, SourceRecord
from safeguard.hub.intelligence.models import Finding, Screening
from safeguard.hub.mace.models import Item, MeetingAction
from safeguard.hub.mash.models import Allocation, Contact
from safeguard.hub.missing.models import Episode, StrategyTask
from safeguard.hub.people.models import PersonRecord

#: Identity and reference data: never removed by retention (see the module's description).
NEVER = frozenset({"people", "care_homes"})
CONTACT, EPISODE, QUARANTINE = "mash_contact", "missing_episode", "quarantine"
MACE_ITEM = "mace_item"


@dataclass
class Tally:
    past: int = 0  # past retention and removed (or, in a dry run, to be removed)
    held: int = 0  # past retention, kept under a legal hold
    kept: int = 0  # within retention, or no rule / no date of birth to tell


@dataclass
class Due:
    """What a run removes, and the counts by type (no personal data)."""

    tallies: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    records: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    contacts: list[int] = field(default_factory=list)
    episodes: list[int] = field(default_factory=list)
    quarantine: list[int] = field(default_factory=list)  # deliveries whose rows go
    mace_items: list[int] = field(default_factory=list)

    def count(self, kind: str, past: bool, held: bool) -> bool:
        """Tally one record; whether it goes."""
        tally = self.tallies[kind]
        if past and held:
            tally.held += 1
        elif past:
            tally.past += 1
        else:
            tally.kept += 1
        return past and not held


def held_people() -> set[int]:
    """The people under a legal hold today (the module's description)."""
    people: set[int] = set()
    live = Finding.objects.filter(active=True, status__in=(finding.OPEN, finding.INVESTIGATING))
    for members in live.values_list("members", flat=True):
        for m in members or []:
            node = str(m.get("node", ""))
            if node.startswith("P:") and node[2:].isdigit():
                people.add(int(node[2:]))
    for ids in (
        MeetingAction.objects.filter(status=mace.OPEN).values_list("item__person_id", flat=True),
        Screening.objects.filter(current=True, at_risk=True).values_list("person_id", flat=True),
        Contact.objects.filter(status__in=contact.OPEN).values_list("person_id", flat=True),
        Contact.objects.filter(status__in=contact.OPEN).values_list(
            "subjects__person_id", flat=True
        ),
        Episode.objects.filter(status=episode.AWAY).values_list("person_id", flat=True),
        Allocation.objects.filter(closed_at__isnull=True).values_list("person_id", flat=True),
        StrategyTask.objects.filter(status=strategy.OPEN).values_list("person_id", flat=True),
    ):
        people |= {p for p in ids if p is not None}
    return people


def due(schedule: Schedule, today: dt.date, held: set[int] | None = None) -> Due:
    """Everything past `schedule` on `today`, with the counts by type; `held`: the people
    under a legal hold, when the caller has just read them (`held_people`)."""
    held = held_people() if held is None else held
    found = Due()
    _records(schedule, today, held, found)
    born = _people_births()
    _cases(schedule, today, held, born, found)
    _mace(schedule, today, held, born, found)
    _quarantine(schedule, today, found)
    return found


def _records(schedule: Schedule, today: dt.date, held: set[int], found: Due) -> None:
    births = dict(_births())
    held_keys = set(
        PersonRecord.objects.filter(person_id__in=held).values_list("agency", "record_id")
    )
    incidents: dict[tuple[str, str], str] = {}
    kept_incidents: set[tuple[str, str]] = set()
    gone_incidents: list[tuple[int, str, str]] = []
    rows = (
        SourceRecord.objects.filter(is_current=True)
        .exclude(kind__in=NEVER)
        .order_by("kind")  # incidents before involvements
        .values_list(
            "agency_id",
            "agency__code",
            "kind",
            "record_id",
            "subject_id",
            "occurred_at",
            "delivery__extract_date",
            KT("data__incident_id"),
            "data__person_ids",
        )
    )
    for agency_id, agency, kind, record, subject, when, extract, incident, named in _chunks(rows):
        rule = schedule.rule(kind, agency)
        if kind == "incidents":  # decided once their involvements are (below)
            incidents[(agency, record)] = when
            gone_incidents.append((agency_id, agency, record))
            continue
        if kind == "involvements":
            when = incidents.get((agency, str(incident)), when)
        last = _day(when) or extract
        mentioned = [(agency, str(i)) for i in (named or [])]
        is_held = (agency, subject) in held_keys or any(k in held_keys for k in mentioned)
        past = rule is not None and rule.past(today, last, births.get((agency, subject)))
        if found.count(kind, past, is_held):
            found.records[(agency_id, kind)].append(record)
        elif kind == "involvements" and incident:
            kept_incidents.add((agency, str(incident)))
    # an incident names no one child: it goes when its years have passed and none of its
    # involvements is kept (whose subjects' ages and holds decide)
    for agency_id, agency, record in gone_incidents:
        rule = schedule.rule("incidents", agency)
        last = _day(incidents[(agency, record)]) or today
        past = _past(rule and rule.years_alone(), today, last, None)
        if found.count("incidents", past, (agency, record) in kept_incidents):
            found.records[(agency_id, "incidents")].append(record)


def _cases(
    schedule: Schedule, today: dt.date, held: set[int], born: dict[int, dt.date], found: Due
) -> None:
    contacts = Contact.objects.exclude(status__in=contact.OPEN).values_list(
        "pk", "person_id", "received_at", "decided_at"
    )
    rule = schedule.rule(CONTACT)
    for pk, person, received, decided in contacts:
        last = (decided or received).date()
        if found.count(CONTACT, _past(rule, today, last, born.get(person)), person in held):
            found.contacts.append(pk)
    episodes = Episode.objects.exclude(status=episode.AWAY).values_list(
        "pk", "person_id", "started_at", "returned_at"
    )
    rule = schedule.rule(EPISODE)
    open_tasks = set(
        StrategyTask.objects.filter(status=strategy.OPEN).values_list("episode_id", flat=True)
    )
    for pk, person, started, returned in episodes:
        last = (returned or started).date()
        is_held = person in held or pk in open_tasks
        if found.count(EPISODE, _past(rule, today, last, born.get(person)), is_held):
            found.episodes.append(pk)


def _mace(
    schedule: Schedule, today: dt.date, held: set[int], born: dict[int, dt.date], found: Due
) -> None:
    """MACE agenda items: a child's by their birthday and the years since the item's last
    activity; any other item's by the years alone. An item with an open action is held."""
    rule = schedule.rule(MACE_ITEM)
    years = rule and rule.years_alone()
    closed = dict(
        MeetingAction.objects.values("item_id")
        .annotate(last=Max("closed_at"))
        .values_list("item_id", "last")
    )
    acting = set(MeetingAction.objects.filter(status=mace.OPEN).values_list("item_id", flat=True))
    items = Item.objects.values_list("pk", "person_id", "meeting__held_on", "decided_at")
    for pk, person, held_on, decided in items.iterator(chunk_size=5_000):
        last = max(d for d in (held_on, _date(decided), _date(closed.get(pk))) if d is not None)
        if person is None:
            past = _past(years, today, last, None)
        else:
            past = _past(rule, today, last, born.get(person))
        if found.count(MACE_ITEM, past, pk in acting or person in held):
            found.mace_items.append(pk)


def _date(when: dt.datetime | None) -> dt.date | None:
    return None if when is None else when.date()


def _quarantine(schedule: Schedule, today: dt.date, found: Due) -> None:
    """Each delivery's quarantined rows, together, by the day it was received."""
    deliveries = (
        QuarantinedRow.objects.values("delivery_id", "delivery__agency__code")
        .annotate(rows=Count("pk"))
        .values_list("delivery_id", "delivery__agency__code", "delivery__received_at", "rows")
    )
    for delivery, agency, received, rows in deliveries:
        rule = schedule.rule(QUARANTINE, agency)
        past = _past(rule, today, received.date(), None)
        tally = found.tallies[QUARANTINE]
        if past:
            tally.past += rows
            found.quarantine.append(delivery)
        else:
            tally.kept += rows


def _past(rule: Rule | None, today: dt.date, last: dt.date, born: dt.date | None) -> bool:
    return rule is not None and rule.past(today, last, born)


def _births() -> Iterator[tuple[tuple[str, str], dt.date]]:
    """Each agency's people record's date of birth, by (agency, record id)."""
    rows = SourceRecord.objects.filter(is_current=True, kind="people").values_list(
        "agency__code", "record_id", KT("data__date_of_birth")
    )
    for agency, record, text in _chunks(rows):
        day = born_on(text or "")
        if day is not None:
            yield (agency, record), day


def _people_births() -> dict[int, dt.date]:
    """Each person's date of birth: the latest their records give (never too early)."""
    births = dict(_births())
    out: dict[int, dt.date] = {}
    for agency, record, person in PersonRecord.objects.values_list(
        "agency", "record_id", "person_id"
    ).iterator(chunk_size=5_000):
        day = births.get((agency, record))
        if day is not None and (person not in out or day > out[person]):
            out[person] = day
    return out


def _chunks(rows: object) -> Iterator[tuple]:  # type: ignore[type-arg]
    yield from rows.iterator(chunk_size=5_000)  # type: ignore[attr-defined]


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None

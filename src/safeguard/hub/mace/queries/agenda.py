"""What a meeting's agenda should hold, found with a few set-based queries (never one per
child): children at risk now in the meeting's areas that no MACE meeting discussed in the last
`lookback_days`, children a MASH decision referred to the meeting and no meeting has discussed
since, open network findings, and places of concern (place findings, and the places of group
findings). Each candidate cites why it is on the agenda. Reads only: the agenda service adds
them (`services.agenda`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat, TruncDate
from django.utils import timezone

from safeguard.casework import contact, finding, mace
from safeguard.hub.intelligence.models import Finding, Screening
from safeguard.hub.mace.models import Item, Meeting
from safeguard.hub.mash.clocks import vocabulary
from safeguard.hub.mash.models import Contact
from safeguard.hub.people.models import PersonRecord, SearchEntry


@lru_cache(maxsize=1)
def rules() -> mace.Rules:
    """The MACE configuration (`safeguard/casework/data/mace.toml`), read once."""
    return mace.load()


@dataclass
class Candidate:
    subject: str
    kind: str
    title: str
    rank: int
    person: int | None = None
    finding_key: str = ""
    place: str = ""
    area: str = ""
    intelligence: bool = False
    sources: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def place_subject(place: str) -> str:
    """One place however it is typed: `L:` and its words, upper case, single-spaced."""
    return "L:" + " ".join(place.split()).upper()[:200]


def candidates(meeting: Meeting, lookback_days: int) -> list[Candidate]:
    """Everything the meeting's agenda should hold that it does not yet, best first."""
    recent = discussed(meeting, lookback_days)
    have = set(meeting.items.values_list("subject", flat=True))
    found: dict[str, Candidate] = {}
    for c in [*referred(meeting), *at_risk(meeting), *networks()]:
        held = found.setdefault(c.subject, c)
        if held is not c:
            held.sources += [s for s in c.sources if s not in held.sources]
            held.reasons += [r for r in c.reasons if r not in held.reasons]
            held.rank = min(held.rank, c.rank)
    keep = [
        c
        for c in found.values()
        if c.subject not in have and (mace.REFERRAL in c.sources or c.subject not in recent)
    ]
    _name(keep)
    return sorted(keep, key=lambda c: (c.rank, c.subject))


def discussed(meeting: Meeting, lookback_days: int) -> set[str]:
    """Subjects another meeting discussed in the `lookback_days` up to this meeting's date."""
    since = meeting.held_on - dt.timedelta(days=lookback_days)
    return set(
        Item.objects.filter(
            decided_at__isnull=False, meeting__held_on__range=(since, meeting.held_on)
        )
        .exclude(meeting=meeting)
        .values_list("subject", flat=True)
    )


def _area_agencies() -> dict[str, list[str]]:
    """Each council area's agencies (the MASH vocabulary's `delivered_areas`)."""
    found: dict[str, list[str]] = {}
    for agency, area in vocabulary().delivered_areas.items():
        found.setdefault(area, []).append(agency)
    return found


def at_risk(meeting: Meeting) -> list[Candidate]:
    """Children whose current screening says at risk, held by a council of the meeting's
    areas or by no council at all (area not known)."""
    by_area = _area_agencies()
    mine = [a for area in meeting.areas for a in by_area.get(area, [])]
    councils = [a for agencies in by_area.values() for a in agencies]
    in_area = PersonRecord.objects.filter(agency__in=mine).values("person_id")
    known = PersonRecord.objects.filter(agency__in=councils).values("person_id")
    rows = (
        Screening.objects.filter(current=True, at_risk=True)
        .filter(Q(person_id__in=in_area) | ~Q(person_id__in=known))
        .order_by("-score", "person_id")
        .values_list("person_id", "band", "score", "assessed_on")
    )
    areas = _areas_of([r[0] for r in rows], mine, by_area)
    return [
        Candidate(
            subject=f"P:{person}",
            kind=mace.CHILD,
            title=f"P{person}",
            rank=100_000 + n,
            person=person,
            area=areas.get(person, ""),
            sources=[mace.SCREENING],
            reasons=[f"At risk: screened {band.replace('_', ' ')} (score {score}) on {day(on)}"],
        )
        for n, (person, band, score, on) in enumerate(rows)
    ]


def _areas_of(people: list[int], mine: list[str], by_area: dict[str, list[str]]) -> dict[int, str]:
    area_of = {a: area for area, agencies in by_area.items() for a in agencies}
    found: dict[int, str] = {}
    rows = PersonRecord.objects.filter(person_id__in=people, agency__in=mine)
    for person, agency in rows.values_list("person_id", "agency"):
        found.setdefault(person, area_of.get(agency, ""))
    return found


def referred(meeting: Meeting) -> list[Candidate]:
    """Children a MASH decision referred to the MACE meeting, in the meeting's areas (or area
    not known), not discussed at a meeting on or after the decision."""
    since = Q(decided_at__isnull=False, meeting__held_on__gte=OuterRef("decided_on"))
    heard = Item.objects.filter(since, person_id=OuterRef("person_id"))
    unnamed = Item.objects.filter(since, subject=Concat(Value("C:"), OuterRef("reference")))
    rows = (
        Contact.objects.filter(status=contact.DECIDED, outcomes__icontains='"mace"')
        .filter(Q(council_area__in=meeting.areas) | Q(council_area=""))
        .filter(decided_at__date__lte=meeting.held_on)
        .annotate(decided_on=TruncDate("decided_at"))
        .annotate(heard=Exists(heard), heard_unnamed=Exists(unnamed))
        .filter(heard=False, heard_unnamed=False)
        .order_by("decided_at")
        .values_list(
            "reference", "person_id", "child_name", "council_area", "decided_at", "decided_by"
        )
    )
    found = []
    for n, (ref, person, name, area, at, by) in enumerate(rows):
        found.append(
            Candidate(
                subject=f"P:{person}" if person else f"C:{ref}",
                kind=mace.CHILD,
                title=name or (f"P{person}" if person else "A child not yet named"),
                rank=n,
                person=person,
                area=area,
                sources=[mace.REFERRAL],
                reasons=[f"Referred by the MASH: contact {ref}, decided {_on(at)} by {by}"],
            )
        )
    return found


def networks() -> list[Candidate]:
    """Open network findings (not yet explained or closed), and places of concern: place
    findings, and the places of group findings."""
    rows = (
        Finding.objects.filter(active=True, status__in=(finding.OPEN, finding.INVESTIGATING))
        .order_by("-at_risk_children", "-strength", "key")
        .values_list("key", "kind", "anchor", "summary", "members", "status")
    )
    found: list[Candidate] = []
    for n, (key, kind, anchor, summary, members, status) in enumerate(rows):
        state = "under investigation" if status == finding.INVESTIGATING else "open"
        if kind == "place":
            found.append(
                _place(anchor[2:], 300_000 + n, f"Place finding {key} ({state}): {summary}")
            )
            continue
        found.append(
            Candidate(
                subject=f"F:{key}",
                kind=mace.FINDING,
                title=finding_title(kind, anchor),
                rank=200_000 + n,
                finding_key=key,
                intelligence=True,
                sources=[mace.NETWORK],
                reasons=[f"Network finding {key} ({state}): {summary}"],
            )
        )
        if kind == "group":
            for m in members or []:
                node = str(m.get("node", ""))
                if m.get("role") == "place" and node.startswith("L:"):
                    why = f"A place of group finding {key} ({state}): {summary}"
                    found.append(_place(node[2:], 300_000 + n, why))
    return found


def finding_title(kind: str, anchor: str) -> str:
    """A finding as the agenda names it: what it is and whom or what it is anchored on (its
    summary is the reason it is on the agenda)."""
    if kind == "object":
        what = {"V": "Vehicle", "T": "Phone"}.get(anchor[:1], "Object")
        return f"{what} {anchor[2:]}"
    words = {"adult": "Adult", "group": "Group around", "community": "Community around"}
    return f"{words.get(kind, kind.capitalize())} {anchor}"


def _place(place: str, rank: int, why: str) -> Candidate:
    return Candidate(
        subject=place_subject(place),
        kind=mace.PLACE,
        title=place,
        rank=rank,
        place=place,
        intelligence=True,
        sources=[mace.NETWORK],
        reasons=[why],
    )


def _name(found: list[Candidate]) -> None:
    """Children by the name an agency holds (one query for them all)."""
    people = [c.person for c in found if c.person is not None and c.title == f"P{c.person}"]
    names: dict[int, str] = {}
    rows = SearchEntry.objects.filter(person_id__in=people).order_by("person_id", "unique_id")
    for person, name in rows.values_list("person_id", "display_name"):
        names.setdefault(person, name)
    for c in found:
        if c.person is not None and c.person in names and c.title == f"P{c.person}":
            c.title = names[c.person]


def _on(at: dt.datetime | None) -> str:
    return day(timezone.localtime(at).date()) if at else "(date not recorded)"


def name_of(person: int) -> str:
    """A person's name as an agency holds it ("P123" when none is held)."""
    found = Candidate(f"P:{person}", mace.CHILD, f"P{person}", 0, person=person)
    _name([found])
    return found.title

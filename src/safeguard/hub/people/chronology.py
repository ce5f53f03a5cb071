"""A person's joined-up chronology: every current record any agency holds about any of their
agency records, in date order. Incidents come in through the person's involvement in them.

What each entry shows is decided per record by the access policy (`safeguard.access.policy.
record`): a record the reader may not see in full still appears, with its date, agency and
kind, and the reason its details are withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from safeguard.access import policy
from safeguard.contract.kinds import KINDS
from safeguard.hub.deliveries.models import Agency, SourceRecord
from safeguard.hub.people.models import PersonRecord

#: Fields never shown as details: identifiers and references (the page links those).
_HIDDEN = {
    "record_id",
    "person_id",
    "incident_id",
    "found_with_person_ids",
    "person_ids",
    "other_person_ids",
    "with_person_ids",
    "care_home_id",
}


@dataclass
class Entry:
    occurred: str
    agency: str
    kind: str
    record_id: str
    details: list[tuple[str, str]] = field(default_factory=list)
    withheld: str = ""

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()


def records_of(person_id: int) -> list[PersonRecord]:
    """The person's agency records. Need to know follows their agencies (`holders`)."""
    return list(PersonRecord.objects.filter(person_id=person_id).order_by("agency", "record_id"))


def holders(records: Iterable[PersonRecord]) -> set[str]:
    return {r.agency for r in records}


def entries(mine: list[PersonRecord], reader: policy.Actor) -> list[Entry]:
    """The chronology of the person with these records, newest first."""
    if not mine:
        return []
    # by agency id (not code) and with `is_current` in each branch of the OR: so SQLite uses
    # the partial index on (agency, subject) for each branch, not a scan of the agency
    agency_ids = dict(
        Agency.objects.filter(code__in={r.agency for r in mine}).values_list("code", "id")
    )
    about = Q()
    for r in mine:
        if r.agency in agency_ids:
            about |= Q(agency_id=agency_ids[r.agency], subject_id=r.record_id, is_current=True)
    if not about:
        return []
    rows = list(SourceRecord.objects.filter(about).exclude(kind="people").select_related("agency"))
    incidents = _incidents(rows)
    out = [_entry(r, reader, incidents) for r in rows]
    return sorted(out, key=lambda e: (e.occurred, e.agency, e.record_id), reverse=True)


def only(
    chosen: list[Entry], agencies: Iterable[str] = (), kinds: Iterable[str] = ()
) -> list[Entry]:
    """The entries from these agencies and of these kinds (all, when none are given)."""
    agency_set, kind_set = set(agencies), set(kinds)
    return [
        e
        for e in chosen
        if (not agency_set or e.agency in agency_set) and (not kind_set or e.kind in kind_set)
    ]


def _incidents(rows: list[SourceRecord]) -> dict[tuple[int, str], SourceRecord]:
    wanted = Q()
    any_wanted = False
    for r in rows:
        if r.kind == "involvements" and r.data.get("incident_id"):
            # kind in each branch: the unique key (agency, kind, record, version) serves it
            wanted |= Q(agency_id=r.agency_id, kind="incidents", record_id=r.data["incident_id"])
            any_wanted = True
    if not any_wanted:
        return {}
    found = SourceRecord.objects.filter(wanted, is_current=True)
    return {(i.agency_id, i.record_id): i for i in found}


def _entry(
    row: SourceRecord, reader: policy.Actor, incidents: dict[tuple[int, str], SourceRecord]
) -> Entry:
    data: dict[str, Any] = dict(row.data)
    kind, occurred = row.kind, row.occurred_at
    if kind == "involvements":
        incident = incidents.get((row.agency_id, str(data.get("incident_id", ""))))
        if incident is not None:
            data = {"role": data.get("role"), **incident.data}
            occurred = incident.occurred_at
            kind = "incidents"
    code = str(data.get("event_code") or "")
    decision = policy.record(reader, kind, code, str(data.get("setting") or ""))
    entry = Entry(occurred.replace("T", " ")[:16], row.agency.code, kind, row.record_id)
    if not decision:
        entry.withheld = decision.reason
        return entry
    spec = KINDS.get(kind)
    order = spec.field_names if spec else tuple(data)
    when = spec.when if spec else None
    for name in order:
        value = data.get(name)
        if name in _HIDDEN or name == when or value in (None, "", []):
            continue
        text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        entry.details.append((name.replace("_", " ").capitalize(), text))
    return entry

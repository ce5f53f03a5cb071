"""Everything the hub holds about one person, for their subject access request: each agency's
records about them (every version), the hub's own casework (MASH contacts, missing episodes,
screenings, findings, MACE, children's homes' notifications), the decisions made about them,
and the audit of who viewed their record. Third parties are redacted (`redaction`): other
people's records are left out, and their names and details scrubbed from what is kept.

Reads only; the service (`services.subject_access`) asks the policy and audits the export."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT

from safeguard.access.events import EVENTS
from safeguard.access.roles import ROLE_LABELS, Role
from safeguard.hub.accounts.models import User
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.carehomes.models import Notification
from safeguard.hub.concerns.models import Reporter
from safeguard.hub.deliveries.models import Agency, SourceRecord
from safeguard.hub.intelligence.models import (
    Finding,
    MissingAlert,
    RecordedIndicator,
    Screening,
)
from safeguard.hub.mace.models import Disruption, Item
from safeguard.hub.mash.models import Allocation, Contact, Subject
from safeguard.hub.missing.models import Episode, Profile, StrategyTask
from safeguard.hub.people.models import IdentityEvent, LinkDecision, PersonRecord
from safeguard.hub.subjects.redaction import REDACTED, Scrubber, ThirdParties

#: Fields of agency records that point at other people: left out, counted.
OTHERS = ("found_with_person_ids", "with_person_ids", "other_person_ids", "person_ids")
#: Fields naming a member of staff: shown as their roles and agency (`staff`).
STAFF = frozenset(
    {
        "by",
        "decided_by",
        "recorded_by",
        "reported_by",
        "requested_by",
        "answered_by",
        "closed_by",
        "updated_by",
        "set_by",
        "scheduled_by",
        "added_by",
        "linked_by",
        "worker",
        "referrer_username",
    }
)
#: Fields that are about other people as a whole: withheld when they say anything.
ABOUT_OTHERS = frozenset(
    {
        "associates",
        "referrer_name",
        "referrer_phone",
        "referrer_email",
        "with_whom",
        "found_with",
        "last_seen_with",
        "with_description",
    }
)
_IDENTITY = ("forenames", "surname", "other_names")
#: What the export says beside an intelligence report that names the person.
NAMED_IN = (
    "an intelligence report naming you among others: consider the crime exemption "
    "(DPA 2018 Schedule 2 paragraph 2) before disclosing it"
)
_DETAILS = ("address", "postcode", "phone", "email", "nhs_number", "upn", "pnc_id")


def exists(person: int) -> bool:
    return PersonRecord.objects.filter(person_id=person).exists()


def holdings(person: int) -> dict[str, Any]:
    """The export's document: its sections, each a list of plain JSON rows, redacted."""
    mine = list(PersonRecord.objects.filter(person_id=person).order_by("agency", "record_id"))
    parties = ThirdParties()
    records = _agency_records(mine)
    own_ids = {(r.agency, r.record_id) for r in mine}
    for row in records:
        if row["type"] == "people":
            parties.add_own(*(row["data"].get(f) for f in _IDENTITY))
    contacts = list(
        Contact.objects.filter(Q(person_id=person) | Q(subjects__person_id=person)).distinct()
    )
    _others_of_records(records, own_ids, parties)
    _others_of_contacts(contacts, person, parties)
    findings = _findings(person, parties)
    staff = _staff()
    scrub = Scrubber(parties)
    sections: dict[str, list[dict[str, Any]]] = {
        "agency_records": [_clean(r, scrub, staff) for r in records],
        "mash_contacts": [_contact(c, person, scrub, staff) for c in contacts],
        "open_cases": [
            _clean(_row(a, exclude=("contact_id",)), scrub, staff)
            for a in Allocation.objects.filter(person_id=person).order_by("opened_at")
        ],
        "missing_episodes": _episodes(person, scrub, staff),
        "screenings": _screenings(person, scrub, staff),
        "network_findings": findings,
        "mace": _mace(person, scrub, staff),
        "home_notifications": [
            _clean(_row(n, exclude=("child_name",)), scrub, staff)
            for n in Notification.objects.filter(person_id=person).order_by("pk")
        ],
        "identity_decisions": _identity(person, mine, scrub, staff),
        "viewed_by": _viewers(person),
    }
    return {"person": f"P{person}", "sections": sections}


def _agency_records(mine: list[PersonRecord]) -> list[dict[str, Any]]:
    """Every version of every record an agency holds about the person, and their incidents."""
    ids = dict(Agency.objects.filter(code__in={r.agency for r in mine}).values_list("code", "id"))
    about = Q()
    for r in mine:
        if r.agency in ids:  # by agency id, each branch on its index (as the chronology does)
            agency = ids[r.agency]
            about |= Q(agency_id=agency, subject_id=r.record_id, is_current=True)
            about |= Q(agency_id=agency, kind="people", record_id=r.record_id, is_current=True)
    if not about:
        return []
    current = list(SourceRecord.objects.filter(about))
    incidents = [
        (r.agency_id, str(r.data.get("incident_id")))
        for r in current
        if r.kind == "involvements" and r.data.get("incident_id")
    ]
    keys = {(r.agency_id, r.kind, r.record_id) for r in current}
    keys |= {(a, "incidents", i) for a, i in incidents}
    keys |= _reports_naming(mine, ids)
    every = Q()
    for agency, kind, record in keys:
        every |= Q(agency_id=agency, kind=kind, record_id=record)
    rows = SourceRecord.objects.filter(every).select_related("agency", "delivery")
    return [
        {
            "agency": r.agency.code,
            "type": r.kind,
            "record_id": r.record_id,
            "version": r.version,
            "current": r.is_current,
            "occurred_at": r.occurred_at,
            "delivered_on": r.delivery.extract_date.isoformat(),
            "data": dict(r.data),
            **({"for_the_dpo": NAMED_IN} if r.kind == "intelligence" else {}),
        }
        for r in sorted(rows, key=lambda r: (r.agency.code, r.kind, r.record_id, r.version))
    ]


def _reports_naming(mine: list[PersonRecord], ids: dict[str, int]) -> set[tuple[int, str, str]]:
    """Intelligence reports that name one of the person's records among the people they
    mention (a report has no one subject): narrowed in SQL, checked exactly here."""
    found: set[tuple[int, str, str]] = set()
    for r in mine:
        if r.agency not in ids:
            continue
        reports = SourceRecord.objects.filter(
            agency_id=ids[r.agency], kind="intelligence", is_current=True
        )
        candidates = (
            reports.annotate(named=KT("data__person_ids"))
            .filter(named__contains=f'"{r.record_id}"')
            .values_list("record_id", "data__person_ids")
        )
        found |= {
            (ids[r.agency], "intelligence", record)
            for record, named in candidates
            if r.record_id in [str(n) for n in named or []]
        }
    return found


def _others_of_records(
    records: list[dict[str, Any]], own: set[tuple[str, str]], parties: ThirdParties
) -> None:
    """The people the person's records name besides them, and others in their incidents."""
    named: set[tuple[str, str]] = set()
    for row in records:
        for name in OTHERS:
            named |= {(row["agency"], str(i)) for i in row["data"].get(name) or []}
    incidents = {(r["agency"], r["record_id"]) for r in records if r["type"] == "incidents"}
    if incidents:
        q = Q()
        for agency, incident in incidents:
            q |= Q(agency__code=agency, kind="involvements", data__incident_id=incident)
        for agency, subject in SourceRecord.objects.filter(q, is_current=True).values_list(
            "agency__code", "subject_id"
        ):
            named.add((agency, subject))
    _identities(named - own, parties)


def _identities(keys: Iterable[tuple[str, str]], parties: ThirdParties) -> None:
    """Add the people records `keys` (agency, record id) as third parties."""
    q = Q()
    for agency, record in keys:
        q |= Q(agency__code=agency, kind="people", record_id=record)
    if not q:
        return
    for data in SourceRecord.objects.filter(q).values_list("data", flat=True):
        parties.add_person(
            *(data.get(f) for f in _IDENTITY), details=(data.get(f) for f in _DETAILS)
        )


def _others_of_contacts(contacts: list[Contact], person: int, parties: ThirdParties) -> None:
    for c in contacts:
        parties.add_person(c.referrer_name, details=(c.referrer_phone, c.referrer_email))
        for s in c.subjects.all():
            if not _is_subject(s, c, person):
                parties.add_person(s.name, details=(s.address, s.postcode))
    reporters = Reporter.objects.filter(concern__contact__in=[c.pk for c in contacts])
    for r in reporters:
        parties.add_person(r.name, details=(r.phone, r.email, r.safe_contact))


def _is_subject(s: Subject, contact: Contact, person: int) -> bool:
    return s.person_id == person or (s.person_id is None and s.main and contact.person_id == person)


def _contact(c: Contact, person: int, scrub: Scrubber, staff: dict[str, str]) -> dict[str, Any]:
    row = _row(c, exclude=("owner_id", "team_id", "child_name"))
    row["named"] = [
        _row(s, exclude=("contact_id",))
        if _is_subject(s, c, person)
        else {"kind": s.kind, "relationship": s.relationship, "name": REDACTED}
        for s in c.subjects.all()
    ]
    row["history"] = [_row(s, exclude=("contact_id",)) for s in c.steps.all()]
    row["notes"] = [_row(n, exclude=("contact_id",)) for n in c.notes.all()]
    row["agency_checks"] = [_row(k, exclude=("contact_id",)) for k in c.checks.all()]
    return _clean(row, scrub, staff)


def _episodes(person: int, scrub: Scrubber, staff: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for e in Episode.objects.filter(person_id=person).order_by("started_at"):
        row = _row(e, exclude=("child_name",))
        row["history"] = [_row(s, exclude=("episode_id",)) for s in e.steps.all()]
        interview = getattr(e, "interview", None)
        row["return_home_interview"] = _row(interview) if interview else None
        sighting = getattr(e, "part_two", None)
        row["philomena_part_two"] = _row(sighting) if sighting else None
        row["handovers"] = [_row(h, exclude=("episode_id",)) for h in e.handovers.all()]
        out.append(_clean(row, scrub, staff))
    out += [
        _clean(_row(t), scrub, staff) | {"record": "strategy discussion"}
        for t in StrategyTask.objects.filter(person_id=person).order_by("opened_at")
    ]
    out += [
        _clean(_row(p), scrub, staff) | {"record": "Philomena Protocol part 1"}
        for p in Profile.objects.filter(person_id=person)
    ]
    return out


def _screenings(person: int, scrub: Scrubber, staff: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for s in Screening.objects.filter(person_id=person).order_by("assessed_on", "pk"):
        row = _row(s)
        row["decisions"] = [_row(d, exclude=("screening_id",)) for d in s.decisions.all()]
        out.append(_clean(row, scrub, staff))
    for i in RecordedIndicator.objects.filter(person_id=person).order_by("seen_on"):
        out.append(_clean(_row(i), scrub, staff) | {"record": "indicator recorded by hand"})
    for a in MissingAlert.objects.filter(person_id=person).order_by("day"):
        out.append(_clean(_row(a, exclude=("records",)), scrub, staff) | {"record": "alert"})
    return out


def _findings(person: int, parties: ThirdParties) -> list[dict[str, Any]]:
    """The network findings the person is a member of: the finding and its decisions, its
    other members counted, never named (and their names scrubbed from everything)."""
    node = f"P:{person}"
    found = [
        f
        for f in Finding.objects.filter(members__icontains=f'"{node}"')
        if any(m.get("node") == node for m in f.members)
    ]
    others: set[int] = set()
    out = []
    for f in found:
        people = {str(m.get("node", "")) for m in f.members} - {node}
        others |= {int(n[2:]) for n in people if n.startswith("P:") and n[2:].isdigit()}
        out.append(
            {
                "finding": f.key,
                "kind": f.kind,
                "status": f.status,
                "first_seen": _text(f.first_seen),
                "last_seen": _text(f.last_seen),
                "other_members": len(people),
                "decisions": [_row(d, exclude=("finding_id",)) for d in f.dispositions.all()],
            }
        )
    keys = PersonRecord.objects.filter(person_id__in=others).values_list("agency", "record_id")
    _identities(list(keys), parties)
    return out


def _mace(person: int, scrub: Scrubber, staff: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for item in Item.objects.filter(person_id=person).select_related("meeting"):
        row = _row(item, exclude=("title", "reasons"))
        row["meeting_held_on"] = item.meeting.held_on.isoformat()
        row["actions"] = [_row(a, exclude=("item_id", "owner_id")) for a in item.actions.all()]
        out.append(_clean(row, scrub, staff))
    for d in Disruption.objects.filter(against_person_id=person).order_by("on"):
        out.append(_clean(_row(d), scrub, staff) | {"record": "disruption"})
    return out


def _identity(
    person: int, mine: list[PersonRecord], scrub: Scrubber, staff: dict[str, str]
) -> list[dict[str, Any]]:
    """Decisions that the person's records are, or are not, the same person as others; the
    merges and splits of the person. Other people's record ids are left out."""
    ids = {r.unique_id for r in mine}
    out = []
    for d in LinkDecision.objects.filter(Q(left__in=ids) | Q(right__in=ids)).order_by("pk"):
        row = _row(d, exclude=("superseded_by_id",))
        for side in ("left", "right"):
            if row[side] not in ids:
                row[side] = "[another record]"
        out.append(_clean(row, scrub, staff))
    for e in IdentityEvent.objects.filter(person_id=person).order_by("pk"):
        out.append(
            _clean(_row(e, exclude=("other_id", "records")), scrub, staff)
            | {"records": sorted(set(e.records or []) & ids)}
        )
    return out


def _viewers(person: int) -> list[dict[str, Any]]:
    """Who looked at the person's record, as their roles and agency (not their names), when,
    doing what, through which channel, and whether it was allowed."""
    shown = re.compile(rf"-> (?:P\d+,)*P{person}(?:,|$)")
    rows = AuditEvent.objects.filter(
        Q(person_id=person) | Q(target__contains=f"P{person}")
    ).order_by("at", "pk")
    out = []
    for e in rows:
        if e.person_id != person and not shown.search(e.target):
            continue
        kind = EVENTS.get(e.action)
        out.append(
            {
                "at": _text(e.at),
                "who": _role_line(e.roles, e.agency),
                "what": kind.label if kind else e.action,
                "channel": e.channel,
                "allowed": e.allowed,
                "lawful_basis": e.lawful_basis,
            }
        )
    return out


def _staff() -> dict[str, str]:
    return {
        u: _role_line(roles, agency)
        for u, roles, agency in User.objects.values_list("username", "roles", "agency")
    }


def _role_line(roles: Iterable[str], agency: str) -> str:
    known = {r.value: ROLE_LABELS[r] for r in Role}
    named = ", ".join(known.get(r, r) for r in sorted(roles or [])) or "hub system"
    return f"{named} ({agency})" if agency else named


def _clean(row: dict[str, Any], scrub: Scrubber, staff: dict[str, str]) -> dict[str, Any]:
    """Other people's ids left out (counted), staff as roles and agency, text scrubbed."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in OTHERS:
            out[f"{key.removesuffix('_person_ids').removesuffix('_ids')}_others"] = len(value or [])
        elif key in ABOUT_OTHERS:
            out[key] = REDACTED if value else value
        elif key in STAFF and isinstance(value, str) and value:
            out[key] = staff.get(value, "member of staff" if ":" not in value else value)
        elif isinstance(value, dict):
            out[key] = _clean(value, scrub, staff)
        elif isinstance(value, list):
            out[key] = [_clean(v, scrub, staff) if isinstance(v, dict) else v for v in value]
            out[key] = scrub.value(out[key])
        else:
            out[key] = scrub.value(value)
    return out


def _row(obj: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    skip = set(exclude)
    return {
        f.attname: _text(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname not in skip
    }


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def counts(document: dict[str, Any]) -> dict[str, int]:
    """Rows per section, for the audit line and the command's summary."""
    return {name: len(rows) for name, rows in document["sections"].items()}


def by_agency(document: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Agency records per agency and type, for the readable copy's summary."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in document["sections"]["agency_records"]:
        out[r["agency"]][r["type"]] = out[r["agency"]].get(r["type"], 0) + 1
    return dict(out)

"""Reading the children's homes register: a SPOC's homes, the homes a report may name, and
who lives in each home now (from the councils' placements)."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
from django.utils import timezone

from safeguard.access.policy import Actor, Role
from safeguard.contract import identifiers
from safeguard.hub.deliveries.models import Agency, SourceRecord
from safeguard.hub.homes.models import ChildrensHome, Professional
from safeguard.hub.people.models import PersonRecord, SearchEntry


def spoc_homes(actor: Actor, user_id: int | None) -> list[ChildrensHome]:
    """The open homes a police single point of contact (user `user_id`) is the contact for."""
    if Role.POLICE_SPOC not in actor.roles or user_id is None:
        return []
    return list(ChildrensHome.objects.filter(police_spoc_id=user_id, open=True))


def staff_homes(actor: Actor) -> list[ChildrensHome]:
    """The homes `actor` works in (a home's staff)."""
    return list(ChildrensHome.objects.of_staff(actor))


def choosable(actor: Actor) -> list[tuple[str, str]]:
    """The homes a report or a form may name: a home's staff their own; others every open
    home (id, name)."""
    mine = ChildrensHome.objects.of_staff(actor)
    homes = mine if mine.exists() else ChildrensHome.objects.filter(open=True)
    return [(h.home_id, h.name) for h in homes.order_by("name")]


def lives_at_home_of(actor: Actor, person: int) -> bool:
    """Is `person` a resident now of a home `actor` works in?"""
    homes = list(ChildrensHome.objects.of_staff(actor))
    return any(person == p for found in residents(homes).values() for p, _ in found)


def residents(homes: list[ChildrensHome]) -> dict[int, list[tuple[int, str]]]:
    """Each home's residents now (current placements there that have started and not ended):
    (person, name)."""
    ids = {h.home_id: h.pk for h in homes}
    if not ids:
        return {}
    # agency by agency: the unique key's (agency, kind) prefix, not a scan of every current
    # record (SQLite chose that for a filter on kind alone: seconds at 100,000 children)
    agencies = list(Agency.objects.values_list("pk", flat=True))
    placed = SourceRecord.objects.filter(
        agency_id__in=agencies,
        kind="placements",
        is_current=True,
        data__care_home_id__in=list(ids),
    ).values_list("agency__code", "subject_id", "data")
    today = timezone.localdate().isoformat()
    records: dict[str, int] = {}
    for agency, subject, data in placed:
        started = str((data or {}).get("start_date") or "")
        if not (data or {}).get("end_date") and started <= today:
            records[f"{agency}:{subject}"] = ids[str(data.get("care_home_id"))]
    people = dict(
        PersonRecord.objects.filter(unique_id__in=list(records)).values_list(
            "unique_id", "person_id"
        )
    )
    names = SearchEntry.objects.names(set(people.values()))
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for unique, home in records.items():
        person = people.get(unique)
        if person is not None and (person, names.get(person, f"P{person}")) not in found[home]:
            found[home].append((person, names.get(person, f"P{person}")))
    return found


def professionals_table() -> pa.Table:
    """The active professionals of the reference data as the analysis reads them
    (`safeguard.intelligence.indicators.HUB_PROFESSIONALS`): name, phone (E.164) and vehicle
    (registration mark), each as the data contract writes it, or empty."""
    rows = Professional.objects.filter(active=True).values_list("name", "phone", "vehicle")
    names, phones, vehicles = [], [], []
    for name, phone, vehicle in rows:
        names.append(name.strip())
        phones.append(identifiers.phone(phone).value if phone else None)
        vehicles.append(identifiers.vrm(vehicle).value if vehicle else None)
    return pa.table(
        {"name": names, "phone": phones, "vehicle": vehicles},
        schema=pa.schema([("name", pa.string()), ("phone", pa.string()), ("vehicle", pa.string())]),
    )

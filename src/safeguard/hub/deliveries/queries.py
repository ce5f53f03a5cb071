"""Reading what agencies delivered: the loaded deliveries' landed files (what linkage and
analysis read), quarantined rows (scoped by `QuarantinedRow.objects.visible_to`), and the
few details of cited records that redaction needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from safeguard.access.policy import Actor
from safeguard.access.redact import Cited, Details
from safeguard.hub.deliveries.models import (
    Delivery,
    DeliveryFile,
    QuarantinedRow,
    QuarantineQuerySet,
    SourceRecord,
)
from safeguard.intelligence.sources import SourceFile
from safeguard.linkage.records import PeopleFile
from safeguard.timescales.deadline import LONDON


def loaded_files(kind: str | None = None) -> list[SourceFile]:
    """Every loaded delivery's landed files (of `kind`, or all), in delivery order (later
    versions win): what linkage and analysis read, never a delivery that did not load."""
    files = DeliveryFile.objects.filter(delivery__status=Delivery.Status.LOADED)
    if kind is not None:
        files = files.filter(kind=kind)
    return [
        SourceFile(
            f.delivery.agency.code,
            f.delivery_id,
            f.kind,
            Path(f.delivery.landing_path) / f.parquet,
        )
        for f in files.select_related("delivery__agency").order_by("delivery_id", "pk")
    ]


def landed_people_files() -> list[PeopleFile]:
    """Every loaded delivery's landed people file, in delivery order (later versions win)."""
    return [PeopleFile(f.agency, f.delivery, f.path) for f in loaded_files("people")]


@dataclass(frozen=True)
class QuarantineFilters:
    delivery: int | None = None
    agency: str | None = None
    file: str | None = None
    row_id: int | None = None

    def describe(self) -> str:
        parts = [
            f"row {self.row_id}" if self.row_id is not None else "",
            f"delivery {self.delivery}" if self.delivery is not None else "",
            f"agency {self.agency}" if self.agency else "",
            f"file {self.file}" if self.file else "",
        ]
        return "quarantine " + (", ".join(p for p in parts if p) or "all")


def quarantined(actor: Actor, filters: QuarantineFilters) -> QuarantineQuerySet:
    """The quarantined rows `actor` may read, as `filters` ask, in delivery and row order."""
    rows = QuarantinedRow.objects.visible_to(actor).select_related("file", "delivery__agency")
    if filters.row_id is not None:
        rows = rows.filter(pk=filters.row_id)
    if filters.delivery is not None:
        rows = rows.filter(delivery_id=filters.delivery)
    if filters.agency:
        rows = rows.filter(delivery__agency__code=filters.agency)
    if filters.file:
        rows = rows.filter(file__name=filters.file)
    return rows.order_by("pk")


def cited_details(cited: Iterable[Cited]) -> Details:
    """The code and setting of each cited health event (what `safeguard.access.redact` needs
    to tell a sexual-health record)."""
    wanted = Q()
    for c in cited:
        wanted |= Q(agency__code=c.agency, kind=c.kind, record_id=c.record_id, is_current=True)
    if not wanted:
        return {}
    return {
        (r.agency.code, r.kind, r.record_id): (
            str(r.data.get("event_code") or ""),
            str(r.data.get("setting") or ""),
        )
        for r in SourceRecord.objects.filter(wanted).select_related("agency")
    }


def delivered_about(records: Iterable[tuple[str, str]], kind: str) -> list[tuple[dt.datetime, str]]:
    """When each current record of `kind` about any of these people records (agency and
    record id) happened, with what names it ("agency kind id"): what a person's history of,
    say, contacts holds beyond the hub's own."""
    wanted = Q()
    for agency, record_id in records:
        wanted |= Q(agency__code=agency, subject_id=record_id)
    if not wanted:
        return []
    rows = SourceRecord.objects.filter(wanted, kind=kind, is_current=True).values_list(
        "agency__code", "record_id", "occurred_at"
    )
    return [
        (moment, f"{agency} {kind} {record_id}")
        for agency, record_id, occurred in rows
        if (moment := when(occurred)) is not None
    ]


def when(occurred: str) -> dt.datetime | None:
    """A record's `occurred_at` (local time as delivered, date or date and time) as an aware
    time; None when it has none."""
    if not occurred:
        return None
    try:
        moment = dt.datetime.fromisoformat(occurred)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def current_of_kind(kind: str, since: str) -> list[SourceRecord]:
    """Current records of `kind` that happened at or after `since` (ISO local time, as
    `occurred_at` is kept), in agency and record order."""
    return list(
        SourceRecord.objects.filter(kind=kind, is_current=True, occurred_at__gte=since)
        .select_related("agency")
        .order_by("agency_id", "record_id")
    )


def described(unique_id: str) -> dict[str, str]:
    """What an agency's own people record (`agency:record_id`) says of the person: name, date
    of birth, address and postcode (as delivered; {} when there is no such record)."""
    agency, _, record_id = unique_id.partition(":")
    row = (
        SourceRecord.objects.filter(
            agency__code=agency, kind="people", record_id=record_id, is_current=True
        )
        .values_list("data", flat=True)
        .first()
    )
    data = row or {}
    name = " ".join(str(data.get(k) or "").strip() for k in ("forenames", "surname")).strip()
    return {
        "name": name.title() if name.isupper() or name.islower() else name,
        "dob": str(data.get("date_of_birth") or ""),
        "address": ", ".join(str(data.get(k)) for k in ("address", "town") if data.get(k)),
        "postcode": str(data.get("postcode") or ""),
    }

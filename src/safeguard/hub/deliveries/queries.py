"""Reading what agencies delivered: the loaded deliveries' landed files (what linkage and
analysis read), quarantined rows (scoped by `QuarantinedRow.objects.visible_to`), and the
few details of cited records that redaction needs."""

from __future__ import annotations

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

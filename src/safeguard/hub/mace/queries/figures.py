"""Counting disruption: by type, and by month and council area (a count names nobody). One
grouped query; the page and the CSV read the same rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth

from safeguard.hub.mace.models import Disruption
from safeguard.hub.mace.queries.agenda import rules
from safeguard.hub.mace.queries.meetings import AREA_LABELS


@dataclass(frozen=True)
class Tally:
    """Disruptions of one type in one month and council area."""

    month: str
    area: str
    kind: str
    count: int


def tallies(since: dt.date, area: str = "") -> list[Tally]:
    """Disruptions on or after `since` (of one council area, or all; "unknown" for those
    with none), counted by month, area and type."""
    qs = Disruption.objects.filter(on__gte=since)
    if area:
        qs = qs.filter(area="" if area == "unknown" else area)
    rows = (
        qs.annotate(month=TruncMonth("on"))
        .values("month", "area", "kind")
        .annotate(n=Count("pk"))
        .order_by("month", "area", "kind")
    )
    return [Tally(r["month"].strftime("%Y-%m"), r["area"], r["kind"], r["n"]) for r in rows]


@dataclass
class Row:
    """One month and council area: how many of each type."""

    month: str
    area: str
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def area_label(self) -> str:
        return AREA_LABELS.get(self.area, "Not known")

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class Figures:
    kinds: list[tuple[str, str]]
    totals: dict[str, int]
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def figures(found: list[Tally]) -> Figures:
    """The tallies as the page shows them: a total for each type, and a row for each month
    and area, newest month first."""
    kinds = [(k, d.label) for k, d in rules().disruptions.items()]
    totals: dict[str, int] = defaultdict(int)
    rows: dict[tuple[str, str], Row] = {}
    for t in found:
        totals[t.kind] += t.count
        row = rows.setdefault((t.month, t.area), Row(t.month, t.area))
        row.by_kind[t.kind] = row.by_kind.get(t.kind, 0) + t.count
    ordered = sorted(rows.values(), key=lambda r: (r.month, r.area_label), reverse=True)
    return Figures(kinds, {k: totals.get(k, 0) for k, _ in kinds}, ordered)

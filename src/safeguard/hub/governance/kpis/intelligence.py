"""Intelligence KPIs: children screened by level, screenings decided, and network findings
opened and disposed. Screenings carry no council area: a child counts in each council whose
children's services hold a record of them (`by_child_area`). Findings span areas: one figure
for the partnership."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from safeguard.hub.governance.kpis.grouping import Window, by_child_area, grouped, month_of
from safeguard.hub.governance.kpis.table import Tally
from safeguard.hub.intelligence.models import (
    AnalysisRun,
    Finding,
    FindingDisposition,
    Screening,
    ScreeningDecision,
)

OPENED = "opened"
"""The findings KPI's category for findings first found in the month (the others are the
dispositions people give)."""


def _runs(window: Window) -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.filter(as_of__gte=window.months[0], as_of__lte=window.as_of)


def children_by_level(window: Window) -> list[Tally]:
    """The month's last run (its latest, by id): each child's level, the practitioner's
    latest decision on that screening where there is one, else the proposed band."""
    last = (
        _runs(window)
        .annotate(month=month_of("as_of"))
        .values("month")
        .annotate(last=Max("pk"))
        .values("last")
    )
    confirmed = ScreeningDecision.objects.filter(screening=OuterRef("pk")).order_by("-pk")
    rows = Screening.objects.filter(run__in=Subquery(last)).annotate(
        level=Coalesce(Subquery(confirmed.values("band")[:1]), F("band"))
    )
    children = Count("person_id", distinct=True)
    month = month_of("run__as_of")
    levels = by_child_area(rows, "person", month, children, category="level")
    totals = by_child_area(rows, "person", month, children)
    screened = {(t.area, t.month): t.numerator for t in totals}
    return [replace(t, denominator=screened.get((t.area, t.month), 0)) for t in levels]


def screenings_decided(window: Window) -> list[Tally]:
    rows = Screening.objects.filter(run__in=_runs(window), at_risk=True).annotate(
        decided=Exists(ScreeningDecision.objects.filter(screening=OuterRef("pk")))
    )
    return by_child_area(
        rows,
        "person",
        month_of("run__as_of"),
        Count("person_id", distinct=True, filter=Q(decided=True)),
        Count("person_id", distinct=True),
    )


def findings(window: Window) -> list[Tally]:
    """Findings first found by a run in the month (`opened`), and each disposition people
    gave in the month (a finding once a month per disposition)."""
    first = Finding.objects.filter(
        first_run__started_at__gte=window.start, first_run__started_at__lt=window.end
    )
    changed = FindingDisposition.objects.filter(
        decided_at__gte=window.start, decided_at__lt=window.end
    )
    return grouped(
        first, month_of("first_run__started_at"), None, Count("pk"), category=Value(OPENED)
    ) + grouped(
        changed,
        month_of("decided_at"),
        None,
        Count("finding_id", distinct=True),
        category="status",
    )

"""The partnership's KPIs beyond a child's case: disruption by type, children's homes with a
police SPOC, and the quality of the data the hub runs on (rows quarantined, links awaiting
review, agencies late with their deliveries). Data quality is one figure for the partnership:
deliveries and links carry no council area."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateField, IntegerField, Max, Q, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from safeguard.hub.deliveries.models import Agency, Delivery
from safeguard.hub.governance.kpis.grouping import Window, by_area, grouped, month_of
from safeguard.hub.governance.kpis.table import ALL, Tally
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.mace.models import Disruption
from safeguard.hub.people.models import LinkRun


def disruption(window: Window) -> list[Tally]:
    rows = Disruption.objects.filter(on__gte=window.months[0], on__lte=window.as_of)
    return by_area(rows, month_of("on"), "area", Count("pk"), category="kind")


def homes_spoc(window: Window) -> list[Tally]:
    """Open homes now, and those with a police SPOC now: the register keeps no history, so
    the figure is today's, shown in the assessment date's month."""
    month = Value(window.months[-1], output_field=DateField())
    with_spoc = Count("pk", filter=Q(police_spoc__isnull=False))
    rows = ChildrensHome.objects.filter(open=True)
    return by_area(rows, month, "council_area", with_spoc, Count("pk"))


def quarantined_rows(window: Window) -> list[Tally]:
    rows = Delivery.objects.filter(received_at__gte=window.start, received_at__lt=window.end)
    return grouped(rows, month_of("received_at"), None, Sum("rows_quarantined"), Sum("rows_read"))


def links_awaiting_review(window: Window) -> list[Tally]:
    """The review pairs of the month's last linkage run (by id)."""
    runs = LinkRun.objects.filter(started_at__gte=window.start, started_at__lt=window.end)
    last = runs.annotate(month=month_of("started_at")).values("month").annotate(last=Max("pk"))
    pairs = Cast(KT("summary__review_pairs"), IntegerField())
    rows = LinkRun.objects.filter(pk__in=last.values("last"))
    return grouped(rows, month_of("started_at"), None, Sum(pairs))


def deliveries_overdue(window: Window, every_days: int) -> list[Tally]:
    """For each month's end, the agencies that had delivered by then, and those whose last
    loaded delivery came more than `every_days` before it: one query, a row per agency."""
    ends = window.month_ends()
    loaded = Q(deliveries__status=Delivery.Status.LOADED)
    last = {
        f"by_{n}": Max("deliveries__received_at", filter=loaded & Q(deliveries__received_at__lt=e))
        for n, e in enumerate(ends)
    }
    agencies = list(Agency.objects.annotate(**last).values(*last))
    out = []
    for n, (month, end) in enumerate(zip(window.months, ends, strict=True)):
        seen = [a[f"by_{n}"] for a in agencies if a[f"by_{n}"] is not None]
        late = sum(1 for at in seen if at < end - dt.timedelta(days=every_days))
        out.append(Tally(ALL, month, "", late, len(seen)))
    return out

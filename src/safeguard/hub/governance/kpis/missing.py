"""Missing children's KPIs: return home interviews offered, accepted and done within 72 hours
(by the month of the return), and children going missing repeatedly (by the month the episode
that made the trigger started). An episode's council area is its own `council_area`;
cancelled episodes (reported in error) never count."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from safeguard.casework import episode
from safeguard.hub.clocks import missing_rules
from safeguard.hub.governance.kpis.grouping import Window, by_area, month_of
from safeguard.hub.governance.kpis.table import Tally
from safeguard.hub.missing.models import Episode, Interview

_OFFERED = Q(offered_at__isnull=False) | Q(done_at__isnull=False)
_ACCEPTED = Q(accepted_at__isnull=False) | Q(done_at__isnull=False)


def _interviews(window: Window) -> QuerySet[Interview]:
    """The interviews of returns in the window (each return in the hub opens one)."""
    return Interview.objects.filter(
        episode__returned_at__gte=window.start, episode__returned_at__lt=window.end
    ).exclude(episode__status=episode.CANCELLED)


def _count(rows: QuerySet[Interview], numerator: Q, denominator: Q | None) -> list[Tally]:
    month = month_of("episode__returned_at")
    if denominator is not None:
        rows = rows.filter(denominator)
    return by_area(rows, month, "episode__council_area", Count("pk", filter=numerator), Count("pk"))


def rhi_offered(window: Window) -> list[Tally]:
    return _count(_interviews(window), _OFFERED, None)


def rhi_accepted(window: Window) -> list[Tally]:
    return _count(_interviews(window), _ACCEPTED, _OFFERED)


def rhi_in_time(window: Window) -> list[Tally]:
    """Done by `due_at` (set from the one clock, `return_home_interview`, at the return); an
    interview not done once its clock ran out counts, as not in time."""
    ended = Q(done_at__isnull=False) | Q(due_at__lt=window.end)
    return _count(_interviews(window), Q(done_at__lte=F("due_at")), ended)


def repeat_missing(window: Window) -> list[Tally]:
    """Children with an episode starting in the month that was their `repeat_episodes`-th
    (or later) within `repeat_days` (the rule `casework.episode.triggers` applies when a
    child returns); beside them, the children with any episode starting in the month."""
    rules = missing_rules()
    live = Episode.objects.exclude(status=episode.CANCELLED).exclude(person__isnull=True)
    within = (
        live.filter(
            person_id=OuterRef("person_id"),
            started_at__lte=OuterRef("started_at"),
            started_at__gte=OuterRef("started_at") - dt.timedelta(days=rules.repeat_days),
        )
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = live.filter(started_at__gte=window.start, started_at__lt=window.end).annotate(
        recent=Coalesce(Subquery(within, output_field=IntegerField()), 0)
    )
    repeat = Q(recent__gte=rules.repeat_episodes)
    return by_area(
        rows,
        month_of("started_at"),
        "council_area",
        Count("person_id", distinct=True, filter=repeat),
        Count("person_id", distinct=True),
    )

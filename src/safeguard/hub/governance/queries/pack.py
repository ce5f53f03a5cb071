"""What the strategic group's meeting pack says, read from the hub: every KPI of the data set
over the 12 months to the meeting (counts under 5 suppressed) with its chart, grid and trend;
the review's standing (each recommendation's rating by agency, counts by state); the actions
due before the next meeting and those overdue; the exceptions (referral decisions out of time,
return home interviews not done within 72 hours, homes without a police SPOC); and the year's
data set for the safeguarding partners' yearly report. Counts only: nothing here names a
child. Reads only: `services.pack` asks the policy, renders, stores and audits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.access.policy import Actor
from safeguard.casework import review
from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.hub.governance import charts, kpis
from safeguard.hub.governance.kpis import ALL, Table, area_label
from safeguard.hub.governance.models import MeetingPack, ReviewAction
from safeguard.hub.governance.queries.data_set import (
    Cell,
    Grid,
    YearLine,
    grid,
    latest,
    month_label,
    shown,
    trend_words,
    year_line,
)
from safeguard.hub.governance.queries.review import (
    ActionLine,
    Overview,
    action_line,
    overview,
)
from safeguard.hub.homes.models import ChildrensHome

MONTHS = 12
"""The pack's figures: the 12 months to the meeting (or to the day it is made, if earlier)."""
#: Who signs off the yearly report (Working Together 2023: the lead safeguarding partners of
#: the local authority, the police and the health board, for each council's partnership).
LEAD_PARTNERS = (
    *(f"Lead safeguarding partner for {area_label(a)} Council" for a in COUNCIL_AREAS),
    "Lead safeguarding partner for Cheshire Constabulary",
    "Lead safeguarding partner for the integrated care board (health)",
)


@dataclass(frozen=True)
class KpiSection:
    table: Table
    """As published: small counts suppressed."""
    grid: Grid
    chart: str
    """The chart as a data: URI for an <img>."""
    alt: str
    trend: str
    latest: Cell


@dataclass(frozen=True)
class Breach:
    area: str
    late_decisions: str
    late_decisions_month: str
    late_interviews: str
    late_interviews_month: str
    homes_without_spoc: str


@dataclass(frozen=True)
class Standing:
    """One agency's assessments counted: by rating, and by where their review stands."""

    agency: str
    red: int = 0
    amber: int = 0
    green: int = 0
    draft: int = 0
    submitted: int = 0
    challenged: int = 0
    signed_off: int = 0
    not_assessed: int = 0


@dataclass(frozen=True)
class Pack:
    meeting: dt.date
    next_meeting: dt.date
    figures_to: dt.date
    months: str
    suppress_below: int
    kpis: list[KpiSection]
    review: Overview
    standing: list[Standing]
    due: list[ActionLine]
    overdue: list[ActionLine]
    exceptions: list[Breach]
    homes_without_spoc: list[tuple[str, str, str]]
    year: list[YearLine]
    partners: tuple[str, ...] = LEAD_PARTNERS


def figures_to(meeting: dt.date, today: dt.date) -> dt.date:
    """The last day the pack counts: the meeting, or today for a meeting still to come."""
    return min(meeting, today)


def pack(
    actor: Actor, meeting: dt.date, next_meeting: dt.date, today: dt.date, now: dt.datetime
) -> Pack:
    """Everything the pack shows, for a pack made by `actor` (the review as they may see it)."""
    as_of = figures_to(meeting, today)
    found = kpis.catalogue()
    below = found.suppress_below
    whole = {t.definition.id: t for t in kpis.data_set(as_of, MONTHS, definitions=found)}
    shown = {k: kpis.suppress(t, below) for k, t in whole.items()}
    first, last = shown["contacts"].months[0], shown["contacts"].months[-1]
    due, overdue = actions(actor, meeting, next_meeting, now)
    found_review = overview(actor)
    return Pack(
        meeting=meeting,
        next_meeting=next_meeting,
        figures_to=as_of,
        months=f"{month_label(first)} to {month_label(last)}",
        suppress_below=below,
        kpis=[_section(t) for t in shown.values()],
        review=found_review,
        standing=standing(found_review),
        due=due,
        overdue=overdue,
        exceptions=exceptions(whole, below),
        homes_without_spoc=homes_without_spoc(),
        year=[year_line(whole[k], below) for k in whole],
    )


def _section(table: Table) -> KpiSection:
    chart = charts.svg(table, ALL)
    return KpiSection(
        table,
        grid(table, ALL),
        charts.data_uri(chart),
        charts.describe(table, ALL),
        trend_words(table),
        latest(table, ALL, table.categories[0]),
    )


def actions(
    actor: Actor, meeting: dt.date, next_meeting: dt.date, now: dt.datetime
) -> tuple[list[ActionLine], list[ActionLine]]:
    """Open actions due from the meeting up to the next one, and those due before the meeting
    (overdue at it)."""
    active = ReviewAction.objects.visible_to(actor).filter(status__in=review.ACTIVE)
    active = active.select_related("owner").order_by("due_on", "pk")
    due = active.filter(due_on__gte=meeting, due_on__lt=next_meeting)
    late = active.filter(due_on__lt=meeting)
    return [action_line(a, now) for a in due], [action_line(a, now) for a in late]


def standing(found: Overview) -> list[Standing]:
    """Each agency's assessments counted by rating and by state (a draft's rating counts:
    it is the agency's own view so far)."""
    out = []
    for n, (_, label) in enumerate(found.agencies):
        counts = {"not_assessed": 0}
        for _, rows in found.groups:
            for row in rows:
                a = row.cells[n]
                if a is None or not a.version:
                    counts["not_assessed"] += 1
                    continue
                counts[a.status] = counts.get(a.status, 0) + 1
                if a.rag:
                    counts[a.rag] = counts.get(a.rag, 0) + 1
        out.append(Standing(label, **counts))
    return out


def _late(table: Table, area: str, months: tuple[dt.date, ...]) -> int:
    """Records in `months` not in time: denominator less numerator."""
    late = 0
    for month in months:
        row = table.row(area, month)
        late += int(row.denominator or 0) - int(row.numerator)
    return late


def exceptions(tables: dict[str, Table], below: int) -> list[Breach]:
    """Per council area and all areas: referral decisions out of time and return home
    interviews not done within 72 hours (the 12 months, and the last month), and open homes
    without a police SPOC (today)."""
    decided, rhi, homes = tables["decided_in_time"], tables["rhi_in_time"], tables["homes_spoc"]
    last = decided.months[-1:]
    out = []
    for area in decided.areas:
        home_row = homes.row(area, homes.months[-1]) if area in homes.areas else None
        without = int(home_row.denominator or 0) - int(home_row.numerator) if home_row else 0
        out.append(
            Breach(
                area_label(area),
                shown(_late(decided, area, decided.months), below),
                shown(_late(decided, area, last), below),
                shown(_late(rhi, area, rhi.months), below) if area in rhi.areas else "-",
                shown(_late(rhi, area, last), below) if area in rhi.areas else "-",
                shown(without, below),
            )
        )
    return out


def homes_without_spoc() -> list[tuple[str, str, str]]:
    """Open children's homes with no police SPOC: name, town, council area (homes, not
    children: the group assigns their SPOCs)."""
    rows = ChildrensHome.objects.filter(open=True, police_spoc__isnull=True).order_by(
        "council_area", "name"
    )
    return [(h.name, h.town, area_label(h.council_area)) for h in rows]


def made(limit: int = 200) -> list[MeetingPack]:
    """The packs made, newest first, without their PDFs."""
    return list(MeetingPack.objects.defer("pdf")[:limit])

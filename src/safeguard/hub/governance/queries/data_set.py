"""The partnership's data set as people read it: a KPI's table laid out as a grid (months down,
council areas across; or, for a KPI split into categories, the categories across for one
area), each cell in words, and the council areas a reader may filter by. Pure: it reads a
`Table` the KPIs computed, for the pages and the meeting pack alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.hub.governance.kpis import ALL, SUPPRESSED, Row, Table, area_label

#: KPIs whose figure is a state at a month's end, not events in it: the year's figure is the
#: last month's, not the months added up.
STOCKS = frozenset(
    {"children_by_level", "homes_spoc", "links_awaiting_review", "deliveries_overdue"}
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NO_VALUE = "-"
"""A cell with nothing to divide by (a percentage of no records), or a month with no figure."""


@dataclass(frozen=True)
class Cell:
    value: str
    """The figure in words: "85.0%", "12", SUPPRESSED, or NO_VALUE."""
    detail: str = ""
    """What it rests on: "17 of 20" for a percentage, "of 40" for a count with a whole."""

    @property
    def suppressed(self) -> bool:
        return SUPPRESSED in (self.value, self.detail)


@dataclass(frozen=True)
class Grid:
    """A table of cells: a heading per column, then a month label and its cells per row."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def areas() -> list[tuple[str, str]]:
    """The areas a reader may choose: all areas, then each council area."""
    return [(ALL, area_label(ALL)), *((a, area_label(a)) for a in COUNCIL_AREAS)]


def chosen_area(asked: str | None) -> str:
    """The area asked for, when it is one of `areas()`; all areas otherwise."""
    return asked if asked in dict(areas()) else ALL


def cell(table: Table, row: Row | None) -> Cell:
    """One row's figure in words."""
    if row is None:
        return Cell(NO_VALUE)
    if row.value is None:
        empty = row.numerator == 0 and not row.denominator
        return Cell(NO_VALUE, "" if empty else _detail(table, row))
    if row.value == SUPPRESSED:
        return Cell(SUPPRESSED, _detail(table, row))
    if table.definition.percent:
        return Cell(f"{float(row.value):.1f}%", _detail(table, row))
    return Cell(
        f"{row.value:,}" if isinstance(row.value, int) else str(row.value), _detail(table, row)
    )


def _detail(table: Table, row: Row) -> str:
    if row.denominator is None or row.denominator == 0 == row.numerator:
        return ""
    whole = f"{row.denominator:,}" if isinstance(row.denominator, int) else row.denominator
    if table.definition.percent:
        part = f"{row.numerator:,}" if isinstance(row.numerator, int) else row.numerator
        return f"{part} of {whole}"
    return f"of {whole}"


def grid(table: Table, area: str = ALL) -> Grid:
    """The table as a grid: months down (only those with figures, for a snapshot), the areas
    across - just `area` when one is chosen - or, for a KPI split into categories, the
    categories across for `area`."""
    split = table.categories != ("",)
    shown = [m for m in table.months if any(r.month == m for r in table.rows)]
    if split:
        heads = tuple(table.label(c) for c in table.categories)
        keys = [(area, c) for c in table.categories]
    else:
        chosen = [a for a in table.areas if area == ALL or a == area] or [ALL]
        heads = tuple(area_label(a) for a in chosen)
        keys = [(a, "") for a in chosen]
    rows = []
    for month in shown:
        cells = tuple(cell(table, _find(table, a, month, c)) for a, c in keys)
        rows.append((month_label(month), cells))
    return Grid(heads, tuple(rows))


def _find(table: Table, area: str, month: dt.date, category: str) -> Row | None:
    try:
        return table.row(area, month, category)
    except KeyError:
        return None


def latest(table: Table, area: str = ALL, category: str = "") -> Cell:
    """The figure of the last month that has one (a snapshot's only month)."""
    for month in reversed(table.months):
        found = _find(table, area, month, category)
        if found is not None:
            return cell(table, found)
    return Cell(NO_VALUE)


@dataclass(frozen=True)
class YearLine:
    title: str
    figure: str
    basis: str
    target: str


def trend_words(table: Table) -> str:
    """The all-areas line's first and last shown figures in words ("" for a KPI split into
    categories: its chart shows each)."""
    if table.categories != ("",):
        return ""
    points = [(m, v) for m, v in table.trend(ALL) if v is not None]
    if len(points) < 2:
        return "Too few figures shown for a trend."
    (m0, v0), (m1, v1) = points[0], points[-1]
    unit = "%" if table.definition.percent else ""
    change = v1 - v0
    way = "up" if change > 0 else "down" if change < 0 else "no change"
    size = f" {_number(abs(change))}{' points' if unit else ''}" if change else ""
    return (
        f"{_number(v0)}{unit} in {month_label(m0)}, {_number(v1)}{unit} in {month_label(m1)}: "
        f"{way}{size}."
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def shown(count: int, below: int) -> str:
    """A count as published: SUPPRESSED from 1 to `below` - 1."""
    return SUPPRESSED if 0 < count < below else f"{count:,}"


def _last_counted(table: Table, months: list[dt.date]) -> list[dt.date]:
    """The last month with anything counted for all areas (a month with no screening run
    has no children by level), or the last month."""
    for month in reversed(months):
        rows = [table.row(ALL, month, c) for c in table.categories]
        if any(r.numerator or r.denominator for r in rows):
            return [month]
    return months[-1:]


def year_line(table: Table, below: int) -> YearLine:
    """A KPI over the year: a percentage from the months' records taken together, a count of
    events the months added up, a state (`STOCKS`) its last month's figure."""
    d = table.definition
    target = f"{_number(d.target)}%" if d.target is not None and d.percent else ""
    months = [m for m in table.months if any(r.month == m for r in table.rows)]
    stock = d.id in STOCKS or d.snapshot
    span = _last_counted(table, months) if stock else months
    basis = f"at {month_label(span[-1])}" if stock else f"{len(span)} months added up"
    parts = []
    for category in table.categories:
        num = sum(int(table.row(ALL, m, category).numerator) for m in span)
        den = sum(int(table.row(ALL, m, category).denominator or 0) for m in span)
        if d.percent:
            value = f"{100 * num / den:.1f}%" if den else "-"
            hidden = 0 < num < below or 0 < den < below
            figure = SUPPRESSED if hidden else f"{value} ({num:,} of {den:,})"
        else:
            figure = shown(num, below)
        parts.append(f"{table.label(category)}: {figure}" if category else figure)
    return YearLine(d.title, "; ".join(parts), basis, target)

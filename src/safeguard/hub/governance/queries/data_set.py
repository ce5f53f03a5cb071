"""The partnership's data set as people read it: a KPI's table laid out as a grid (months down,
council areas across; or, for a KPI split into categories, the categories across for one
area), each cell in words, and the council areas a reader may filter by. Pure: it reads a
`Table` the KPIs computed, for the pages and the meeting pack alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.hub.governance.kpis import ALL, SUPPRESSED, Row, Table, area_label

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

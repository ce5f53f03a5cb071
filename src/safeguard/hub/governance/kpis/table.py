"""A KPI's figures as a typed table: one row per council area, month and category, with its
numerator, denominator and value, an "all areas" row for each month, small counts suppressed
on request, and the same table as CSV. Pure: the hub's queries fill it (`Tally`), pages,
charts and the meeting pack read it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.governance.kpis import Definition
from safeguard.hub.web.csv import Writer

ALL = "all"
"""The area of the row that counts the whole partnership (each child once)."""
UNKNOWN = ""
"""The area of records that name no council area."""
SUPPRESSED = "[c]"
"""What a published table shows instead of a count under the threshold (the Government
Statistical Service's marker for a figure withheld to protect confidentiality)."""

Figure = int | str
"""A count, or SUPPRESSED."""


@dataclass(frozen=True)
class Tally:
    """What a query counted for one area (ALL for the partnership), month and category."""

    area: str
    month: dt.date
    category: str
    numerator: int
    denominator: int | None = None


@dataclass(frozen=True)
class Row:
    area: str
    month: dt.date
    category: str
    numerator: Figure
    denominator: Figure | None
    value: int | float | str | None
    """The count (unit count) or the percentage to one decimal (unit percent); None when
    there is nothing to divide by; SUPPRESSED when withheld."""

    @property
    def area_label(self) -> str:
        return area_label(self.area)

    @property
    def suppressed(self) -> bool:
        return SUPPRESSED in (self.numerator, self.denominator, self.value)


@dataclass(frozen=True)
class Table:
    """One KPI over a run of months: its definition, the areas and categories it has rows
    for (ALL last), and the rows, month by month."""

    definition: Definition
    months: tuple[dt.date, ...]
    areas: tuple[str, ...]
    categories: tuple[str, ...]
    category_labels: dict[str, str]
    rows: tuple[Row, ...]
    suppressed: bool = False

    @cached_property
    def _index(self) -> dict[tuple[str, dt.date, str], Row]:
        return {(r.area, r.month, r.category): r for r in self.rows}

    def row(self, area: str, month: dt.date, category: str = "") -> Row:
        """The row for `area`, `month` (any day of it) and `category`."""
        first = month.replace(day=1)
        try:
            return self._index[(area, first, category)]
        except KeyError:
            raise KeyError(
                f"{self.definition.id}: no row {area!r} {first:%Y-%m} {category!r}"
            ) from None

    def trend(self, area: str = ALL, category: str = "") -> list[tuple[dt.date, float | None]]:
        """The value month by month for one area and category (None where there is none, it
        is suppressed, or the KPI is a snapshot of an earlier month): what a chart draws."""
        out = []
        for month in self.months:
            found = self._index.get((area, month, category))
            value = found.value if found else None
            out.append((month, float(value) if isinstance(value, int | float) else None))
        return out

    def label(self, category: str) -> str:
        return self.category_labels.get(category, category.replace("_", " ").capitalize())


def area_label(area: str) -> str:
    """An area code in words: "Cheshire West and Chester", "All areas", "Area not known"."""
    if area == ALL:
        return "All areas"
    if area == UNKNOWN:
        return "Area not known"
    return area.replace("_", " ").title().replace(" And ", " and ")


def last_months(as_of: dt.date, count: int) -> tuple[dt.date, ...]:
    """The first days of the `count` calendar months ending with `as_of`'s, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return tuple(dt.date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1))


def build(
    definition: Definition,
    tallies: Iterable[Tally],
    months: Sequence[dt.date],
    categories: Sequence[str] = ("",),
    category_labels: dict[str, str] | None = None,
) -> Table:
    """The table for `definition`: every month, area and category a row, zero where nothing
    was counted. Areas: the council areas (when the KPI has them), "area not known" when
    anything was counted there, and ALL."""
    found = {(t.area, t.month, t.category): t for t in tallies}
    # a KPI split into categories has one denominator per area and month (the whole)
    whole = {(t.area, t.month): t.denominator or 0 for t in found.values()}
    areas: list[str] = []
    if definition.by_area:
        areas = list(COUNCIL_AREAS)
        areas += [UNKNOWN] if any(t[0] == UNKNOWN for t in found) else []
    extra = sorted({t[2] for t in found} - set(categories))
    cats = (*categories, *extra)
    shown = months[-1:] if definition.snapshot else months
    rows = []
    for month in shown:
        for area in (*areas, ALL):
            for category in cats:
                tally = found.get((area, month, category)) or Tally(
                    area, month, category, 0, whole.get((area, month), 0)
                )
                rows.append(_row(definition, area, month, category, tally))
    return Table(definition, tuple(months), (*areas, ALL), cats, category_labels or {}, tuple(rows))


def _row(definition: Definition, area: str, month: dt.date, category: str, t: Tally) -> Row:
    numerator = t.numerator
    denominator = (t.denominator or 0) if definition.denominator else None
    value: int | float | None = numerator
    if definition.percent:
        value = round(100 * numerator / denominator, 1) if denominator else None
    return Row(area, month, category, numerator, denominator, value)


def suppress(table: Table, below: int = 5) -> Table:
    """The table as published: every count from 1 to `below` - 1 (numerator or denominator)
    replaced by SUPPRESSED, and so is any value worked out from one. Zero is shown: it
    counts no child."""
    return replace(table, rows=tuple(_suppressed(r, below) for r in table.rows), suppressed=True)


def _suppressed(row: Row, below: int) -> Row:
    def small(n: Figure | None) -> bool:
        return isinstance(n, int) and 0 < n < below

    if not (small(row.numerator) or small(row.denominator)):
        return row
    numerator = SUPPRESSED if small(row.numerator) else row.numerator
    denominator = SUPPRESSED if small(row.denominator) else row.denominator
    return replace(row, numerator=numerator, denominator=denominator, value=SUPPRESSED)


def to_csv(table: Table) -> str:
    """The table as CSV text (a header, then one line per row; suppressed figures as the
    marker), for download beside the page and the pack."""
    out = io.StringIO()
    writer = Writer(out)
    writer.writerow(
        [
            "kpi",
            "month",
            "council_area",
            "area",
            "category",
            "numerator",
            "denominator",
            "value",
            "unit",
        ]
    )
    for r in table.rows:
        value = "" if r.value is None else r.value
        writer.writerow(
            [
                table.definition.id,
                f"{r.month:%Y-%m}",
                r.area,
                r.area_label,
                table.label(r.category) if r.category else "",
                r.numerator,
                "" if r.denominator is None else r.denominator,
                value,
                table.definition.unit,
            ]
        )
    return out.getvalue()

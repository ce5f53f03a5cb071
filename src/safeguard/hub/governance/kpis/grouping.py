"""How every KPI query counts: grouped by calendar month (local time) and council area in the
database, once by area and once for the whole partnership (so a child in two areas counts once
in the "all areas" row), never row by row in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    Case,
    DateField,
    DateTimeField,
    Expression,
    F,
    Func,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from safeguard.hub.governance.kpis.table import ALL, UNKNOWN, Tally, last_months
from safeguard.hub.mash.clocks import vocabulary
from safeguard.hub.people.models import PersonRecord


@dataclass(frozen=True)
class Window:
    """The months a data set covers, ending with the assessment date's month."""

    as_of: dt.date
    months: tuple[dt.date, ...]

    @classmethod
    def ending(cls, as_of: dt.date, months: int) -> Window:
        return cls(as_of, last_months(as_of, months))

    @property
    def start(self) -> dt.datetime:
        """Local midnight starting the first month."""
        return _midnight(self.months[0])

    @property
    def end(self) -> dt.datetime:
        """Local midnight ending the assessment date: nothing after it counts."""
        return _midnight(self.as_of + dt.timedelta(days=1))

    def month_ends(self) -> list[dt.datetime]:
        """For each month, the moment it ends (the assessment date's end for the last)."""
        nexts = [*self.months[1:], None]
        return [min(_midnight(n), self.end) if n else self.end for n in nexts]


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def month_of(field: str) -> TruncMonth:
    """The calendar month (local time) of a date or time field, as its first day."""
    return TruncMonth(field, output_field=DateField())


def grouped(
    rows: QuerySet[Any],
    month: Expression | F,
    area: Expression | F | str | None,
    numerator: Aggregate,
    denominator: Aggregate | None = None,
    category: Expression | F | str | None = None,
) -> list[Tally]:
    """Count `rows` by month, area (None: the whole partnership, ALL) and category."""
    keys = {
        "kpi_month": month,
        "kpi_area": F(area) if isinstance(area, str) else area or Value(ALL),
        "kpi_category": F(category) if isinstance(category, str) else category or Value(""),
    }
    counts = {"kpi_n": numerator} | ({"kpi_d": denominator} if denominator is not None else {})
    found = rows.annotate(**keys).values(*keys).annotate(**counts).order_by()
    return [
        Tally(
            r["kpi_area"] or UNKNOWN,
            _first(r["kpi_month"]),
            r["kpi_category"] or "",
            r["kpi_n"] or 0,
            r.get("kpi_d") or 0 if denominator is not None else None,
        )
        for r in found
    ]


def by_area(
    rows: QuerySet[Any],
    month: Expression | F,
    area: str,
    numerator: Aggregate,
    denominator: Aggregate | None = None,
    category: Expression | F | str | None = None,
) -> list[Tally]:
    """`grouped` by the records' own council area field, and for the whole partnership."""
    return grouped(rows, month, area, numerator, denominator, category) + grouped(
        rows, month, None, numerator, denominator, category
    )


def by_child_area(
    rows: QuerySet[Any],
    person: str,
    month: Expression | F,
    numerator: Aggregate,
    denominator: Aggregate | None = None,
    category: Expression | F | str | None = None,
) -> list[Tally]:
    """`grouped` by the child's council area: every council whose children's services hold a
    record of the child (the MASH vocabulary's `delivered_areas`), "area not known" for a
    child no council holds; and for the whole partnership. Count children distinctly: a
    child with two records in one council joins it twice."""
    councils = vocabulary().delivered_areas
    agency = f"{person}__records__agency"
    area = Case(
        *(When(**{agency: code}, then=Value(name)) for code, name in councils.items()),
        default=Value(UNKNOWN),
    )
    held = PersonRecord.objects.filter(agency__in=list(councils)).values("person_id")
    in_council = rows.filter(**{f"{agency}__in": list(councils)})
    nowhere = rows.exclude(**{f"{person}__in": held})
    return (
        grouped(in_council, month, area, numerator, denominator, category)
        + grouped(nowhere, month, Value(UNKNOWN), numerator, denominator, category)
        + grouped(rows, month, None, numerator, denominator, category)
    )


def _first(month: dt.date | dt.datetime) -> dt.date:
    day = month.date() if isinstance(month, dt.datetime) else month
    return day.replace(day=1)


class MonthsBefore(Func):
    """A time `months` calendar months earlier, in the database (the census's "within 12
    months"): interval arithmetic (PostgreSQL), a date modifier (SQLite). Times are compared
    as stored (UTC)."""

    output_field = DateTimeField()

    def __init__(self, expression: Any, months: int) -> None:
        self.months = int(months)  # a whole number, so safe inside the SQL text
        super().__init__(
            expression, template=f"(%(expressions)s - interval '{self.months} months')"
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        template = f"datetime(%(expressions)s, '-{self.months} months')"
        sql, params = super().as_sql(compiler, connection, template=template, **extra)
        return sql, tuple(params)

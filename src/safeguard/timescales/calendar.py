"""The working calendar: which days are working days, and the office hours on them.

A working day is one of the office days (Monday to Friday unless a partnership says otherwise)
that is neither an England and Wales bank holiday nor one of the partnership's own closure
days. Bank holidays come from the `holidays` library (substitute days included, as are one-off
days such as a coronation), never from a list kept by hand here: one source, read the same way
by the Python rule and by the calendar table the SQL rule joins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
OFFICE_DAYS = frozenset(range(5))
"""Monday to Friday, as `date.weekday()` numbers."""


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in `year` (Wales keeps the same days as England)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@dataclass(frozen=True)
class Calendar:
    """Office hours and working days (the timescales catalogue's `[calendar]` table)."""

    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(17, 0)
    days: frozenset[int] = OFFICE_DAYS
    """Office days as `date.weekday()` numbers (0 is Monday)."""
    closures: frozenset[dt.date] = field(default_factory=frozenset)
    """A partnership's own closure days, on top of weekends and bank holidays."""

    def working(self, day: dt.date) -> bool:
        """Whether `day` is a working day."""
        return (
            day.weekday() in self.days
            and day not in bank_holidays(day.year)
            and day not in self.closures
        )

    def span(self) -> dt.timedelta:
        """The length of the office day: one working day's worth of working hours."""
        return _on(dt.date.min, self.closes) - _on(dt.date.min, self.opens)

    def office(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """When the office opens and closes on `day` (whether or not it is a working day)."""
        return _on(day, self.opens), _on(day, self.closes)

    def working_days(self, first: dt.date) -> Iterator[dt.date]:
        """Every working day from `first` (included) on, without end."""
        day = first
        while True:
            if self.working(day):
                yield day
            day += dt.timedelta(days=1)


def _on(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time)

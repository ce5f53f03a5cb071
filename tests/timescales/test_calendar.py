"""The working calendar: weekends, England and Wales bank holidays from `holidays`, closures."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguard.timescales import Calendar
from safeguard.timescales.calendar import bank_holidays

d = dt.date


@pytest.mark.parametrize(
    "day",
    [
        d(2026, 12, 25),  # Christmas Day, a Friday
        d(2026, 12, 28),  # Boxing Day falls on a Saturday: its substitute, Monday
        d(2027, 3, 26),  # Good Friday 2027
        d(2027, 3, 29),  # Easter Monday 2027
        d(2026, 8, 31),  # summer bank holiday 2026
        d(2026, 5, 4),  # early May bank holiday 2026
        d(2023, 5, 8),  # a one-off: the coronation
        d(2026, 11, 7),  # a Saturday
        d(2026, 11, 8),  # a Sunday
    ],
)
def test_days_that_are_not_working_days(day: dt.date) -> None:
    assert not Calendar().working(day)


@pytest.mark.parametrize("day", [d(2026, 12, 24), d(2026, 12, 29), d(2027, 3, 25), d(2026, 9, 1)])
def test_days_that_are_working_days(day: dt.date) -> None:
    assert Calendar().working(day)


def test_bank_holidays_come_from_the_library_for_any_year() -> None:
    assert len(bank_holidays(2026)) == 9  # eight bank holidays and Boxing Day's substitute
    assert d(2031, 12, 25) in bank_holidays(2031)
    assert d(2026, 3, 17) not in bank_holidays(2026)  # St Patrick's Day: Northern Ireland only
    assert d(2026, 11, 30) not in bank_holidays(2026)  # St Andrew's Day: Scotland only


def test_closures_and_office_days_are_configuration() -> None:
    ours = Calendar(days=frozenset({0, 1, 2, 3, 4, 5}), closures=frozenset({d(2026, 12, 24)}))
    assert not ours.working(d(2026, 12, 24))
    assert ours.working(d(2026, 11, 7)) and not ours.working(d(2026, 11, 8))
    assert Calendar().span() == dt.timedelta(hours=8)
    working = Calendar().working_days(d(2026, 12, 24))
    assert [next(working) for _ in range(3)] == [d(2026, 12, 24), d(2026, 12, 29), d(2026, 12, 30)]

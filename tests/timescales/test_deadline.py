"""The rule in Python, on worked examples: every unit around weekends, bank holidays (Christmas
2026, Easter 2027), office-hour edges, the days the clocks change, and pauses.

Every expected time below was worked out by hand from a calendar, not taken from the code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard.timescales import Calendar, Clock, Status, due, status
from safeguard.timescales.catalogue import Unit

D = dt.datetime


def clock(amount: int, unit: Unit, **calendar: Any) -> Clock:
    return Clock("test", "Test", amount, unit, "a test", local=True, calendar=Calendar(**calendar))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Christmas Eve: bank holidays do not stop an hours clock
        (D(2026, 12, 24, 18, 0), D(2026, 12, 27, 18, 0)),
        # clocks go back on Sunday 25 October 2026: 72 elapsed hours are 71 on the wall clock
        (D(2026, 10, 24, 12, 0), D(2026, 10, 27, 11, 0)),
        # clocks go forward on Sunday 28 March 2027: 72 elapsed hours are 73 on the wall clock
        (D(2027, 3, 27, 12, 0), D(2027, 3, 30, 13, 0)),
        (D(2026, 6, 1, 9, 30, 15), D(2026, 6, 4, 9, 30, 15)),
    ],
)
def test_hours_are_elapsed_time(start: D, expected: D) -> None:
    assert due(clock(72, "hours"), start) == expected


def test_days_are_calendar_days_on_the_wall_clock() -> None:
    assert due(clock(2, "days"), D(2026, 10, 24, 12, 0)) == D(2026, 10, 26, 12, 0)
    assert due(clock(3, "days"), D(2026, 12, 24, 15, 0)) == D(2026, 12, 27, 15, 0)
    assert due(clock(1, "days"), D(2027, 3, 27, 23, 30)) == D(2027, 3, 28, 23, 30)


@pytest.mark.parametrize(
    ("amount", "start", "expected"),
    [
        # Monday 10:00, 1 working day: the end of Tuesday
        (1, D(2026, 11, 2, 10, 0), D(2026, 11, 4, 0, 0)),
        # a referral just before midnight on Monday: still the end of Tuesday
        (1, D(2026, 11, 2, 23, 59, 59), D(2026, 11, 4, 0, 0)),
        # Saturday: the end of Monday
        (1, D(2026, 11, 7, 10, 0), D(2026, 11, 10, 0, 0)),
        # Friday: the end of Monday
        (1, D(2026, 11, 6, 16, 0), D(2026, 11, 10, 0, 0)),
        # Christmas Eve (Thursday): 25th, weekend, Monday 28th (Boxing Day's substitute) pass
        (1, D(2026, 12, 24, 15, 0), D(2026, 12, 30, 0, 0)),
        # Maundy Thursday 2027: Good Friday, the weekend and Easter Monday pass
        (1, D(2027, 3, 25, 11, 0), D(2027, 3, 31, 0, 0)),
        # the Friday before the summer bank holiday (Monday 31 August 2026)
        (1, D(2026, 8, 28, 12, 0), D(2026, 9, 2, 0, 0)),
        # the day the clocks go back: nothing special about working days
        (1, D(2026, 10, 25, 1, 30), D(2026, 10, 27, 0, 0)),
        # an assessment from Monday 2 November 2026: 45 working days, over Christmas
        (45, D(2026, 11, 2, 9, 0), D(2027, 1, 8, 0, 0)),
        # a conference from a strategy discussion on Wednesday 17 March 2027, over Easter
        (15, D(2027, 3, 17, 14, 0), D(2027, 4, 10, 0, 0)),
    ],
)
def test_working_days_end_at_midnight(amount: int, start: D, expected: D) -> None:
    assert due(clock(amount, "working_days"), start) == expected


def test_closure_days_are_not_working_days() -> None:
    closed = clock(1, "working_days", closures=frozenset({dt.date(2026, 11, 3)}))
    assert due(closed, D(2026, 11, 2, 10, 0)) == D(2026, 11, 5, 0, 0)


@pytest.mark.parametrize(
    ("amount", "start", "expected"),
    [
        (4, D(2026, 11, 2, 15, 0), D(2026, 11, 3, 11, 0)),  # 2 hours Monday, 2 Tuesday
        (4, D(2026, 11, 2, 7, 30), D(2026, 11, 2, 13, 0)),  # before opening: from 09:00
        (4, D(2026, 11, 2, 13, 0), D(2026, 11, 2, 17, 0)),  # runs out at closing: due then
        (4, D(2026, 11, 2, 17, 0), D(2026, 11, 3, 13, 0)),  # at closing: from Tuesday
        (4, D(2026, 11, 7, 12, 0), D(2026, 11, 9, 13, 0)),  # Saturday: from Monday 09:00
        (4, D(2026, 12, 24, 16, 0), D(2026, 12, 29, 12, 0)),  # 1 hour, then Christmas
        (4, D(2027, 3, 25, 16, 30), D(2027, 3, 30, 12, 30)),  # Easter 2027
        (4, D(2026, 10, 23, 16, 0), D(2026, 10, 26, 12, 0)),  # over the clocks going back
        (24, D(2026, 11, 2, 10, 0), D(2026, 11, 5, 10, 0)),  # Amber: 7 + 8 + 8 + 1
        (72, D(2026, 11, 2, 9, 0), D(2026, 11, 12, 17, 0)),  # Green: 9 whole working days
    ],
)
def test_working_hours_count_office_hours_only(amount: int, start: D, expected: D) -> None:
    assert due(clock(amount, "working_hours"), start) == expected


def test_office_hours_are_configuration() -> None:
    long_day = clock(4, "working_hours", opens=dt.time(8, 30), closes=dt.time(18, 0))
    assert due(long_day, D(2026, 11, 2, 16, 0)) == D(2026, 11, 3, 10, 30)
    saturdays = clock(4, "working_hours", days=frozenset(range(6)))
    assert due(saturdays, D(2026, 11, 6, 15, 0)) == D(2026, 11, 7, 11, 0)


MONDAY = D(2026, 11, 2, 10, 0)


@pytest.mark.parametrize(
    ("pauses", "expected"),
    [
        ([], D(2026, 11, 5, 10, 0)),
        ([(D(2026, 11, 3, 10, 0), D(2026, 11, 3, 22, 0))], D(2026, 11, 5, 22, 0)),
        # overlapping pauses count once
        (
            [
                (D(2026, 11, 3, 10, 0), D(2026, 11, 3, 16, 0)),
                (D(2026, 11, 3, 14), D(2026, 11, 3, 22)),
            ],
            D(2026, 11, 5, 22, 0),
        ),
        ([(D(2026, 11, 1, 9, 0), D(2026, 11, 2, 9, 0))], D(2026, 11, 5, 10, 0)),  # before
        ([(D(2026, 11, 2, 8, 0), D(2026, 11, 2, 12, 0))], D(2026, 11, 5, 12, 0)),  # astride
        ([(D(2026, 11, 5, 10, 0), D(2026, 11, 6, 10, 0))], D(2026, 11, 5, 10, 0)),  # after
        ([(D(2026, 11, 3, 22, 0), D(2026, 11, 3, 10, 0))], D(2026, 11, 5, 10, 0)),  # backward
        # the first pause moves the deadline to 12:00, so the second (from 11:30) counts too
        (
            [
                (D(2026, 11, 5, 9, 0), D(2026, 11, 5, 11, 0)),
                (D(2026, 11, 5, 11, 30), D(2026, 11, 5, 12, 30)),
            ],
            D(2026, 11, 5, 13, 0),
        ),
    ],
)
def test_pauses_move_an_hours_clock(pauses: list[tuple[D, D]], expected: D) -> None:
    assert due(clock(72, "hours"), MONDAY, pauses) == expected


def test_pauses_cost_a_clock_only_its_own_running_time() -> None:
    red = clock(4, "working_hours")
    start = D(2026, 11, 2, 15, 0)
    overnight = [(D(2026, 11, 2, 17, 0), D(2026, 11, 3, 9, 0))]
    assert due(red, start, overnight) == D(2026, 11, 3, 11, 0)  # outside office hours: free
    astride = [(D(2026, 11, 2, 16, 0), D(2026, 11, 3, 10, 0))]
    assert due(red, start, astride) == D(2026, 11, 3, 13, 0)  # 1 hour Monday, 1 Tuesday
    one = clock(1, "working_days")
    tuesday = [(D(2026, 11, 3, 0, 0), D(2026, 11, 4, 0, 0))]
    assert due(one, MONDAY, tuesday) == D(2026, 11, 5, 0, 0)  # a whole day lost
    assert due(one, MONDAY, [(D(2026, 11, 3, 10), D(2026, 11, 3, 13))]) == D(2026, 11, 4, 3, 0)
    weekend = [(D(2026, 11, 6, 17, 0), D(2026, 11, 9, 0, 0))]
    assert due(one, D(2026, 11, 6, 12, 0), weekend) == D(2026, 11, 10, 0, 0)  # free
    assert due(one, MONDAY, [(D(2026, 11, 2, 11), D(2026, 11, 2, 20))]) == D(2026, 11, 4)


def test_an_hours_pause_over_the_clocks_going_back_costs_its_elapsed_time() -> None:
    # 00:00 to 03:00 on Sunday 25 October 2026 is 4 elapsed hours (01:00 to 02:00 twice)
    pauses = [(D(2026, 10, 25, 0, 0), D(2026, 10, 25, 3, 0))]
    assert due(clock(72, "hours"), D(2026, 10, 24, 12, 0), pauses) == D(2026, 10, 27, 15, 0)


def test_aware_times_are_read_in_local_time() -> None:
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)  # 10:00 British Summer Time
    assert due(clock(72, "hours"), start) == D(2026, 7, 4, 10, 0)
    assert due(clock(4, "working_hours"), start) == D(2026, 7, 1, 14, 0)
    winter = dt.datetime(2026, 11, 2, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1)))
    assert due(clock(1, "working_days"), winter) == D(2026, 11, 5, 0, 0)  # Tuesday 00:30 here


def test_a_clock_not_started_is_not_due() -> None:
    assert due(clock(72, "hours"), None) is None


@pytest.mark.parametrize(
    ("done", "as_of", "expected"),
    [
        (D(2026, 11, 4, 0, 0), D(2026, 12, 1), Status.DONE_ON_TIME),  # at the deadline
        (D(2026, 11, 3, 12, 0), D(2026, 11, 3), Status.DONE_ON_TIME),
        (D(2026, 11, 4, 0, 0, 1), D(2026, 12, 1), Status.DONE_LATE),
        (None, D(2026, 11, 4, 0, 0), Status.DUE),  # not yet past it
        (None, D(2026, 11, 4, 0, 1), Status.OVERDUE),
        (None, D(2026, 11, 3, 12), Status.DUE),
    ],
)
def test_status(done: D | None, as_of: D, expected: Status) -> None:
    assert status(D(2026, 11, 4, 0, 0), done, as_of) is expected


def test_status_values_are_the_stored_words() -> None:
    assert [s.value for s in Status] == ["due", "overdue", "done_on_time", "done_late"]
    aware = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)  # 10:30 local
    assert status(D(2026, 7, 1, 10, 0), aware, aware) is Status.DONE_LATE

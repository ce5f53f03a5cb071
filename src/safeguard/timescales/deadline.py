"""The rule in Python: when a clock is due, and whether what it times was done in time.

A clock runs from its start until it has run for its amount, and is due at that moment:
- `hours`: elapsed time, hour for hour, as a stopwatch would measure it (on the day the clocks
  go back, 72 hours from Saturday noon is Tuesday 11:00 by the wall clock).
- `days`: calendar days on the wall clock: the same time of day that many days later.
- `working_hours`: only office hours on working days count (`Calendar`: 09:00 to 17:00, Monday
  to Friday, not bank holidays or closure days, by default). A start outside office hours
  begins counting at the next opening; a clock that runs out at closing time is due then, not
  at the next opening.
- `working_days`: the whole of each working day strictly after the day the clock starts
  counts, so the clock is due at the end (the midnight that ends it) of the Nth working day
  after the start's date. A Monday 10:00 referral with 1 working day is due at Tuesday 24:00
  (Wednesday 00:00); a Saturday referral is due at the end of Monday.

Pauses are intervals when the clock stands still (awaiting information, say). The clock is due
when it has run for its amount outside them, so each pause moves the deadline later by the
running time it took, in the clock's own measure: a pause outside office hours costs a
working-hours clock nothing; a whole working day paused costs a working-days clock one day (a
part of one costs that part). Overlapping pauses count once; a pause that begins after the
clock is due, or ends before it starts, costs nothing; one that ends before it begins is
ignored. An ongoing pause is given with its end at the assessment time.

Times: a naive datetime is local time in England (Europe/London); an aware one is converted
to local time first. `due` returns a naive local datetime, as the analytics store keeps them.
For `hours` a local time is read as an instant: one in the hour that happens twice when the
clocks go back, or in the hour skipped when they go forward, is read as the later of its two
possible instants (as DuckDB reads it), so Python and SQL agree.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Sequence
from typing import overload
from zoneinfo import ZoneInfo

from safeguard.timescales.catalogue import Clock

LONDON = ZoneInfo("Europe/London")
ZONE = "Europe/London"
"""The zone naive times are read in (by name, for SQL)."""

Pause = tuple[dt.datetime, dt.datetime]
_NEVER = dt.datetime.max - dt.timedelta(days=400)
_DAY = dt.timedelta(days=1)


class Status(enum.StrEnum):
    """Where a clock stands: not yet done (`due`, `overdue`) or done (on time or late)."""

    DUE = "due"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` as a naive local (Europe/London) time; naive times are local already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LONDON).replace(tzinfo=None)


@overload
def due(clock: Clock, start: dt.datetime, pauses: Iterable[Pause] = ()) -> dt.datetime: ...
@overload
def due(clock: Clock, start: None, pauses: Iterable[Pause] = ()) -> None: ...
def due(
    clock: Clock, start: dt.datetime | None, pauses: Iterable[Pause] = ()
) -> dt.datetime | None:
    """When `clock`, started at `start` and standing still during `pauses`, is due (naive local
    time); None when it has not started (no `start`)."""
    if start is None:
        return None
    begin = local(start)
    stops = [(local(a), local(b)) for a, b in pauses]
    if clock.unit == "hours":
        stops = [(_instant(a), _instant(b)) for a, b in stops]
        end = _run([(_instant(begin), _NEVER)], stops, dt.timedelta(hours=clock.amount))
        return end.replace(tzinfo=dt.UTC).astimezone(LONDON).replace(tzinfo=None)
    if clock.unit == "days":
        return _run([(begin, _NEVER)], stops, dt.timedelta(days=clock.amount))
    if clock.unit == "working_hours":
        return _run(_office(clock, begin), stops, dt.timedelta(hours=clock.amount))
    days = clock.calendar.working_days(begin.date() + _DAY)
    return _run(((d, d + _DAY) for d in map(_midnight, days)), stops, clock.amount * _DAY)


def status(due: dt.datetime, done: dt.datetime | None, as_of: dt.datetime) -> Status:
    """Where a clock due at `due` stands at `as_of`, given when it was `done` (None: not yet)."""
    due = local(due)
    if done is not None:
        return Status.DONE_ON_TIME if local(done) <= due else Status.DONE_LATE
    return Status.OVERDUE if local(as_of) > due else Status.DUE


def _run(windows: Iterable[Pause], pauses: Sequence[Pause], amount: dt.timedelta) -> dt.datetime:
    """The moment the clock has run for `amount` inside `windows` (in order) outside `pauses`."""
    left = amount
    stops = _merged(pauses)
    for start, end in windows:
        for a, b in _outside(start, end, stops):
            if b - a >= left:
                return a + left
            left -= b - a
    raise AssertionError("the windows never end")  # pragma: no cover


def _office(clock: Clock, begin: dt.datetime) -> Iterator[Pause]:
    """Office hours on every working day from `begin`'s on, the first cut at `begin`."""
    for day in clock.calendar.working_days(begin.date()):
        opens, closes = clock.calendar.office(day)
        if closes > begin:
            yield max(opens, begin), closes


def _outside(start: dt.datetime, end: dt.datetime, stops: Sequence[Pause]) -> Iterator[Pause]:
    """The parts of `start` to `end` outside the (merged, ordered) `stops`."""
    for a, b in stops:
        if b <= start or a >= end:
            continue
        if a > start:
            yield start, a
        start = max(start, b)
    if start < end:
        yield start, end


def _merged(pauses: Sequence[Pause]) -> list[Pause]:
    """Pauses in order, overlapping ones joined, empty or backward ones dropped."""
    merged: list[Pause] = []
    for a, b in sorted(p for p in pauses if p[1] > p[0]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _instant(moment: dt.datetime) -> dt.datetime:
    """A naive local time as a naive UTC instant: the later one when it is ambiguous."""
    return max(
        moment.replace(tzinfo=LONDON, fold=fold).astimezone(dt.UTC).replace(tzinfo=None)
        for fold in (0, 1)
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())

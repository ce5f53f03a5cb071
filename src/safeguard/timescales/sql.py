"""The rule as SQL for DuckDB: the same deadlines as `deadline.due`, set-based, no Python per row.

The working calendar becomes a table (`calendar_table`), built from the Python `Calendar`, so
bank holidays and closure days come from one place. Each of its days carries the number of
working days before it, which turns "the Nth working day after" into arithmetic.

The builders are pure: they return SQL text for a clock.
- `due_sql(clock, start)`: an expression for the due time of a start column (no pauses).
- `paused_due_sql(clock, rows, pauses)`: a query giving `key, due` for every row of `rows`
  (columns `key`, unique, and `start`), where `pauses` is a relation of pauses keyed by row
  (columns `key`, `paused_from`, `paused_to`; any number per row, overlapping or not).
- `status_sql(due, done, as_of)`: an expression for `deadline.Status` (null when `due` is).

How: each unit has a running measure, the time the clock has run from a fixed origin to a
moment (microseconds; only office hours count for `working_hours`, only whole working days
for `working_days`). A deadline is the moment the measure reaches the start's measure plus the
amount plus the measure lost inside pauses; pauses count in order while the clock, paused
before them, has not yet run out. Timestamps are naive local times; a start or a deadline on a
day the calendar table does not cover gives null, so cover the data (`span` says how far).
"""

from __future__ import annotations

import datetime as dt
from itertools import accumulate

import duckdb

from safeguard.timescales.calendar import Calendar
from safeguard.timescales.catalogue import Clock
from safeguard.timescales.deadline import ZONE, due

CALENDAR = "timescales_calendar"
"""The calendar table's default name: columns `calendar_day` (date), `is_working` (boolean)
and `working_before` (working days in the table before that day)."""

_SECOND = 1_000_000
_HOUR = 3600 * _SECOND
_DAY = 24 * _HOUR
_MICRO = dt.timedelta(microseconds=1)


def calendar_table(
    con: duckdb.DuckDBPyConnection,
    calendar: Calendar,
    first: dt.date,
    last: dt.date,
    name: str = CALENDAR,
) -> None:
    """Create (or replace) the calendar table `name` in `con` for `first` to `last`."""
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    working = [calendar.working(d) for d in days]
    before = [0, *accumulate(map(int, working[:-1]))][: len(days)]
    con.execute(
        f"create or replace table {name} as select unnest($days) as calendar_day, "
        "unnest($working) as is_working, unnest($before)::bigint as working_before",
        {"days": days, "working": working, "before": before},
    )


def span(
    clock: Clock, first: dt.datetime, last: dt.datetime, paused: dt.timedelta = dt.timedelta()
) -> tuple[dt.date, dt.date]:
    """The days a calendar table must cover for `clock` started between `first` and `last`
    (and paused for at most `paused` in all)."""
    end = due(clock, last, [(last, last + paused)])
    return first.date() - dt.timedelta(days=1), end.date() + dt.timedelta(days=1)


def due_sql(clock: Clock, start: str, calendar: str = CALENDAR) -> str:
    """An SQL expression for when `clock` started at `start` (an expression) is due."""
    return _moment(clock, f"{_origin(clock, start, calendar)} + {_amount(clock)}", calendar)


def paused_due_sql(clock: Clock, rows: str, pauses: str, calendar: str = CALENDAR) -> str:
    """An SQL query: `key, due` for each row of `rows` (`key`, `start`) with its `pauses`
    (`key`, `paused_from`, `paused_to`). `rows` and `pauses` are table names or subqueries."""
    at_from = _measure(clock, "p.paused_from", calendar)
    at_to = _measure(clock, "p.paused_to", calendar)
    return f"""
with starts as (
    select r.key, {_origin(clock, "r.start", calendar)} as origin from {rows} r),
stops as (
    select p.key, greatest({at_from}, s.origin) as a, {at_to} as b
    from {pauses} p join starts s on s.key = p.key
    where p.paused_to > p.paused_from),
marked as (
    select key, a, b, coalesce(a > max(b) over (partition by key order by a, b
        rows between unbounded preceding and 1 preceding), true)::int as fresh
    from stops where b > a),
islands as (
    select key, min(a) as a, max(b) as b
    from (select *, sum(fresh) over (partition by key order by a, b) as island from marked)
    group by key, island),
counted as (
    select i.key, i.b - i.a as length, i.a - s.origin - coalesce(sum(i.b - i.a) over (
        partition by i.key order by i.a rows between unbounded preceding and 1 preceding),
        0)::bigint as ran
    from islands i join starts s using (key)),
lost as (
    select key, sum(length)::bigint as lost from counted where ran < {_amount(clock)} group by key)
select s.key, {_moment(clock, f"s.origin + {_amount(clock)} + coalesce(l.lost, 0)", calendar)}
    as due
from starts s left join lost l using (key)
"""


def status_sql(due: str, done: str, as_of: str) -> str:
    """An SQL expression for `deadline.status`: due, overdue, done_on_time or done_late."""
    return (
        f"case when ({due}) is null then null"
        f" when ({done}) is not null and ({done}) <= ({due}) then 'done_on_time'"
        f" when ({done}) is not null then 'done_late'"
        f" when ({as_of}) > ({due}) then 'overdue'"
        " else 'due' end"
    )


def _amount(clock: Clock) -> str:
    unit = _DAY if clock.unit in ("days", "working_days") else _HOUR
    return f"{clock.amount * unit}::bigint"


def _office(clock: Clock) -> tuple[int, int]:
    """When the office opens (from midnight) and how long it is open, in microseconds."""
    midnight = dt.datetime.combine(dt.date.min, dt.time())
    opens = dt.datetime.combine(dt.date.min, clock.calendar.opens) - midnight
    return opens // _MICRO, clock.calendar.span() // _MICRO


def _measure(clock: Clock, moment: str, calendar: str) -> str:
    """How long the clock has run from the origin to `moment`, in microseconds."""
    t = f"({moment})"
    if clock.unit == "hours":
        return f"epoch_us(timezone('{ZONE}', {t}))"
    if clock.unit == "days":
        return f"epoch_us({t})"
    opens, length = _office(clock) if clock.unit == "working_hours" else (0, _DAY)
    into = f"epoch_us({t}) - epoch_us(c.calendar_day::timestamp) - {opens}"
    return (
        f"(select {length} * c.working_before + case when c.is_working then "
        f"least(greatest({into}, 0), {length}) else 0 end "
        f"from {calendar} c where c.calendar_day = cast({t} as date))"
    )


def _origin(clock: Clock, start: str, calendar: str) -> str:
    """The measure at which the clock starts counting: its start, or for working days the
    midnight that ends the start's day."""
    if clock.unit != "working_days":
        return _measure(clock, start, calendar)
    return (
        f"(select {_DAY} * c.working_before from {calendar} c "
        f"where c.calendar_day = cast(({start}) as date) + 1)"
    )


def _moment(clock: Clock, measure: str, calendar: str) -> str:
    """The earliest moment at which the clock's measure reaches `measure` (a naive time)."""
    x = f"({measure})"
    if clock.unit == "hours":
        return f"timezone('{ZONE}', timezone('UTC', make_timestamp({x})))"
    if clock.unit == "days":
        return f"make_timestamp({x})"
    opens, length = _office(clock) if clock.unit == "working_hours" else (0, _DAY)
    return (
        f"(select c.calendar_day + to_microseconds({opens} + {x} - {length} * c.working_before) "
        f"from {calendar} c where c.is_working and c.working_before = ({x} - 1) // {length})"
    )

"""The rule as SQL: the calendar table, worked examples, and a property test that the SQL and
the Python rule agree for random starts, units, amounts, pauses and calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.timescales import UNITS, Calendar, Clock, Pause, due, status
from safeguard.timescales.catalogue import Unit
from safeguard.timescales.sql import (
    CALENDAR,
    calendar_table,
    due_sql,
    paused_due_sql,
    span,
    status_sql,
)

D = dt.datetime
FIRST, LAST = dt.date(2025, 12, 1), dt.date(2028, 6, 30)
CALENDARS = (
    Calendar(),
    Calendar(
        opens=dt.time(8, 30),
        closes=dt.time(18, 15, 30),
        days=frozenset(range(6)),
        closures=frozenset({dt.date(2026, 12, 24), dt.date(2027, 3, 24), dt.date(2027, 1, 4)}),
    ),
)
ROWS = pa.schema([("key", pa.int64()), ("start", pa.timestamp("us"))])
PAUSES = pa.schema(
    [("key", pa.int64()), ("paused_from", pa.timestamp("us")), ("paused_to", pa.timestamp("us"))]
)


def clock(amount: int, unit: Unit, calendar: Calendar = CALENDARS[0]) -> Clock:
    return Clock(f"{unit}_{amount}", "Test", amount, unit, "a test", True, calendar=calendar)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    for i, calendar in enumerate(CALENDARS):
        calendar_table(c, calendar, FIRST, LAST, name=f"calendar_{i}")
    yield c
    c.close()


def test_the_calendar_table_numbers_the_working_days(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select calendar_day, is_working, working_before from calendar_0 "
        "where calendar_day between '2026-12-23' and '2026-12-30' order by 1"
    ).fetchall()
    days = [(r[0].day, r[1]) for r in rows]
    assert days == [(23, 1), (24, 1), (25, 0), (26, 0), (27, 0), (28, 0), (29, 1), (30, 1)]
    befores = [r[2] - rows[0][2] for r in rows]
    assert befores == [0, 1, 2, 2, 2, 2, 2, 3]
    count = con.execute(
        "select count(*) from calendar_0 where is_working and year(calendar_day) = 2026"
    ).fetchone()
    assert count == (253,)  # 261 weekdays in 2026 less 8 bank holidays (Boxing Day is a Saturday)


def test_the_builders_are_pure_text() -> None:
    text = due_sql(clock(1, "working_days"), "referred_at")
    assert "referred_at" in text and CALENDAR in text
    assert "timezone('Europe/London'" in due_sql(clock(72, "hours"), "returned")
    assert status_sql("d", "x", "now").startswith("case when (d) is null then null")


@pytest.mark.parametrize(
    ("amount", "unit", "start", "expected"),
    [
        (72, "hours", D(2026, 10, 24, 12, 0), D(2026, 10, 27, 11, 0)),
        (72, "hours", D(2027, 3, 27, 12, 0), D(2027, 3, 30, 13, 0)),
        (2, "days", D(2026, 10, 24, 12, 0), D(2026, 10, 26, 12, 0)),
        (1, "working_days", D(2026, 12, 24, 15, 0), D(2026, 12, 30, 0, 0)),
        (1, "working_days", D(2027, 3, 25, 11, 0), D(2027, 3, 31, 0, 0)),
        (45, "working_days", D(2026, 11, 2, 9, 0), D(2027, 1, 8, 0, 0)),
        (4, "working_hours", D(2026, 12, 24, 16, 0), D(2026, 12, 29, 12, 0)),
        (4, "working_hours", D(2026, 11, 2, 13, 0), D(2026, 11, 2, 17, 0)),
        (4, "working_hours", D(2026, 11, 7, 12, 0), D(2026, 11, 9, 13, 0)),
    ],
)
def test_worked_examples_in_sql(
    con: duckdb.DuckDBPyConnection, amount: int, unit: Unit, start: D, expected: D
) -> None:
    expression = due_sql(clock(amount, unit), "s", calendar="calendar_0")
    got = con.execute(f"select {expression} from (select $s::timestamp as s)", {"s": start})
    assert got.fetchone() == (expected,)


def test_pauses_in_sql(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table worked as select * from (values "
        "(1, timestamp '2026-11-02 10:00'), (2, timestamp '2026-11-02 10:00'), "
        "(3, timestamp '2026-11-02 10:00'), (4, timestamp '2026-11-02 10:00')) t(key, start)"
    )
    con.execute(
        "create or replace temp table worked_pauses as select * from (values "
        "(1, timestamp '2026-11-03 10:00', timestamp '2026-11-03 16:00'), "
        "(1, timestamp '2026-11-03 14:00', timestamp '2026-11-03 22:00'), "
        "(2, timestamp '2026-11-05 09:00', timestamp '2026-11-05 11:00'), "
        "(2, timestamp '2026-11-05 11:30', timestamp '2026-11-05 12:30'), "
        "(4, timestamp '2026-11-05 10:00', timestamp '2026-11-06 10:00')) "
        "t(key, paused_from, paused_to)"
    )
    query = paused_due_sql(clock(72, "hours"), "worked", "worked_pauses", "calendar_0")
    got = dict(con.execute(f"select * from ({query})").fetchall())
    assert got == {
        1: D(2026, 11, 5, 22, 0),  # overlapping pauses count once
        2: D(2026, 11, 5, 13, 0),  # the first pause makes the second count
        3: D(2026, 11, 5, 10, 0),  # no pauses
        4: D(2026, 11, 5, 10, 0),  # a pause from the deadline on costs nothing
    }


def test_span_covers_a_clock(con: duckdb.DuckDBPyConnection) -> None:
    first, last = span(clock(45, "working_days"), D(2026, 11, 2, 9), D(2026, 11, 20, 9))
    assert first == dt.date(2026, 11, 1) and last >= dt.date(2027, 1, 26)


# --- the SQL and the Python rule agree -----------------------------------------------------

EDGE_DAYS = [
    dt.date(2026, 3, 29),  # the clocks go forward
    dt.date(2026, 10, 25),  # the clocks go back
    dt.date(2027, 3, 28),
    dt.date(2027, 10, 31),
    *(dt.date(2026, 12, 24) + dt.timedelta(days=n) for n in range(6)),  # Christmas 2026
    *(dt.date(2027, 3, 24) + dt.timedelta(days=n) for n in range(7)),  # Easter 2027
    dt.date(2026, 8, 28),
    dt.date(2026, 8, 31),
    dt.date(2026, 11, 6),  # a Friday
    dt.date(2026, 11, 7),  # a Saturday
]
EDGE_TIMES = [
    dt.time(0, 0),
    dt.time(1, 0),
    dt.time(1, 30),
    dt.time(2, 0),
    dt.time(8, 30),
    dt.time(8, 59, 59, 999_999),
    dt.time(9, 0),
    dt.time(17, 0),
    dt.time(18, 15, 30),
    dt.time(23, 59, 59, 999_999),
]
moments = st.one_of(
    st.datetimes(min_value=D(2026, 1, 1), max_value=D(2027, 12, 31)),
    st.builds(D.combine, st.sampled_from(EDGE_DAYS), st.sampled_from(EDGE_TIMES)),
)
offsets = st.one_of(
    st.timedeltas(min_value=dt.timedelta(days=-2), max_value=dt.timedelta(days=12)),
    st.integers(min_value=-48, max_value=24 * 12).map(lambda h: dt.timedelta(hours=h)),
)
lengths = st.one_of(
    st.timedeltas(min_value=dt.timedelta(hours=-2), max_value=dt.timedelta(days=5)),
    st.integers(min_value=0, max_value=24 * 4).map(lambda h: dt.timedelta(hours=h)),
)
pauses = st.lists(st.tuples(st.booleans(), offsets, lengths), max_size=4)
"""Pauses from the start, or from the deadline without pauses (at_due), an offset on."""
AMOUNTS = {"hours": (1, 200), "days": (1, 30), "working_hours": (1, 120), "working_days": (1, 50)}
done_offsets = st.one_of(
    st.none(),
    st.sampled_from([dt.timedelta(0), dt.timedelta(microseconds=1), -dt.timedelta(seconds=1)]),
    st.timedeltas(min_value=dt.timedelta(days=-3), max_value=dt.timedelta(days=3)),
)


@st.composite
def clocks(draw: st.DrawFn) -> list[Clock]:
    """One clock of each unit, with a random amount and calendar."""
    return [
        clock(draw(st.integers(*AMOUNTS[u])), u, draw(st.sampled_from(CALENDARS))) for u in UNITS
    ]


rows = st.lists(
    st.tuples(st.integers(0, 3), moments, pauses, done_offsets, done_offsets),
    min_size=20,
    max_size=60,
)
STATUS = pa.schema(
    [("key", pa.int64())] + [(n, pa.timestamp("us")) for n in ("due", "done", "as_of")]
)
Row = tuple[int, D, list[Pause]]
Offset = dt.timedelta | None


def stop(c: Clock, start: D, at_due: bool, offset: dt.timedelta, length: dt.timedelta) -> Pause:
    begin = (due(c, start) if at_due else start) + offset
    return begin, begin + length


def sql_dues(con: duckdb.DuckDBPyConnection, c: Clock, rows: list[Row]) -> dict[int, tuple[D, D]]:
    """Each row's due with its pauses and without, by the SQL rule."""
    con.register("r", pa.Table.from_pylist([{"key": k, "start": s} for k, s, _ in rows], ROWS))
    stops = [{"key": k, "paused_from": a, "paused_to": b} for k, _, ps in rows for a, b in ps]
    con.register("p", pa.Table.from_pylist(stops, PAUSES))
    table = f"calendar_{CALENDARS.index(c.calendar)}"
    query = paused_due_sql(c, "r", "p", calendar=table)
    plain = due_sql(c, "r.start", calendar=table)
    got = con.execute(f"select q.key, q.due, {plain} from ({query}) q join r using (key)")
    return {key: (paused, unpaused) for key, paused, unpaused in got.fetchall()}


def sql_statuses(
    con: duckdb.DuckDBPyConnection, cases: list[tuple[int, D, D | None, D]]
) -> dict[int, str]:
    rows = [{"key": k, "due": d, "done": x, "as_of": y} for k, d, x, y in cases]
    con.register("s", pa.Table.from_pylist(rows, STATUS))
    sql = f"select key, {status_sql('due', 'done', 'as_of')} from s"
    return dict(con.execute(sql).fetchall())


@settings(
    max_examples=int(__import__("os").environ.get("N", 30)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(clocks(), rows)
def test_the_sql_and_the_python_rule_agree(
    con: duckdb.DuckDBPyConnection,
    four: list[Clock],
    drawn: list[tuple[int, D, list[tuple[bool, dt.timedelta, dt.timedelta]], Offset, Offset]],
) -> None:
    for n, c in enumerate(four):
        mine = [
            (key, start, [stop(c, start, *p) for p in ps])
            for key, (i, start, ps, _, _) in enumerate(drawn)
            if i == n
        ]
        if not mine:
            continue
        expected = {key: due(c, start, ps) for key, start, ps in mine}
        got = sql_dues(con, c, mine)
        assert {k: paused for k, (paused, _) in got.items()} == expected, c
        assert {k: plain for k, (_, plain) in got.items()} == {k: due(c, s) for k, s, _ in mine}
        # the status of each, with done and as-of times around the deadline
        cases = []
        for key, d in expected.items():
            done, late = (None if o is None else d + o for o in drawn[key][3:])
            cases.append((key, d, done, late or d))
        assert sql_statuses(con, cases) == {k: status(d, x, y).value for k, d, x, y in cases}

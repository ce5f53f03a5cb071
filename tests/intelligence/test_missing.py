"""Missing episodes joined up: one episode across agencies, interviews, repeat and long triggers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import pyarrow as pa
import pytest

from safeguard import timescales
from safeguard.intelligence import missing

AS_OF = dt.date(2026, 10, 31)
COLUMNS = (
    "subject",
    "agency",
    "record_id",
    "category",
    "reported_at",
    "last_seen_at",
    "returned_at",
    "rhi_completed_at",
)
ROWS = [
    # amy: one night reported by the police and the council (one episode); interview on time
    (
        "pol:amy",
        "police",
        "M1",
        "missing",
        "2026-01-10T22:00",
        "2026-01-10T20:00",
        "2026-01-11T09:00",
        None,
    ),
    (
        "cc:amy",
        "council",
        "M2",
        "absent",
        "2026-01-10T22:30",
        "2026-01-10T20:30",
        "2026-01-11T09:00",
        "2026-01-12T10:00",
    ),
    # bea: three episodes in 60 days (repeat); the last one's interview is overdue
    ("pol:bea", "police", "M3", "missing", "2026-03-01T22:00", None, "2026-03-02T02:00", None),
    ("pol:bea", "police", "M4", "missing", "2026-03-20T22:00", None, "2026-03-21T02:00", None),
    (
        "pol:bea",
        "police",
        "M5",
        "away_without_authorisation",
        "2026-04-25T22:00",
        None,
        "2026-04-26T02:00",
        None,
    ),
    # cat: one episode of 30 hours (long), interview done late
    (
        "pol:cat",
        "police",
        "M6",
        "missing",
        "2026-05-01T10:00",
        None,
        "2026-05-02T16:00",
        "2026-05-09T10:00",
    ),
]
RHI = timescales.load().clock("return_home_interview")
KEYS = {"pol:amy": "amy", "cc:amy": "amy", "pol:bea": "bea", "pol:cat": "cat"}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    table = pa.table({name: [r[i] for r in ROWS] for i, name in enumerate(COLUMNS)})
    c.register("rows", table)
    c.execute(
        "create table missing_episodes as select *, null::varchar as found_location, "
        "null::varchar as found_postcode, null::varchar as found_with, "
        "null::varchar as rhi_offered_at, null::varchar as risk_grade from rows"
    )
    c.register("k", pa.table({"subject": list(KEYS), "key": list(KEYS.values())}))
    c.execute("create table keys as select * from k")
    missing.analyse(c, missing.MissingRules(), RHI, AS_OF)
    return c


def test_one_night_reported_twice_is_one_episode(con) -> None:
    rows = con.execute(
        "select category, started, returned, rhi, records from episodes where key = 'amy'"
    ).fetchall()
    assert rows == [
        (
            "missing",  # the most serious category either agency gave
            dt.datetime(2026, 1, 10, 20, 0),
            dt.datetime(2026, 1, 11, 9, 0),
            "done_on_time",
            ["council:M2", "police:M1"],
        )
    ]


def test_interviews_and_triggers(con) -> None:
    rhi = dict(
        con.execute(
            "select record_id, rhi from episodes, unnest(records) as t(record_id)"
        ).fetchall()
    )
    assert rhi["police:M5"] == "overdue" and rhi["police:M6"] == "done_late"
    alerts = {
        (k, kind) for k, kind in con.execute("select key, kind from missing_alerts").fetchall()
    }
    assert ("bea", "repeat") in alerts and ("cat", "long") in alerts
    assert ("bea", "rhi_overdue") in alerts
    assert ("amy", "repeat") not in alerts and ("amy", "long") not in alerts
    day = con.execute("select day from missing_alerts where key = 'bea' and kind = 'repeat'")
    assert day.fetchall() == [(dt.datetime(2026, 4, 25, 22, 0),)]  # the third episode


def test_the_rules_are_configuration(con) -> None:
    con.execute("drop table missing_alerts")
    missing.analyse(con, missing.MissingRules(repeat_episodes=4, long_hours=48), RHI, AS_OF)
    kinds = {k for (k,) in con.execute("select distinct kind from missing_alerts").fetchall()}
    assert "repeat" not in kinds and "long" not in kinds


def test_the_interview_runs_on_the_configured_clock(con) -> None:
    """A partnership timing interviews in working days: M6 came back on Saturday 2 May 2026 and
    Monday 4 May was a bank holiday, so five working days end with Monday 11 May and the
    interview on Saturday 9 May was on time (it is late on the statutory 72 hours)."""
    days = replace(RHI, amount=5, unit="working_days")
    missing.analyse(con, missing.MissingRules(), days, AS_OF)
    due, rhi = con.execute(
        "select rhi_due, rhi from episodes, unnest(records) as t(r) where r = 'police:M6'"
    ).fetchone()
    assert (due, rhi) == (dt.datetime(2026, 5, 12, 0, 0), "done_on_time")
    missing.analyse(con, missing.MissingRules(), RHI, AS_OF)

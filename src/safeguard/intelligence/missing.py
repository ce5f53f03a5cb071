"""Missing episodes, joined up: one episode however many agencies reported it, return home
interviews due and overdue, and the repeat-missing triggers that recommend a strategy discussion.

The police, the child's council and a children's home often each record the same night.
Records of one child (a linked person) from different agencies whose last-seen times are within
`same_episode_hours` of each other are one episode: its category is the most serious any
agency gave (missing, then away without authorisation, then absent), it began at the earliest
last-seen time, ended at the latest return, and keeps every record it came from.

A return home interview runs on the one clock (`safeguard.timescales`, the clock
`return_home_interview`: 72 hours from the child's return by default, statutory guidance): its
status is `done_on_time`, `done_late`, `overdue` (not done and past due on the assessment
date), `due`, or `not_returned` (no return recorded, so no clock yet).

Rules (the catalogue's `[missing]` table; defaults are common local practice, DOMAIN.md §5):
- `repeat`: `repeat_episodes` (3) episodes within `repeat_days` (90) days;
- `long`: one episode over `long_hours` (24), or with no return recorded.
Each trigger recommends a strategy discussion; a person decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from safeguard.timescales import Clock
from safeguard.timescales.sql import calendar_table, due_sql, span, status_sql


@dataclass(frozen=True)
class MissingRules:
    repeat_episodes: int = 3
    repeat_days: int = 90
    long_hours: int = 24
    same_episode_hours: int = 6


_RECORDS = """
create or replace table missing_records as
select k.key, m.agency, m.record_id, m.category,
    coalesce(try_cast(m.last_seen_at as timestamp), try_cast(m.reported_at as timestamp))
        as started,
    try_cast(m.returned_at as timestamp) as returned,
    m.found_location, m.found_postcode, m.found_with,
    try_cast(m.rhi_offered_at as timestamp) as rhi_offered,
    try_cast(m.rhi_completed_at as timestamp) as rhi_completed,
    m.risk_grade
from missing_episodes m join keys k on k.subject = m.subject
where coalesce(try_cast(m.last_seen_at as timestamp), try_cast(m.reported_at as timestamp))
    is not null
"""

_EPISODES = """
create or replace table episodes as
with ordered as (
    select *, case when lag(started) over w is null
                     or started - lag(started) over w > to_hours($same)
                     or agency = lag(agency) over w then 1 else 0 end as new
    from missing_records
    window w as (partition by key order by started, agency, record_id)),
numbered as (
    select *, sum(new) over (partition by key order by started, agency, record_id) as n
    from ordered)
select key, n as episode,
    case when bool_or(category = 'missing') then 'missing'
         when bool_or(category = 'away_without_authorisation') then 'away_without_authorisation'
         else 'absent' end as category,
    min(started) as started,
    case when count(returned) = count(*) then max(returned) end as returned,
    any_value(found_location) filter (where found_location is not null) as found_location,
    any_value(found_postcode) filter (where found_postcode is not null) as found_postcode,
    any_value(found_with) filter (where found_with is not null) as found_with,
    min(rhi_completed) as rhi_completed,
    list(agency || ':' || record_id order by agency, record_id) as records
from numbered
group by key, n
"""

_RHI = """
create or replace table episodes as
with timed as (
    select *, {due} as rhi_due, date_diff('minute', started, returned) / 60.0 as hours
    from episodes
    where started <= $as_of)
select *,
    case when returned is null then 'not_returned' else {status} end as rhi
from timed
"""

_ALERTS = """
create or replace table missing_alerts as
with repeats as (
    select e.key, e.started, count(*) as episodes,
        list(p.records order by p.started) as records
    from episodes e join episodes p
        on p.key = e.key and p.started > e.started - to_days($days) and p.started <= e.started
    group by e.key, e.started
    having count(*) >= $repeat)
select key, 'repeat' as kind, min(started) as day,
    max(episodes) || ' episodes within ' || $days || ' days' as detail,
    flatten(arg_min(records, started)) as records
from repeats group by key
union all
select key, 'long', started,
    case when returned is null then 'no return recorded'
         else 'missing ' || round(hours, 1) || ' hours' end,
    records
from episodes where returned is null or hours > $long
union all
select key, 'rhi_overdue', rhi_due,
    'return home interview due ' || strftime(rhi_due, '%Y-%m-%d %H:%M') || ', not recorded',
    records
from episodes where rhi = 'overdue'
"""


def analyse(
    con: duckdb.DuckDBPyConnection, rules: MissingRules, rhi: Clock, as_of: dt.date
) -> None:
    """Episodes (table `episodes`) and alerts (`missing_alerts`: key, kind, day, detail,
    records) for every child in `keys`, from `missing_episodes` in `con`, the return home
    interview timed by the clock `rhi`."""
    end = dt.datetime.combine(as_of, dt.time.max)
    con.execute(_RECORDS)
    con.execute(_EPISODES, {"same": rules.same_episode_hours})
    first, last = con.execute("select min(returned), max(returned) from episodes").fetchone() or (
        None,
        None,
    )
    if first is not None:  # the working calendar the clock's SQL reads, over every return
        calendar_table(con, rhi.calendar, *span(rhi, first, last))
    due = due_sql(rhi, "returned") if first is not None else "null::timestamp"
    status = status_sql("rhi_due", "rhi_completed", "$as_of")
    con.execute(_RHI.format(due=due, status=status), {"as_of": end})
    con.execute(
        _ALERTS,
        {"days": rules.repeat_days, "repeat": rules.repeat_episodes, "long": rules.long_hours},
    )

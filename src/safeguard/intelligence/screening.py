"""CSE screening: the catalogue's scoring applied to the evidence, over time, for each child.

`screen` scores every child on every day new evidence about them arrived (and on the
assessment date), so the first day a child would have been proposed for referral is known: that
is what lead time is measured from. A child here is a *key*: a linked person (joined-up) or a
single agency record (siloed, the baseline), so the same rules run both ways.

Scoring, as the catalogue says (defaults from SERAF):
- each vulnerability known by that day scores `vulnerability` (undated flags count throughout);
- each moderate indicator seen within the `moderate` window scores `moderate`;
- each significant indicator scores `significant_recent` if seen within that window, else
  `significant_older` if seen within that one;
- the score's band, then the overrides: a disclosure within the older window sets
  `disclosure_band`; a child under `floor_under_age` or with a floor vulnerability is never
  below `floor_band`. The proposed level is that band; a child is *at risk* (flagged) at
  `referral_band` and above (Red/Amber);
- referral to the operational meeting is proposed for every child at risk, and also for a child
  of `referral_age` or under with any significant indicator (the override in published tools),
  whatever the level: a referral asks people to look, the level is the screening's view.

A screening proposes; a person confirms. The reasons list every indicator that scored, with its
points and the records behind it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa

from safeguard.intelligence.catalogue import Catalogue
from safeguard.intelligence.sources import born

_KEYED = """
create or replace table keyed as
select k.key, e.* from evidence e join keys k on k.subject = e.subject
"""

_BIRTHS = f"""
create or replace table births as
select k.key, min({born("p.date_of_birth")}) as born,
    bool_or(list_has_any(coalesce(p.flags, []), $floor_flags)) as floor_flag
from keys k join people p on p.uid = k.subject
group by k.key
"""

_DAYS = """
create or replace table days as
select distinct key, cast(occurred as date) as day from keyed
where occurred is not null and cast(occurred as date) <= $as_of
union
select distinct key, $as_of from keyed
"""

_PER_CODE = """
create or replace table per_code as
select d.key, d.day, e.code, e.level,
    bool_or(e.occurred is null or cast(e.occurred as date) <= d.day) as known,
    bool_or(cast(e.occurred as date) between d.day - $moderate + 1 and d.day) as in_moderate,
    bool_or(cast(e.occurred as date) between d.day - $recent + 1 and d.day) as in_recent,
    bool_or(cast(e.occurred as date) between d.day - $older + 1 and d.day) as in_older
from days d join keyed e using (key)
group by all
"""

_POINTS = """
case
    when level = 'vulnerability' and known then $s_vulnerability
    when level = 'moderate' and in_moderate then $s_moderate
    when level = 'significant' and in_recent then $s_significant_recent
    when level = 'significant' and in_older then $s_significant_older
    else 0
end
"""

_SCORED = f"""
create or replace table scored as
with scored_rows as (select *, {_POINTS} as raw from per_code),
points as (  -- an indicator counts once: at its best level that day (a hedged sentence is lower)
    select *, case when row_number() over (partition by key, day, code
                                          order by raw desc, level) = 1
                   then raw else 0 end as points
    from scored_rows)
select p.key, p.day,
    date_sub('year', b.born, p.day) as age,
    sum(points)::integer as score,
    bool_or(level = 'disclosure' and in_older) as disclosed,
    bool_or(level = 'significant' and in_recent) as significant_now,
    bool_or((level = 'significant' and in_older and code in (select unnest($specific_codes)))
        or (level = 'disclosure' and in_older)) as specific_now,
    bool_or(level = 'vulnerability' and known and code in (select unnest($floor_codes)))
        or coalesce(any_value(b.floor_flag), false) as floor_vulnerable,
    list(code order by points desc, code) filter (where points > 0
        or (level = 'disclosure' and in_older)) as scoring_codes
from points p join births b using (key)
where b.born is not null
group by p.key, p.day, b.born
having date_sub('year', b.born, p.day) between $min_age and $max_age
"""


def _band_sql(catalogue: Catalogue, score: str) -> tuple[str, dict[str, Any]]:
    cases: list[str] = []
    params: dict[str, Any] = {}
    for i, band in enumerate(reversed(catalogue.bands)):
        cases.append(f"when {score} >= $from_{i} then $band_{i}")
        params[f"from_{i}"], params[f"band_{i}"] = band.start, band.name
    return f"case {' '.join(cases)} else $band_low end", {
        **params,
        "band_low": catalogue.bands[0].name,
    }


def _rank_sql(catalogue: Catalogue, band: str) -> str:
    names = [b.name for b in catalogue.bands]
    whens = " ".join(f"when '{n}' then {i}" for i, n in enumerate(names))  # names checked
    return f"case {band} {whens} end"


def screen(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue, keys: pa.Table, as_of: dt.date
) -> None:
    """Score every child in `keys` (`subject`: person record uid, `key`: the child it counts
    for) from table `evidence` in `con` (see `indicators.derive`), on every day evidence
    arrived up to `as_of` and on `as_of`. Leaves table `timeline` (key, day, age, score, band,
    `at_risk`: the proposed level is at or above the referral band, `referral`: at risk or a
    young child with a significant indicator, the scoring codes) and `first_flag` (key, the
    first day the child was at risk) in `con`."""
    o = catalogue.overrides
    con.register("keys_arrow", keys)
    con.execute("create or replace table keys as select * from keys_arrow")
    con.execute(_KEYED)
    con.execute(_BIRTHS, {"floor_flags": list(o.floor_vulnerabilities)})
    con.execute(_DAYS, {"as_of": as_of})
    w = catalogue.windows
    windows = {
        "moderate": w["moderate"],
        "recent": w["significant_recent"],
        "older": w["significant_older"],
    }
    con.execute(_PER_CODE, windows)
    s = catalogue.scores
    con.execute(
        _SCORED,
        {
            **{f"s_{k}": v for k, v in s.items()},
            "floor_codes": list(o.floor_vulnerabilities),
            "specific_codes": [i.code for i in catalogue.indicators if i.specific],
            "min_age": catalogue.minimum_age,
            "max_age": catalogue.maximum_age,
        },
    )
    band, params = _band_sql(catalogue, "score")
    by_score = _rank_sql(catalogue, "band_by_score")
    floor_rank = catalogue.rank(o.floor_band)
    disclosure_rank = catalogue.rank(o.disclosure_band)
    names = [b.name for b in catalogue.bands]
    name_of = " ".join(f"when {i} then '{n}'" for i, n in enumerate(names))
    con.execute(
        f"""
        create or replace table timeline as
        with banded as (select *, {band} as band_by_score from scored),
        ranked as (
            select *, greatest(
                {by_score},
                case when disclosed then {disclosure_rank} else 0 end,
                case when age < $floor_age or floor_vulnerable then {floor_rank} else 0 end
            ) as rank from banded)
        select key, day, age, score, band_by_score, case rank {name_of} end as band,
            rank >= {catalogue.rank(o.referral_band)}
                and ({"specific_now" if o.needs_specific else "true"}) as at_risk,
            rank >= {catalogue.rank(o.referral_band)}
                or (age <= $referral_age and significant_now) as referral,
            disclosed, significant_now, specific_now, scoring_codes
        from ranked
        """,
        {**params, "floor_age": o.floor_under_age, "referral_age": o.referral_age},
    )
    con.execute(
        "create or replace table first_flag as "
        "select key, min(day) as day from timeline where at_risk group by key"
    )

"""Missing episodes, calibrated to the public figures in DOMAIN.md section 7.

For every child and year of the period a child may go missing with a probability set by age, sex,
vulnerability and whether they were looked after that year; a child who goes missing in a year has
one or more episodes. The constants below are derived from:

- NCA Missing Persons Data Report 2015/16: 93% of missing children aged 12-17, 58% aged 15-17,
  62% of those girls; over 75% of episodes resolved within 24 hours, 2% last over a week.
- DfE looked-after children 2018: 11% of looked-after children went missing, 65% of them more than
  once; 6.8 episodes per looked-after child who went missing (DfE 2025).
- Avon & Somerset: about 40% of missing people go missing more than once.
- Thames Valley: risk grades 16% high, 68% medium, 13% low (the rest no apparent risk).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from safeguard.synthetic.care import in_care
from safeguard.synthetic.period import SECONDS_PER_DAY, YEAR_DAYS, Period
from safeguard.synthetic.population import Population
from safeguard.synthetic.types import Array, Ints

#: Children who go missing in a year, per child (England: about 0.6% of under-18s).
ANNUAL_RATE = 0.006
#: Share of missing children by age band: under 10, 10-11, 12-14, 15-17.
AGE_SHARES = ((5, 10, 0.02), (10, 12, 0.05), (12, 15, 0.35), (15, 18, 0.58))
#: Girls' and boys' multipliers per band (62% girls at 15-17).
SEX_FACTORS = {0: (0.8, 1.2), 1: (0.9, 1.1), 2: (1.15, 0.85), 3: (1.24, 0.76)}
LOOKED_AFTER_RATE = 0.11
REPEAT_SHARE, REPEAT_SHARE_LAC = 0.40, 0.65
EPISODES_PER_LAC = 6.8
RISK_GRADES = ("no_apparent_risk", "low", "medium", "high")
RISK_SHARES = (0.03, 0.13, 0.68, 0.16)
FOUND_KINDS = (("home", 0.55), ("friend", 0.17), ("place", 0.16), ("street", 0.12))


@dataclass
class Episodes:
    """One row per episode: the true course of events, before any agency records it."""

    child: Ints
    last_seen: Array
    reported: Array
    returned: Array
    risk: Array
    found: Array
    friend: Ints
    place: Ints
    scenario: Array
    signal: Array
    police: Array

    def __len__(self) -> int:
        return len(self.child)

    @staticmethod
    def concat(parts: list[Episodes]) -> Episodes:
        return Episodes(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Episodes))
        )


def _annual_probability(age: Array, girl: Array) -> Array:
    p = np.zeros(len(age))
    for band, (lo, hi, share) in enumerate(AGE_SHARES):
        inside = (age >= lo) & (age < hi)
        f, m = SEX_FACTORS[band]
        p[inside] = ANNUAL_RATE * 18 * share / (hi - lo) * np.where(girl[inside], f, m)
    return p


def episode_counts(rng: np.random.Generator, looked_after: Array) -> Ints:
    """Episodes in a year for children who went missing that year."""
    n = len(looked_after)
    repeat = rng.random(n) < np.where(looked_after, REPEAT_SHARE_LAC, REPEAT_SHARE)
    extra_mean = (EPISODES_PER_LAC - 1) / REPEAT_SHARE_LAC - 1
    lac_extra = rng.negative_binomial(0.8, 0.8 / (0.8 + extra_mean), n)
    other_extra = rng.negative_binomial(1.0, 0.4, n)
    extra = np.where(looked_after, lac_extra, other_extra)
    return np.asarray(1 + repeat * (1 + extra), dtype=np.int64)


def durations(rng: np.random.Generator, n: int) -> Array:
    """Episode lengths in seconds: most back within a day, a few gone for over a week."""
    u = rng.random(n)
    short = np.clip(rng.lognormal(np.log(6 * 3600), 0.8, n), 1800, SECONDS_PER_DAY - 60)
    days = rng.uniform(1.0, 7.0, n) * SECONDS_PER_DAY
    weeks = rng.uniform(7.0, 21.0, n) * SECONDS_PER_DAY
    return np.where(u < 0.78, short, np.where(u < 0.98, days, weeks)).astype(np.int64)


def background_episodes(rng: np.random.Generator, pop: Population, period: Period) -> Episodes:
    """Episodes for the whole child population over the period."""
    kids = np.flatnonzero(pop["is_child"])
    years = max(1, round(period.days / YEAR_DAYS))
    child = np.repeat(kids, years)
    y = np.tile(np.arange(years), len(kids))
    lo = period.start64 + (y * YEAR_DAYS).astype(np.int64)
    hi = np.minimum(lo + int(YEAR_DAYS) - 1, period.end64)
    age = ((lo + (hi - lo) // 2) - pop["dob"][child]).astype(np.int64) / YEAR_DAYS
    girl = pop["sex"][child] == "female"
    p = _annual_probability(age, girl)
    total = p.sum()
    for lo_age, hi_age, share in AGE_SHARES:  # hold the shares whatever the age pyramid
        band = (age >= lo_age) & (age < hi_age)
        if p[band].sum() > 0:
            p[band] *= share * total / p[band].sum()
    vul = pop["vulnerability"][child]
    p *= np.exp(0.35 * vul) / np.exp(0.35 * vul).mean()
    lac = in_care(pop, child, lo, hi)
    if lac.any() and p[lac].sum() > 0:
        p[lac] *= LOOKED_AFTER_RATE / p[lac].mean()
    went = rng.random(len(p)) < np.minimum(p, 0.8)
    counts = episode_counts(rng, lac[went])
    ep_child = np.repeat(child[went], counts)
    ep_lo, ep_hi = np.repeat(lo[went], counts), np.repeat(hi[went], counts)
    span = (ep_hi - ep_lo).astype(np.int64) + 1
    day = ep_lo + (rng.random(len(ep_child)) * span).astype(np.int64)
    adult = pop["dob"][ep_child] + int(18 * YEAR_DAYS) - 1
    day = np.minimum(day, adult)
    return make_episodes(rng, pop, ep_child, day, period)


def make_episodes(
    rng: np.random.Generator,
    pop: Population,
    child: Ints,
    day: Array,
    period: Period,
    scenario: Array | None = None,
    signal: Array | None = None,
    friend: Ints | None = None,
) -> Episodes:
    """Full episodes for children going missing on the given days (evenings, mostly)."""
    n = len(child)
    hour = np.clip(rng.normal(19.5, 3.5, n), 0, 23.99)
    last_seen = day.astype("datetime64[s]") + (hour * 3600).astype(np.int64)
    dur = durations(rng, n)
    lag = np.minimum(rng.uniform(0.5, 6, n) * 3600, dur * 0.5).astype(np.int64)
    reported = period.clip(last_seen + lag)
    returned = last_seen + dur
    returned = np.where(returned > period.end_seconds, np.datetime64("NaT"), returned)
    risk = rng.choice(np.array(RISK_GRADES), n, p=RISK_SHARES)
    found = rng.choice(np.array([k for k, _ in FOUND_KINDS]), n, p=[p for _, p in FOUND_KINDS])
    return Episodes(
        child,
        last_seen,
        reported,
        returned.astype("datetime64[s]"),
        risk,
        found,
        friends(rng, pop, child) if friend is None else friend,
        np.full(n, -1, dtype=np.int64),
        scenario if scenario is not None else np.full(n, ""),
        signal if signal is not None else np.full(n, ""),
        rng.random(n) < 0.9,
    )


def friends(rng: np.random.Generator, pop: Population, child: Ints) -> Ints:
    """A plausible friend for each child: another child of similar age in the same council."""
    kids = np.flatnonzero(pop["is_child"])
    order = kids[np.lexsort((pop["dob"][kids], pop["council"][kids]))]
    rank = np.empty(len(pop), dtype=np.int64)
    rank[order] = np.arange(len(order))
    step = rng.integers(1, 40, len(child)) * np.where(rng.random(len(child)) < 0.5, -1, 1)
    pick = np.clip(rank[child] + step, 0, len(order) - 1)
    out = order[pick]
    return np.where(out == child, order[np.clip(rank[child] + 1, 0, len(order) - 1)], out)

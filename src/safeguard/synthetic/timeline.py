"""When things happen: events at a yearly rate over the part of the period a person is exposed.

Background records (A&E visits, school absences, contacts, police incidents) are all drawn the same
way, in bulk: a Poisson number of events per person for the years they spend in an age band within
the period, placed uniformly in that window, at a plausible time of day.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.period import YEAR_DAYS, Period
from safeguard.synthetic.population import Population
from safeguard.synthetic.types import Array, Ints


def occurrences(
    rng: np.random.Generator,
    pop: Population,
    people: Ints,
    rate: float | Array,
    period: Period,
    ages: tuple[float, float] = (0.0, 120.0),
) -> tuple[Ints, Array]:
    """(person, day) for events at `rate` per year while each person is aged within `ages`."""
    dob = pop["dob"][people].astype("datetime64[D]")
    lo = np.maximum(dob + int(ages[0] * YEAR_DAYS), period.start64)
    hi = np.minimum(dob + int(ages[1] * YEAR_DAYS) - 1, period.end64)
    days = np.maximum((hi - lo).astype(np.int64) + 1, 0)
    counts = rng.poisson(np.asarray(rate) * days / YEAR_DAYS)
    who = np.repeat(people, counts)
    start, span = np.repeat(lo, counts), np.repeat(days, counts)
    when = start + (rng.random(len(who)) * span).astype(np.int64)
    return who.astype(np.int64), when.astype("datetime64[D]")


def at_time(
    rng: np.random.Generator, day: Array, mean_hour: float = 14.0, sd: float = 4.0
) -> Array:
    """Date-times on the given days around `mean_hour`, to the minute."""
    hour = np.clip(rng.normal(mean_hour, sd, len(day)), 0.0, 23.98)
    return day.astype("datetime64[s]") + (hour * 60).astype(np.int64) * 60


def school_day(day: Array) -> Array:
    """The nearest weekday on or after each day (schools record events on school days)."""
    weekday = (day.astype("datetime64[D]").astype(np.int64) + 3) % 7
    return day + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))


def age_at(pop: Population, people: Ints, when: Array) -> Array:
    """Age in years of each person on the given dates."""
    days = when.astype("datetime64[D]") - pop["dob"][people].astype("datetime64[D]")
    return np.asarray(days.astype(np.int64) / YEAR_DAYS)


def pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> Array:
    """`n` draws from (value, weight) options."""
    values = np.array([v for v, _ in options])
    weights = np.array([w for _, w in options], dtype=float)
    return rng.choice(values, n, p=weights / weights.sum())

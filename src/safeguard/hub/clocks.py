"""The hub's clocks and the configuration they run on: the timescales catalogue (read once),
due times as the hub stores them (aware datetimes) from the one clock (`safeguard.timescales`),
and the missing-episode rules of the screening catalogue (repeat and long episodes)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from safeguard.intelligence.catalogue import load as load_catalogue
from safeguard.intelligence.missing import MissingRules
from safeguard.settings import get_settings
from safeguard.timescales import Clock, Timescales
from safeguard.timescales import due as clock_due
from safeguard.timescales import load as load_timescales
from safeguard.timescales import status as clock_status
from safeguard.timescales.deadline import LONDON


@lru_cache(maxsize=1)
def timescales() -> Timescales:
    """The configured timescales catalogue (`SAFEGUARD_TIMESCALES`, or the default)."""
    return load_timescales(get_settings().timescales)


@lru_cache(maxsize=1)
def missing_rules() -> MissingRules:
    """When a child's episodes call for a strategy discussion, and when two reports are one
    episode: the screening catalogue's `[missing]` table (`SAFEGUARD_SCREENING_CATALOGUE`)."""
    return load_catalogue(get_settings().screening_catalogue).missing


def clock(name: str) -> Clock:
    return timescales().clock(name)


def due(name: str, start: dt.datetime) -> dt.datetime:
    """When the clock `name` started at `start` is due, as an aware time."""
    return clock_due(clock(name), start).replace(tzinfo=LONDON)


def standing(due_at: dt.datetime | None, done_at: dt.datetime | None, now: dt.datetime) -> str:
    """Where a clock due at `due_at` stands: due, overdue, done on time or late ("" if none)."""
    if due_at is None:
        return ""
    return str(clock_status(due_at, done_at, now))

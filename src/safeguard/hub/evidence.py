"""Evidence the hub's own workflows hold, for every screening to read beside the agencies'
records, in one registry (as `reactions`): a practitioner's recorded indicator, the signs a
return home interviewer saw. Each source gives rows of (person, catalogue code, when, kind,
id, the words that are the evidence); the screening cites them like any record, with the
words quoted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Row = tuple[int, str, dt.datetime, str, str, str]
"""(person id, indicator code, when seen (naive local time), kind, id, the evidence's words)"""
Source = Callable[[], list[Row]]
_SOURCES: dict[str, Source] = {}


def source(name: str) -> Callable[[Source], Source]:
    """Register a source of evidence called `name`."""

    def register(found: Source) -> Source:
        _SOURCES[name] = found
        return found

    return register


def gathered() -> list[Row]:
    """Every registered source's rows."""
    return [row for found in _SOURCES.values() for row in found()]


def registered() -> list[str]:
    return list(_SOURCES)

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

Writing = tuple[int, dt.datetime, str, str, str, str]
"""(person id, when written (naive local time), kind, id, field, the text): free text the hub's
workflows hold, read by the screening's lexicons like the agencies' notes"""
WritingSource = Callable[[], list[Writing]]
_WRITING: dict[str, WritingSource] = {}


def source(name: str) -> Callable[[Source], Source]:
    """Register a source of evidence called `name`."""

    def register(found: Source) -> Source:
        _SOURCES[name] = found
        return found

    return register


def writing(name: str) -> Callable[[WritingSource], WritingSource]:
    """Register a source of free text called `name`."""

    def register(found: WritingSource) -> WritingSource:
        _WRITING[name] = found
        return found

    return register


def written() -> list[Writing]:
    """Every registered source's free text."""
    return [row for found in _WRITING.values() for row in found()]


def gathered() -> list[Row]:
    """Every registered source's rows."""
    return [row for found in _SOURCES.values() for row in found()]


def registered() -> list[str]:
    return list(_SOURCES) + [f"{name} (text)" for name in _WRITING]

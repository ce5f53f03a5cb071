"""Ofsted's judgements of councils' children's services: the two four-point scales
(DOMAIN.md section 2) and reading a CSV of judgements in Ofsted's published layout. Pure.

Before November 2013 the scale was Outstanding / Good / Adequate / Inadequate; from November
2013 (the single inspection framework, SIF, and from January 2018 ILACS) it is Outstanding /
Good / Requires improvement to be good / Inadequate. A judgement must be on the scale of its
date. Every row of a file is accepted or refused with its line and reason; the counts reconcile.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

#: The day the second scale began (the single inspection framework).
SIF_START = dt.date(2013, 11, 1)
OUTSTANDING, GOOD, ADEQUATE = "outstanding", "good", "adequate"
REQUIRES_IMPROVEMENT, INADEQUATE = "requires_improvement", "inadequate"
LABELS = {
    OUTSTANDING: "Outstanding",
    GOOD: "Good",
    ADEQUATE: "Adequate",
    REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    INADEQUATE: "Inadequate",
}
BEFORE_SIF = (OUTSTANDING, GOOD, ADEQUATE, INADEQUATE)
FROM_SIF = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)
#: How spreadsheets write the judgements (lower case, spaces tidied); grades 1-4 mean the
#: scale's points in order.
_WORDS = {
    "outstanding": OUTSTANDING,
    "good": GOOD,
    "adequate": ADEQUATE,
    "satisfactory": ADEQUATE,
    "requires improvement": REQUIRES_IMPROVEMENT,
    "requires improvement to be good": REQUIRES_IMPROVEMENT,
    "ri": REQUIRES_IMPROVEMENT,
    "inadequate": INADEQUATE,
}
#: The columns accepted (first match wins), as Ofsted's management information names them.
COLUMNS = {
    "council": ("local authority", "local authority name", "la name", "la"),
    "on": ("inspection end date", "inspection date", "publication date", "date"),
    "judgement": ("overall effectiveness", "overall judgement", "judgement"),
    "framework": ("inspection type", "framework", "inspection framework"),
    "published_on": ("publication date", "published"),
}
REQUIRED = ("council", "on", "judgement")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")


def scale(on: dt.date) -> tuple[str, ...]:
    """The four points of the scale in force on `on`, best first."""
    return FROM_SIF if on >= SIF_START else BEFORE_SIF


def framework(on: dt.date) -> str:
    """The inspection framework of a date, when the file does not say."""
    if on >= dt.date(2018, 1, 1):
        return "ILACS"
    return "SIF" if on >= SIF_START else "Before SIF"


def judgement(raw: str, on: dt.date) -> tuple[str, str]:
    """The judgement `raw` means on `on`, and "" - or "" and why it cannot be read."""
    words = " ".join(raw.lower().replace("_", " ").split())
    points = scale(on)
    if words in ("1", "2", "3", "4"):
        return points[int(words) - 1], ""
    found = _WORDS.get(words)
    if found is None:
        return "", f"{raw!r} is not a judgement ({', '.join(LABELS[p] for p in points)})"
    if found not in points:
        era = "from November 2013" if on >= SIF_START else "before November 2013"
        return "", f"{LABELS[found]} is not on the scale {era}"
    return found, ""


@dataclass(frozen=True)
class Row:
    """One judgement read from a file: the council, the date, the judgement and framework."""

    line: int
    council: str
    on: dt.date
    judgement: str
    framework: str
    published_on: dt.date | None = None


@dataclass
class Reading:
    """What a file held: the rows accepted, and those refused with their line and reason."""

    rows: list[Row] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    problem: str = ""
    """Why the whole file cannot be read (no header, a required column missing)."""

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.refused)


def _date(raw: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), pattern).date()  # noqa: DTZ007 - a day
        except ValueError:
            continue
    return None


def _columns(header: list[str]) -> dict[str, int]:
    names = [" ".join(h.lower().replace("\ufeff", "").split()) for h in header]
    found: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names and names.index(alias) not in found.values():
                found[key] = names.index(alias)
                break
    return found


def read(text: str, today: dt.date) -> Reading:
    """Read a CSV of judgements (see `COLUMNS`); every data row accepted or refused (a date
    after `today` is refused)."""
    out = Reading()
    lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        out.problem = "the file is empty"
        return out
    where = _columns(lines[0])
    missing = [k for k in REQUIRED if k not in where]
    if missing:
        wanted = "; ".join(f"{k}: one of {', '.join(COLUMNS[k])}" for k in missing)
        out.problem = f"line 1: the header lacks a column for {wanted}"
        return out
    for number, cells in enumerate(lines[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        row, why = _row(number, cells, where, today)
        if row is None:
            out.refused.append((number, why))
        else:
            out.rows.append(row)
    return out


def _row(
    number: int, cells: list[str], where: dict[str, int], today: dt.date
) -> tuple[Row | None, str]:
    def cell(key: str) -> str:
        i = where.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    council = " ".join(cell("council").split())
    if not council:
        return None, "no local authority"
    on = _date(cell("on"))
    if on is None:
        return None, f"{cell('on')!r} is not a date (like 2013-10-14 or 14/10/2013)"
    if on > today:
        return None, f"{on.isoformat()} is in the future"
    found, why = judgement(cell("judgement"), on)
    if not found:
        return None, why
    published = _date(cell("published_on")) if cell("published_on") else None
    return Row(
        number, council[:120], on, found, cell("framework")[:60] or framework(on), published
    ), ""

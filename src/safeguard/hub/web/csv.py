"""The one CSV writer for everything the hub hands people to open in a spreadsheet (the data
set and each KPI, the Ofsted register, the return home interview and disruption figures, the
Standard Safeguarding Dataset export). A text cell that a spreadsheet would run as a formula -
one beginning with =, +, -, @, a tab or a carriage return - is written with a single quote in
front, so it is shown as the text it is (OWASP's advice on CSV injection). Numbers are written as
they are: a negative figure stays a figure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Protocol

#: What a spreadsheet takes as the start of a formula (or of a cell it then reads as one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Out(Protocol):
    def write(self, text: str, /) -> Any: ...


def cell(value: Any) -> Any:
    """`value` as it is safe to write: a text beginning like a formula gets a quote in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """`csv.writer` with every cell made safe (`cell`)."""

    def __init__(self, out: _Out, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(out, lineterminator=lineterminator)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A header and rows as CSV text, every cell made safe."""
    out = io.StringIO()
    writer = Writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()

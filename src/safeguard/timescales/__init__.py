"""One clock: every statutory and local timescale of the product, run by one rule.

Return home interviews, MASH ratings, referral decisions, assessments and conferences all time
themselves on this package: a catalogue of clocks with their basis (`catalogue`), a working
calendar with England and Wales bank holidays (`calendar`), and one rule written twice, in
Python (`deadline`) and as SQL for DuckDB (`sql`), which a property test keeps in agreement.
Pure: it never imports Django, the hub or the command line.
"""

from __future__ import annotations

from safeguard.timescales.calendar import Calendar
from safeguard.timescales.catalogue import (
    UNITS,
    Clock,
    Timescales,
    TimescalesError,
    Unit,
    load,
    parse,
)
from safeguard.timescales.deadline import Pause, Status, due, local, status

__all__ = [
    "UNITS",
    "Calendar",
    "Clock",
    "Pause",
    "Status",
    "Timescales",
    "TimescalesError",
    "Unit",
    "due",
    "load",
    "local",
    "parse",
    "status",
]

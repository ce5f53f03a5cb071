"""The period a synthetic partnership covers, anchored to a fixed extract date.

The extract date is a constant, not today's date, so that the same arguments always give the same
files whenever and wherever the generator runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: The day every synthetic agency extracts its delivery.
EXTRACT_DATE = dt.date(2026, 10, 31)

DAY = np.timedelta64(1, "D")
SECONDS_PER_DAY = 86_400
YEAR_DAYS = 365.25


@dataclass(frozen=True)
class Period:
    """The `years` up to and including the extract date."""

    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, years: int) -> Period:
        if years < 1:
            raise ValueError("years must be at least 1")
        start = EXTRACT_DATE.replace(year=EXTRACT_DATE.year - years) + dt.timedelta(days=1)
        return cls(start, EXTRACT_DATE)

    @property
    def start64(self) -> np.datetime64:
        return np.datetime64(self.start, "D")

    @property
    def end64(self) -> np.datetime64:
        return np.datetime64(self.end, "D")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def end_seconds(self) -> np.datetime64:
        """The last second of the period, a ceiling for every event time."""
        return np.datetime64(self.end, "s") + np.timedelta64(SECONDS_PER_DAY - 1, "s")

    def clip(self, times: NDArray[Any]) -> NDArray[Any]:
        """Event times held inside the period (NaT stays NaT)."""
        lo = np.datetime64(self.start, "s")
        out = np.where(times < lo, lo, times)
        return np.where(out > self.end_seconds, self.end_seconds, out)


def age_on(dob: NDArray[np.datetime64], when: NDArray[np.datetime64]) -> NDArray[np.float64]:
    """Age in years (fractional) of people born on `dob` at `when`."""
    days = (when.astype("datetime64[D]") - dob.astype("datetime64[D]")).astype(np.int64)
    return np.asarray(days / YEAR_DAYS, dtype=np.float64)

"""Readers for dates, times, yes/no and numbers as agencies write them.

Same promise as `identifiers`: never raise, normalise idempotently. Dates come out as ISO
(`YYYY-MM-DD`, partial `YYYY-MM` or `YYYY`), date-times as `YYYY-MM-DDTHH:MM:SS` in UK local time.
Day-first is assumed for slashed dates (UK practice); two-digit years are refused as ambiguous.
Only ASCII digits are read, so a normalised value is always plain ASCII.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from safeguard.contract.identifiers import Checked

UK = ZoneInfo("Europe/London")
EARLIEST = dt.date(1900, 1, 1)
LONGEST = 64  # no date, time or number we accept is longer; longer text is refused unread

_A = re.ASCII
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", _A)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", _A)
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$", _A)
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}([/.\-])\d{1,2}\1\d{2}$", _A)
_WORDS = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$", _A)
_YEAR = re.compile(r"^(\d{4})$", _A)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", _A)
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/\-](\d{4})$", _A)
_ISO_DATE_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})T(.+)$", _A)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$", _A)
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$", _A)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {n: i for i, n in enumerate(_MONTH_NAMES, start=1)} | {
    n[:3]: i for i, n in enumerate(_MONTH_NAMES, start=1)
}
_MONTHS["sept"] = 9


def _ymd(year: str, month: str | int, day: str) -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if value >= EARLIEST else None


def to_date(raw: str) -> dt.date | None:
    """A full date in any accepted layout, or None."""
    text = raw.strip()
    if len(text) > LONGEST:
        return None
    for pattern, order in ((_ISO, (1, 2, 3)), (_COMPACT, (1, 2, 3)), (_DAY_FIRST, (4, 3, 1))):
        match = pattern.match(text)
        if match:
            return _ymd(*(match.group(i) for i in order))
    match = _WORDS.match(text)
    if match:
        month = _MONTHS.get(match.group(2).lower())
        return _ymd(match.group(3), month, match.group(1)) if month else None
    return None


def _date_problem(text: str, usual: str) -> str:
    """Why `text` is not a date, as specifically as we can say."""
    if _TWO_DIGIT_YEAR.match(text.strip()):
        return "two-digit years are ambiguous; write the year in full (DD/MM/YYYY)"
    return usual


def date(raw: str) -> Checked:
    """A full date, as `YYYY-MM-DD`."""
    value = to_date(raw)
    if value is None:
        return Checked(None, _date_problem(raw, "not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
    return Checked(value.isoformat())


def partial_date(raw: str) -> Checked:
    """A date that may be only a year or a year and month, as dates of birth often are."""
    text = raw.strip()
    full = to_date(text)
    if full is not None:
        return Checked(full.isoformat())
    if _YEAR.match(text) and int(text) >= EARLIEST.year:
        return Checked(text)
    for pattern, (y, m) in ((_YEAR_MONTH, (1, 2)), (_MONTH_YEAR, (2, 1))):
        match = pattern.match(text)
        if match and 1 <= int(match.group(m)) <= 12 and int(match.group(y)) >= EARLIEST.year:
            return Checked(f"{match.group(y)}-{int(match.group(m)):02d}")
    return Checked(None, _date_problem(text, "not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"))


def _zone(code: str) -> dt.tzinfo | None:
    """The fixed zone of a `Z`, `+HH:MM` or `-HHMM` suffix, or None when it is out of range."""
    if code == "Z":
        return dt.UTC
    digits = code[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        return None
    sign = 1 if code[0] == "+" else -1
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _split(text: str) -> tuple[str, str] | None:
    """The date and time parts of `2020-01-02T10:30` or `02/01/2020 10:30`."""
    iso = _ISO_DATE_TIME.match(text)
    if iso:
        return iso.group(1), iso.group(2).strip()
    day, _, time = text.rpartition(" ")
    return (day.strip(), time) if day.strip() else None


def _time(text: str) -> dt.time | None:
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def to_datetime(raw: str) -> dt.datetime | None:
    """A date and time (naive, UK local) in any accepted layout, or None.

    A date alone means midnight. A time with an offset (`Z`, `+01:00`) is converted to UK time.
    """
    text = raw.strip()
    if len(text) > LONGEST:
        return None
    offset = _OFFSET.search(text)
    zone: dt.tzinfo | None = None
    if offset and ("T" in text or " " in text):
        zone = _zone(offset.group(1))
        if zone is None:
            return None
        text = text[: offset.start()].strip()
    whole_day = to_date(text)
    if whole_day is not None:
        return dt.datetime.combine(whole_day, dt.time()) if zone is None else None
    parts = _split(text)
    day, time = (to_date(parts[0]), _time(parts[1])) if parts else (None, None)
    if day is None or time is None:
        return None
    value = dt.datetime.combine(day, time)
    if zone is not None:
        try:
            value = value.replace(tzinfo=zone).astimezone(UK).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return None
    return value if value.date() >= EARLIEST else None


def datetime(raw: str) -> Checked:
    """A date and time, as `YYYY-MM-DDTHH:MM:SS` in UK local time."""
    value = to_datetime(raw)
    if value is None:
        usual = "not a date and time (use YYYY-MM-DDTHH:MM or DD/MM/YYYY HH:MM)"
        return Checked(None, _date_problem(raw.strip().split(" ")[0], usual))
    return Checked(value.isoformat(timespec="seconds"))


_TRUE = {"y", "yes", "true", "t", "1"}
_FALSE = {"n", "no", "false", "f", "0"}


def boolean(raw: str) -> Checked:
    """Yes or no, as `true` or `false`."""
    text = raw.strip().lower()
    if text in _TRUE:
        return Checked("true")
    if text in _FALSE:
        return Checked("false")
    return Checked(None, "not yes or no (use Y or N)")


_INTEGER = re.compile(r"^[+-]?(\d{1,15}|\d{1,3}(,\d{3}){1,4})$", _A)


def integer(raw: str) -> Checked:
    """A whole number, optionally with thousands commas (`1,234`), as plain digits."""
    text = raw.strip()
    if len(text) <= LONGEST and _INTEGER.match(text):
        return Checked(str(int(text.replace(",", ""))))
    return Checked(None, "not a whole number")

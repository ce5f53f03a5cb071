"""The timescales catalogue: every clock the product runs, with its basis, and the calendar.

A catalogue is configuration (TOML), never code. Safeguard ships a default
(`data/timescales.toml`: the statutory timescales of DOMAIN.md and clearly marked local
defaults) and a partnership replaces it with its own (the setting `SAFEGUARD_TIMESCALES`).
Each clock has a plain-English label, an amount and a unit, what starts it, and its basis: the
law, guidance or local decision it comes from, and whether that is local practice. A
partnership's file must keep every clock Safeguard uses (`REQUIRED`) and may add its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

from safeguard.timescales.calendar import WEEKDAYS, Calendar

Unit = Literal["hours", "days", "working_hours", "working_days"]
UNITS: tuple[Unit, ...] = get_args(Unit)
DEFAULT = "timescales.toml"
REQUIRED = (
    "return_home_interview",
    "referral_decision",
    "assessment",
    "initial_child_protection_conference",
    "mash_red",
    "mash_amber",
    "mash_green",
    "strategy_discussion_after_missing",
)
"""The clocks Safeguard itself runs: every catalogue must define them."""


class TimescalesError(ValueError):
    """A timescales catalogue that cannot be used; the message names the clock and field."""


@dataclass(frozen=True)
class Clock:
    """One clock: how long something may take, in what unit, and on what authority."""

    name: str
    label: str
    amount: int
    unit: Unit
    basis: str
    """The legal or local source, in plain English."""
    local: bool
    """Local practice (a partnership's choice) rather than law or statutory guidance."""
    starts: str = ""
    """What starts the clock, in plain English ("the child's return")."""
    calendar: Calendar = field(default_factory=Calendar)

    def describe(self) -> str:
        """The clock in a phrase: "72 hours from the child's return"."""
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.amount} {unit}" + (f" from {self.starts}" if self.starts else "")


@dataclass(frozen=True)
class Timescales:
    """A whole catalogue (see `data/timescales.toml` for the default)."""

    name: str
    version: str
    calendar: Calendar
    clocks: dict[str, Clock]
    source: str = ""

    def clock(self, name: str) -> Clock:
        """The clock called `name`."""
        try:
            return self.clocks[name]
        except KeyError:
            raise KeyError(f"no clock {name!r} in timescales {self.name} {self.version}") from None


_CLOCK_KEYS = {"label", "amount", "unit", "basis", "local", "starts"}
_CALENDAR_KEYS = {"opens", "closes", "days", "closures"}


def load(path: Path | None = None) -> Timescales:
    """The catalogue at `path`, or the default. Raises TimescalesError naming what is wrong."""
    if path is None:
        text = resources.files("safeguard.timescales").joinpath("data", DEFAULT).read_text()
        source = f"safeguard default ({DEFAULT})"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TimescalesError(f"{path}: cannot read the timescales: {exc}") from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TimescalesError(f"{source}: not valid TOML: {exc}") from exc
    return parse(data, source)


def parse(data: dict[str, Any], source: str = "timescales") -> Timescales:
    """A catalogue from its TOML tables, checked: every problem is named with its place."""
    problems: list[str] = []
    for key in ("name", "version"):
        if not isinstance(data.get(key), str) or not data[key]:
            problems.append(f"top level: `{key}` must be text")
    calendar = _calendar(_table(data, "calendar", "top level", problems), problems)
    clocks: dict[str, Clock] = {}
    for name, row in _table(data, "clocks", "top level", problems).items():
        clock = _clock(name, row, calendar, problems)
        if clock is not None:
            clocks[name] = clock
    missing = [n for n in REQUIRED if n not in clocks and n not in data.get("clocks", {})]
    if missing:
        problems.append(f"[clocks]: Safeguard needs the clocks {', '.join(missing)}")
    if problems:
        raise TimescalesError(f"{source}: " + "; ".join(problems))
    return Timescales(str(data["name"]), str(data["version"]), calendar, clocks, source)


def _table(data: dict[str, Any], key: str, where: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"{where}: `{key}` must be a table")
        return {}
    return value


def _clock(name: str, row: Any, calendar: Calendar, problems: list[str]) -> Clock | None:
    where = f"[clocks.{name}]"
    if not isinstance(row, dict):
        problems.append(f"{where}: must be a table")
        return None
    found = len(problems)
    for key in sorted(set(row) - _CLOCK_KEYS):
        problems.append(f"{where}: unexpected field `{key}`")
    amount = row.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        problems.append(f"{where}: `amount` must be a whole number above 0")
    unit = row.get("unit")
    if unit not in UNITS:
        problems.append(f"{where}: `unit` must be one of {', '.join(UNITS)} (not {unit!r})")
    for key in ("label", "basis"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            problems.append(f"{where}: `{key}` must be text" + _WHY.get(key, ""))
    if not isinstance(row.get("local"), bool):
        problems.append(f"{where}: `local` must be true (local practice) or false (law)")
    if not isinstance(row.get("starts", ""), str):
        problems.append(f"{where}: `starts` must be text")
    if len(problems) > found:
        return None
    return Clock(
        name=name,
        label=row["label"],
        amount=cast(int, amount),
        unit=cast(Unit, unit),
        basis=row["basis"].strip(),
        local=row["local"],
        starts=row.get("starts", ""),
        calendar=calendar,
    )


_WHY = {"basis": " saying where the timescale comes from (the law, guidance or local decision)"}


def _calendar(raw: dict[str, Any], problems: list[str]) -> Calendar:
    where = "[calendar]"
    default = Calendar()
    for key in sorted(set(raw) - _CALENDAR_KEYS):
        problems.append(f"{where}: unexpected field `{key}`")
    opens = _time(raw.get("opens", default.opens), "opens", problems)
    closes = _time(raw.get("closes", default.closes), "closes", problems)
    if opens and closes and closes <= opens:
        problems.append(f"{where}: `closes` ({closes:%H:%M}) must be after `opens`")
    names = raw.get("days", [WEEKDAYS[d] for d in sorted(default.days)])
    if not isinstance(names, list) or not names or not set(names) <= set(WEEKDAYS):
        problems.append(f"{where}: `days` must list office days by name ({', '.join(WEEKDAYS)})")
        names = []
    closures = set()
    for value in raw.get("closures", []):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            closures.add(value)
        else:
            try:
                closures.add(dt.date.fromisoformat(str(value)))
            except ValueError:
                problems.append(f"{where}: closure {value!r} must be a date (YYYY-MM-DD)")
    return Calendar(
        opens=opens or default.opens,
        closes=closes or default.closes,
        days=frozenset(WEEKDAYS.index(n) for n in names) or default.days,
        closures=frozenset(closures),
    )


def _time(value: Any, key: str, problems: list[str]) -> dt.time | None:
    """A time of day from TOML: a local time (09:00:00) or text ("09:00")."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.time.fromisoformat(value)
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    problems.append(f"[calendar]: `{key}` must be a time of day as HH:MM (not {value!r})")
    return None

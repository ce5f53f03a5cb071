"""The retention schedule: how long the hub keeps each type of record, and why
(`data/retention.toml`, configuration), and the one rule that says whether a record is past
it. Pure: no Django; the hub's retention job (`safeguard.hub.subjects.retention`) applies it.

A record is past retention when both have passed: the child's `until_age` birthday and
`years_after` years since the record's last activity. A rule with an age needs the date of
birth; without one the record is kept (the rule cannot be shown to have passed)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT = Path(__file__).with_name("data") / "retention.toml"


class ScheduleError(ValueError):
    """A schedule file that cannot be used; the message names each problem."""


@dataclass(frozen=True)
class Rule:
    until_age: int | None
    years_after: int
    basis: str

    def expires(self, last: dt.date, born: dt.date | None) -> dt.date | None:
        """The first day the record is past retention; None when it cannot be told (an age
        rule and no date of birth)."""
        after = _add_years(last, self.years_after)
        if self.until_age is None:
            return after
        if born is None:
            return None
        return max(after, _add_years(born, self.until_age))

    def years_alone(self) -> Rule:
        """The rule without its age: for a record no one child's birthday governs."""
        return Rule(None, self.years_after, self.basis)

    def past(self, today: dt.date, last: dt.date, born: dt.date | None) -> bool:
        ends = self.expires(last, born)
        return ends is not None and today >= ends


@dataclass(frozen=True)
class Schedule:
    name: str
    version: str
    types: dict[str, Rule]
    agencies: dict[str, dict[str, Rule]] = field(default_factory=dict)

    def rule(self, kind: str, agency: str = "") -> Rule | None:
        """The rule for a record type (as `agency` keeps it); None: no rule, kept."""
        return self.agencies.get(agency, {}).get(kind) or self.types.get(kind)


def load(path: Path | None = None) -> Schedule:
    """The schedule at `path`, or the default; every problem found is named."""
    source = path or DEFAULT
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(f"{source}: {exc}") from None
    problems: list[str] = []
    types = _rules(raw.get("type", {}), "type", problems)
    agencies = {
        code: _rules(table, f"agency.{code}", problems)
        for code, table in dict(raw.get("agency", {})).items()
    }
    if not types:
        problems.append("no [type.<record type>] rules")
    if problems:
        raise ScheduleError(f"{source}: " + "; ".join(problems))
    return Schedule(str(raw.get("name", source.name)), str(raw.get("version", "")), types, agencies)


def _rules(table: object, where: str, problems: list[str]) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    if not isinstance(table, dict):
        problems.append(f"{where} is not a table")
        return out
    for kind, spec in table.items():
        at = f"{where}.{kind}"
        if not isinstance(spec, dict):
            problems.append(f"{at} is not a table")
            continue
        age, years, basis = spec.get("until_age"), spec.get("years_after", 0), spec.get("basis")
        if age is not None and (not isinstance(age, int) or not 0 < age <= 120):
            problems.append(f"{at}.until_age must be a whole number of years, 1 to 120")
        elif not isinstance(years, int) or not 0 <= years <= 120:
            problems.append(f"{at}.years_after must be a whole number of years, 0 to 120")
        elif not isinstance(basis, str) or not basis.strip():
            problems.append(f"{at}.basis must say why (the source, or 'partnership decision')")
        else:
            out[kind] = Rule(age, years, basis)
    return out


def born_on(value: str) -> dt.date | None:
    """A date of birth as the contract keeps it (full, or partial: a year or a year and
    month), read as its latest possible day so a partial date never ends retention early."""
    text = (value or "").strip()[:10]
    try:
        if len(text) == 4:
            return dt.date(int(text), 12, 31)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)

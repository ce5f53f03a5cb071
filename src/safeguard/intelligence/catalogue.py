"""The screening catalogue: which indicators count, at what level, for how long, and the bands.

A catalogue is configuration (TOML), never code: Safeguard ships a default modelled on the
published UK tools (`data/catalogue.toml`), and a partnership replaces it with its own. Each
indicator names the `rule` that recognises it in agency records (`indicators.RULES`) and that
rule's parameters. Every assessment records the catalogue's name and version.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from safeguard.intelligence.missing import MissingRules
from safeguard.intelligence.text import Reading

Level = Literal["vulnerability", "moderate", "significant", "disclosure"]
LEVELS: tuple[Level, ...] = ("vulnerability", "moderate", "significant", "disclosure")
DEFAULT = "catalogue.toml"


class CatalogueError(ValueError):
    """A catalogue that cannot be used; the message says what is wrong and where."""


@dataclass(frozen=True)
class Indicator:
    """One indicator: its code, level, label, and the rule (with parameters) that finds it."""

    code: str
    level: Level
    label: str
    rule: str
    params: dict[str, Any] = field(default_factory=dict)
    specific: bool = False
    """Specific to exploitation (not only a sign of vulnerability or of other harm)."""


@dataclass(frozen=True)
class Band:
    name: str
    start: int


@dataclass(frozen=True)
class Overrides:
    disclosure_band: str
    floor_under_age: int
    floor_vulnerabilities: tuple[str, ...]
    floor_band: str
    referral_age: int
    referral_band: str
    needs_specific: bool = False
    """A child is at risk only with at least one specific indicator (or a disclosure)."""


@dataclass(frozen=True)
class Catalogue:
    """A whole screening catalogue (see `data/catalogue.toml` for the default)."""

    name: str
    version: str
    minimum_age: int
    maximum_age: int
    scores: dict[str, int]
    windows: dict[str, int]
    bands: tuple[Band, ...]
    overrides: Overrides
    indicators: tuple[Indicator, ...]
    source: str = ""
    missing: MissingRules = field(default_factory=MissingRules)
    reading: Reading = field(default_factory=Reading)
    """How free text is read (`[text]`)."""

    def band_for(self, score: int) -> str:
        """The band a score falls in."""
        found = self.bands[0].name
        for band in self.bands:
            if score >= band.start:
                found = band.name
        return found

    def rank(self, band: str) -> int:
        """A band's position, lowest first."""
        return [b.name for b in self.bands].index(band)

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(f"no indicator {code!r} in catalogue {self.name} {self.version}")


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    list: "a list",
    dict: "a table",
    bool: "true or false",
}
_INDICATOR_KEYS = {"code", "level", "label", "rule", "specific"}


def load(path: Path | None = None) -> Catalogue:
    """The catalogue at `path`, or the default. Raises CatalogueError naming what is wrong."""
    if path is None:
        text = resources.files("safeguard.intelligence").joinpath("data", DEFAULT).read_text()
        source = f"safeguard default ({DEFAULT})"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogueError(f"{path}: cannot read the catalogue: {exc}") from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: not valid TOML: {exc}") from exc
    return parse(data, source)


def parse(data: dict[str, Any], source: str = "catalogue") -> Catalogue:
    """A catalogue from its TOML tables, checked: every problem is named with its place."""
    from safeguard.intelligence.indicators import RULES

    problems: list[str] = []

    def need(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
        value = table.get(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            problems.append(f"{where}: `{key}` must be {_KIND_NAMES[kind]}")
            return kind()
        return value

    name = need(data, "name", str, "top level")
    version = need(data, "version", str, "top level")
    scores = need(data, "scores", dict, "top level")
    windows = need(data, "windows", dict, "top level")
    for key in ("vulnerability", "moderate", "significant_recent", "significant_older"):
        need(scores, key, int, "[scores]")
    for key in ("moderate", "significant_recent", "significant_older"):
        need(windows, key, int, "[windows]")
    bands = []
    for i, row in enumerate(need(data, "bands", list, "top level")):
        where = f"[[bands]] #{i + 1}"
        bands.append(Band(need(row, "name", str, where), need(row, "from", int, where)))
    if bands and [b.start for b in bands] != sorted(b.start for b in bands):
        problems.append("[[bands]]: bands must be listed from the lowest score up")
    names = {b.name for b in bands}
    raw = need(data, "overrides", dict, "top level")
    overrides = Overrides(
        disclosure_band=need(raw, "disclosure_band", str, "[overrides]"),
        floor_under_age=need(raw, "floor_under_age", int, "[overrides]"),
        floor_vulnerabilities=tuple(need(raw, "floor_vulnerabilities", list, "[overrides]")),
        floor_band=need(raw, "floor_band", str, "[overrides]"),
        referral_age=need(raw, "referral_age", int, "[overrides]"),
        referral_band=need(raw, "referral_band", str, "[overrides]"),
        needs_specific=bool(raw.get("at_risk_needs_specific", False)),
    )
    for key in ("disclosure_band", "floor_band", "referral_band"):
        value = getattr(overrides, key)
        if names and value and value not in names:
            problems.append(f"[overrides]: `{key}` {value!r} is not a band ({', '.join(names)})")
    indicators = []
    codes: set[str] = set()
    for i, row in enumerate(need(data, "indicators", list, "top level")):
        where = f"[[indicators]] #{i + 1} ({row.get('code', 'no code')})"
        code = need(row, "code", str, where)
        level = need(row, "level", str, where)
        rule = need(row, "rule", str, where)
        if level and level not in LEVELS:
            problems.append(f"{where}: `level` must be one of {', '.join(LEVELS)}")
        if code in codes:
            problems.append(f"{where}: code {code!r} is used twice")
        codes.add(code)
        params = {k: v for k, v in row.items() if k not in _INDICATOR_KEYS}
        if rule and rule not in RULES:
            problems.append(f"{where}: no rule {rule!r} (rules: {', '.join(sorted(RULES))})")
        elif rule:
            problems.extend(f"{where}: {p}" for p in RULES[rule].check(params))
        specific = row.get("specific", False)
        if not isinstance(specific, bool):
            problems.append(f"{where}: `specific` must be true or false")
        label = str(row.get("label", code))
        indicators.append(Indicator(code, level, label, rule, params, specific is True))
    for code in overrides.floor_vulnerabilities:
        if code not in codes:
            problems.append(f"[overrides]: floor vulnerability {code!r} is not an indicator")
    rules = MissingRules()
    for key, value in data.get("missing", {}).items():
        if key == "rhi_hours":
            problems.append(
                "[missing]: `rhi_hours` has moved to the timescales catalogue (the clock "
                "`return_home_interview`, see docs/timescales.md)"
            )
        elif key not in MissingRules.__dataclass_fields__:
            problems.append(f"[missing]: unknown setting `{key}`")
        elif not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            problems.append(f"[missing]: `{key}` must be a whole number above 0")
        else:
            rules = replace(rules, **{key: value})
    reading = _reading(data.get("text", {}), problems)
    if problems:
        raise CatalogueError(f"{source}: " + "; ".join(problems))
    return Catalogue(
        name=name,
        version=version,
        minimum_age=int(data.get("minimum_age", 10)),
        maximum_age=int(data.get("maximum_age", 17)),
        scores=scores,
        windows=windows,
        bands=tuple(bands),
        overrides=overrides,
        indicators=tuple(indicators),
        source=source,
        missing=rules,
        reading=reading,
    )


_TEXT_LISTS = (
    "negation",
    "after_negation",
    "hedging",
    "explained",
    "companions",
    "companion_acts",
    "reporting",
    "breaks",
)


def _reading(table: Any, problems: list[str]) -> Reading:
    """The `[text]` table, checked (problems appended)."""
    from safeguard.intelligence import text

    if not isinstance(table, dict):
        problems.append("[text] must be a table")
        return Reading()
    unknown = set(table) - {*_TEXT_LISTS, "fields", "negation_window", "hedged_levels"}
    problems.extend(f"[text]: unknown setting `{k}`" for k in sorted(unknown))
    lists: dict[str, tuple[str, ...]] = {}
    for key in _TEXT_LISTS:
        if key in table:
            problems.extend(text.problems(table[key], f"[text]: `{key}`"))
            lists[key] = tuple(table[key]) if isinstance(table[key], list) else ()
    fields = table.get("fields", [])
    problems.extend(text.field_problems(fields))
    window = table.get("negation_window", 5)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 20:
        problems.append("[text]: `negation_window` must be a whole number from 0 to 20")
        window = 5
    hedged = table.get("hedged_levels", text.HEDGED_LEVELS)
    if not isinstance(hedged, dict) or not all(
        k in LEVELS and v in LEVELS for k, v in hedged.items()
    ):
        problems.append(f"[text]: `hedged_levels` maps a level to a level ({', '.join(LEVELS)})")
        hedged = dict(text.HEDGED_LEVELS)
    return Reading(
        fields=tuple(fields) if isinstance(fields, list) else (),
        negation_window=window,
        hedged_levels=dict(hedged),
        **lists,
    )

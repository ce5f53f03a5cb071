"""The partnership's data set: what each KPI means, as people read it beside the figure.

A catalogue of KPI definitions is configuration (TOML), never code. Safeguard ships a default
(`data/kpis.toml`) and a partnership replaces it with its own to reword a definition or set a
local target; the figures themselves are computed by the hub
(`safeguard.hub.governance.kpis`), which refuses a catalogue that lacks a KPI it computes or
names one it does not. A file with any problem is refused whole, every problem named with its
place. Pure: no Django.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

Unit = Literal["count", "percent"]
UNITS: tuple[Unit, ...] = get_args(Unit)
DEFAULT = "kpis.toml"
_TOP = {"name", "version", "suppress_below", "delivery_every_days", "kpis"}
_TEXT = ("title", "definition", "numerator", "source")
_FIELDS = {
    *_TEXT,
    "unit",
    "denominator",
    "by_area",
    "breakdown",
    "snapshot",
    "target",
    "target_basis",
}


class KpiCatalogueError(ValueError):
    """A KPI catalogue that cannot be used; the message names every problem and its place."""


@dataclass(frozen=True)
class Definition:
    """One KPI as the page and the pack describe it."""

    id: str
    title: str
    definition: str
    unit: Unit
    numerator: str
    denominator: str
    source: str
    by_area: bool = True
    """False: one figure for the partnership (its records carry no council area)."""
    breakdown: str = ""
    """What the KPI's categories are ("level", "type", "stage"); "" for a single line."""
    snapshot: bool = False
    """The hub keeps no history: only the assessment date's month has a figure."""
    target: float | None = None
    target_basis: str = ""

    @property
    def percent(self) -> bool:
        return self.unit == "percent"


@dataclass(frozen=True)
class Catalogue:
    name: str
    version: str
    suppress_below: int
    delivery_every_days: int
    kpis: dict[str, Definition]
    source: str = ""

    def __getitem__(self, kpi: str) -> Definition:
        return self.kpis[kpi]


def load(path: Path | None = None) -> Catalogue:
    """The catalogue at `path`, or the default shipped with Safeguard."""
    if path is None:
        text = resources.files("safeguard.governance").joinpath("data", DEFAULT).read_text("utf-8")
        source = f"safeguard default ({DEFAULT})"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KpiCatalogueError(f"{path}: cannot read the KPI catalogue: {exc}") from exc
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KpiCatalogueError(f"{source}: not valid TOML: {exc}") from exc
    return parse(data, source)


def parse(data: dict[str, Any], source: str = "kpis") -> Catalogue:
    """A catalogue from its TOML tables, checked whole."""
    problems = [f"top level: unexpected field `{k}`" for k in sorted(set(data) - _TOP)]
    for key in ("name", "version"):
        if not isinstance(data.get(key), str) or not data[key]:
            problems.append(f"top level: `{key}` must be text")
    numbers = {k: data.get(k) for k in ("suppress_below", "delivery_every_days")}
    for key, value in numbers.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"top level: `{key}` must be a whole number above 0")
    table = data.get("kpis")
    if not isinstance(table, dict) or not table:
        problems.append("top level: `kpis` must be a table of KPIs")
        table = {}
    kpis = {}
    for kpi, row in table.items():
        found = _definition(kpi, row, problems)
        if found is not None:
            kpis[kpi] = found
    if problems:
        raise KpiCatalogueError(f"{source}: " + "; ".join(problems))
    return Catalogue(
        name=data["name"],
        version=data["version"],
        suppress_below=cast(int, numbers["suppress_below"]),
        delivery_every_days=cast(int, numbers["delivery_every_days"]),
        kpis=kpis,
        source=source,
    )


def _definition(kpi: str, row: Any, problems: list[str]) -> Definition | None:
    where = f"[kpis.{kpi}]"
    if not isinstance(row, dict):
        problems.append(f"{where}: must be a table")
        return None
    before = len(problems)
    problems.extend(f"{where}: unexpected field `{k}`" for k in sorted(set(row) - _FIELDS))
    for key in _TEXT:
        if not isinstance(row.get(key), str) or not row[key].strip():
            problems.append(f"{where}: `{key}` must be text")
    for key in ("denominator", "breakdown", "target_basis"):
        if not isinstance(row.get(key, ""), str):
            problems.append(f"{where}: `{key}` must be text")
    if row.get("unit") not in UNITS:
        problems.append(f"{where}: `unit` must be one of {', '.join(UNITS)}")
    elif row["unit"] == "percent" and not str(row.get("denominator", "")).strip():
        problems.append(f"{where}: a percent needs its `denominator` in words")
    for key in ("by_area", "snapshot"):
        if not isinstance(row.get(key, False), bool):
            problems.append(f"{where}: `{key}` must be true or false")
    target = row.get("target")
    if target is not None:
        if not isinstance(target, int | float) or isinstance(target, bool):
            problems.append(f"{where}: `target` must be a number")
        elif not str(row.get("target_basis", "")).strip():
            problems.append(f"{where}: a `target` needs its `target_basis` (where it comes from)")
    if len(problems) > before:
        return None
    return Definition(
        id=kpi,
        title=row["title"].strip(),
        definition=" ".join(row["definition"].split()),
        unit=row["unit"],
        numerator=row["numerator"].strip(),
        denominator=row.get("denominator", "").strip(),
        source=row["source"].strip(),
        by_area=row.get("by_area", True),
        breakdown=row.get("breakdown", ""),
        snapshot=row.get("snapshot", False),
        target=float(target) if target is not None else None,
        target_basis=" ".join(str(row.get("target_basis", "")).split()),
    )

"""The partnership's data set: every KPI of the catalogue (`safeguard.governance.kpis`)
computed from the hub's own records, per council area and calendar month, as typed tables.

The one entry point for pages, the meeting pack and the command line:
- `compute(kpi, as_of, months=12, suppress_small=False)`: one KPI's `Table` over the `months`
  calendar months ending with `as_of`'s (the trend of the last N months is `months=N`);
- `data_set(as_of, months=12, suppress_small=False)`: every KPI, in the catalogue's order;
- `trend(kpi, as_of, months=12, area=ALL, category="")`: the value month by month for one
  area and category over the last N months (`Table.trend` of a table already computed);
- `to_csv(table)`: a table as CSV text.
`suppress_small=True` (what is published) replaces counts from 1 to 4 by `SUPPRESSED`.

Every figure comes from grouped queries in the database (a few per KPI, none per row); the
clocks (1 working day, 72 hours) are the hub's one clock, as stored on each record when it
started. docs/governance-kpis.md defines each KPI, its records and caveats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from safeguard.governance.kpis import Catalogue, Definition, KpiCatalogueError, load
from safeguard.hub.governance.kpis import front_door, intelligence, missing, partnership
from safeguard.hub.governance.kpis.grouping import Window
from safeguard.hub.governance.kpis.table import (
    ALL,
    SUPPRESSED,
    UNKNOWN,
    Row,
    Table,
    Tally,
    area_label,
    build,
    last_months,
    suppress,
    to_csv,
)

__all__ = [
    "ALL",
    "KPIS",
    "SUPPRESSED",
    "UNKNOWN",
    "Catalogue",
    "Definition",
    "Row",
    "Table",
    "area_label",
    "catalogue",
    "compute",
    "data_set",
    "last_months",
    "suppress",
    "to_csv",
    "trend",
]


@dataclass(frozen=True)
class Kpi:
    """How the hub computes one KPI, and the categories its rows split into."""

    count: Callable[[Window, Catalogue], list[Tally]]
    categories: Callable[[], list[tuple[str, str]]] = lambda: [("", "")]


def _plain(count: Callable[[Window], list[Tally]]) -> Callable[[Window, Catalogue], list[Tally]]:
    return lambda window, _: count(window)


def _levels() -> list[tuple[str, str]]:
    from safeguard.intelligence.catalogue import load as load_screening
    from safeguard.settings import get_settings

    bands = load_screening(get_settings().screening_catalogue).bands
    return [(b.name, b.name.replace("_", " ").capitalize()) for b in bands]


def _stages() -> list[tuple[str, str]]:
    from safeguard.hub.intelligence.models import Finding

    words = {"open": "Opened again", "under_investigation": "Under investigation"}
    given = [(s.value, words.get(s.value, str(s.label).capitalize())) for s in Finding.Status]
    return [(intelligence.OPENED, "Opened (first found)"), *given]


def _kinds() -> list[tuple[str, str]]:
    from safeguard.hub.mace.queries.agenda import rules

    return [(code, d.label) for code, d in rules().disruptions.items()]


KPIS: dict[str, Kpi] = {
    "contacts": Kpi(_plain(front_door.contacts)),
    "contacts_to_referral": Kpi(_plain(front_door.contacts_to_referral)),
    "decided_in_time": Kpi(_plain(front_door.decided_in_time)),
    "re_referrals": Kpi(_plain(front_door.re_referrals)),
    "rhi_offered": Kpi(_plain(missing.rhi_offered)),
    "rhi_accepted": Kpi(_plain(missing.rhi_accepted)),
    "rhi_in_time": Kpi(_plain(missing.rhi_in_time)),
    "repeat_missing": Kpi(_plain(missing.repeat_missing)),
    "children_by_level": Kpi(_plain(intelligence.children_by_level), _levels),
    "screenings_decided": Kpi(_plain(intelligence.screenings_decided)),
    "findings": Kpi(_plain(intelligence.findings), _stages),
    "disruption": Kpi(_plain(partnership.disruption), _kinds),
    "homes_spoc": Kpi(_plain(partnership.homes_spoc)),
    "quarantined_rows": Kpi(_plain(partnership.quarantined_rows)),
    "links_awaiting_review": Kpi(_plain(partnership.links_awaiting_review)),
    "deliveries_overdue": Kpi(
        lambda window, c: partnership.deliveries_overdue(window, c.delivery_every_days)
    ),
}
"""Every KPI the hub computes, by the catalogue's id."""


@lru_cache(maxsize=4)
def catalogue(path: Path | None = None) -> Catalogue:
    """The KPI definitions (the default, or a partnership's file), checked against what the
    hub computes: the same KPIs, none missing, none extra."""
    found = load(path)
    missing_ = sorted(set(KPIS) - set(found.kpis))
    extra = sorted(set(found.kpis) - set(KPIS))
    problems = [f"lacks {', '.join(missing_)}"] * bool(missing_) + [
        f"names KPIs the hub does not compute: {', '.join(extra)}"
    ] * bool(extra)
    if problems:
        raise KpiCatalogueError(f"{found.source}: " + "; ".join(problems))
    return found


def compute(
    kpi: str,
    as_of: dt.date,
    months: int = 12,
    suppress_small: bool = False,
    definitions: Catalogue | None = None,
) -> Table:
    """One KPI's table over the `months` calendar months ending with `as_of`'s (nothing after
    `as_of` counts), each month with a row per council area, category and "all areas";
    counts under the catalogue's `suppress_below` replaced by SUPPRESSED when
    `suppress_small` (anything published)."""
    if months < 1:
        raise ValueError("months must be 1 or more")
    found = definitions or catalogue()
    how = KPIS[kpi]
    window = Window.ending(as_of, months)
    categories = how.categories()
    table = build(
        found[kpi],
        how.count(window, found),
        window.months,
        [code for code, _ in categories],
        dict(categories),
    )
    return suppress(table, found.suppress_below) if suppress_small else table


def data_set(
    as_of: dt.date,
    months: int = 12,
    suppress_small: bool = False,
    definitions: Catalogue | None = None,
) -> list[Table]:
    """Every KPI's table (see `compute`), in the catalogue's order."""
    found = definitions or catalogue()
    return [compute(k, as_of, months, suppress_small, found) for k in found.kpis]


def trend(
    kpi: str,
    as_of: dt.date,
    months: int = 12,
    area: str = ALL,
    category: str = "",
    suppress_small: bool = False,
) -> list[tuple[dt.date, float | None]]:
    """The value of `kpi` for `area` and `category` in each of the `months` months ending with
    `as_of`'s (None where there is none, or it is suppressed)."""
    return compute(kpi, as_of, months, suppress_small).trend(area, category)

"""Looked-after children's time in care: when it starts and ends, and the placements in between
(foster care, children's homes, semi-independent, kinship), as councils record them.

The share of placements in children's homes (about one in six) and the older age of children in
homes follow the DfE looked-after children statistics; these placements decide who lives in which
home, and so what the homes deliver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from safeguard.synthetic.period import YEAR_DAYS, Period
from safeguard.synthetic.places import Gazetteer
from safeguard.synthetic.population import Population, build_children
from safeguard.synthetic.types import Array, Ints

PLACEMENT_MIX = (
    ("foster_care", 0.68),
    ("childrens_home", 0.16),
    ("semi_independent", 0.08),
    ("kinship", 0.06),
    ("other", 0.02),
)


@dataclass
class Care:
    """One row per placement."""

    child: Ints
    type: Array
    home: Ints
    start: Array
    end: Array

    def in_home(self, home: int) -> Ints:
        return np.flatnonzero(self.home == home)

    def home_at(self, child: Ints, when: Array) -> Ints:
        """The home each child lived in at `when` (-1 when not in a children's home)."""
        out = np.full(len(child), -1, dtype=np.int64)
        rows = np.flatnonzero(self.home >= 0)
        day = when.astype("datetime64[D]")
        by_child: dict[int, list[int]] = {}
        for r in rows.tolist():
            by_child.setdefault(int(self.child[r]), []).append(r)
        for i in np.flatnonzero(np.isin(child, self.child[rows])).tolist():
            for r in by_child[int(child[i])]:
                end = self.end[r]
                if day[i] >= self.start[r] and (np.isnat(end) or day[i] <= end):
                    out[i] = self.home[r]
        return out


def add_out_of_area(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, period: Period, n: int
) -> None:
    """Children placed in the partnership's homes by councils elsewhere (common in practice).

    Their own council is `out_of_area`, so no Cheshire council delivers them; the police, the
    homes, the NHS and schools do."""
    block = build_children(rng, gaz, period, n)
    home = rng.integers(0, len(gaz.home_id), n)
    mid = period.start64 + period.days // 2
    block["dob"] = mid - (rng.uniform(11.5, 16.0, n) * YEAR_DAYS).astype(np.int64)
    block["household"] = block["household"] + int(pop["household"].max()) + 1
    block["council"] = np.full(n, "out_of_area")
    block["address"], block["town"] = gaz.home_address[home], gaz.home_town[home]
    block["postcode"] = gaz.home_postcode[home]
    for key in ("prev_address", "prev_town", "prev_postcode"):
        block[key] = np.full(n, "")
    block["looked_after"] = np.ones(n, dtype=bool)
    block["child_in_need"] = np.ones(n, dtype=bool)
    block["vulnerability"] = block["vulnerability"] + 2.0
    block["out_of_area"] = np.ones(n, dtype=bool)
    pop.extend(block.cols)


def place_children(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, period: Period
) -> Care:
    """Care spells and placements for every looked-after child."""
    lac = np.flatnonzero(pop["looked_after"])
    away = pop["out_of_area"][lac]
    n = len(lac)
    dob = pop["dob"][lac].astype("datetime64[D]")
    adult = dob + int(18 * YEAR_DAYS)
    lo = period.start64 - int(2 * YEAR_DAYS)
    start = lo + rng.integers(0, (period.end64 - lo).astype(np.int64) - 60, n)
    start = np.clip(start, dob + 30, adult - 90)
    end = start + rng.exponential(2.5 * YEAR_DAYS, n).astype(np.int64) + 60
    end = np.maximum(end, period.start64 + 30)
    end = np.minimum(end, adult)
    ongoing = end > period.end64
    age_at_start = (start - dob).astype(np.int64) / YEAR_DAYS
    rows: dict[str, list[object]] = {k: [] for k in ("child", "type", "home", "start", "end")}
    types = np.array([t for t, _ in PLACEMENT_MIX])
    weights = np.array([w for _, w in PLACEMENT_MIX])
    counts = 1 + rng.binomial(3, 0.35, n)
    for i in range(n):
        cuts = np.sort(
            rng.integers(0, max(1, int((end[i] - start[i]).astype(np.int64))), counts[i] - 1)
        )
        bounds = [start[i], *(start[i] + cuts), end[i]]
        for j in range(counts[i]):
            age = age_at_start[i] + (bounds[j] - start[i]).astype(np.int64) / YEAR_DAYS
            w = weights * np.array(
                [1.0, 2.5 if age >= 11 else 0.3, 1.0 if age >= 16 else 0.0, 1.0, 1.0]
            )
            kind = "childrens_home" if away[i] else str(rng.choice(types, p=w / w.sum()))
            home = int(rng.integers(len(gaz.home_id))) if kind == "childrens_home" else -1
            rows["child"].append(int(lac[i]))
            rows["type"].append(kind)
            rows["home"].append(home)
            rows["start"].append(bounds[j])
            last = j == counts[i] - 1
            rows["end"].append(np.datetime64("NaT") if last and ongoing[i] else bounds[j + 1])
    care = Care(
        np.array(rows["child"], dtype=np.int64),
        np.array(rows["type"], dtype=str),
        np.array(rows["home"], dtype=np.int64),
        np.array(rows["start"], dtype="datetime64[D]"),
        np.array(rows["end"], dtype="datetime64[D]"),
    )
    care_start, care_end = _spells(
        len(pop), lac, start, np.where(ongoing, np.datetime64("NaT"), end)
    )
    pop["care_start"], pop["care_end"] = care_start, care_end
    last_home = pop["home"].copy()
    has_home = care.home >= 0
    last_home[care.child[has_home]] = care.home[has_home]
    pop["home"] = last_home
    return care


def _spells(n: int, lac: Ints, start: Array, end: Array) -> tuple[Array, Array]:
    care_start = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    care_end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    care_start[lac], care_end[lac] = start, end
    return care_start, care_end


def in_care(pop: Population, child: Ints, lo: Array, hi: Array) -> Array:
    """True where the child was looked after at some time between `lo` and `hi` (days)."""
    start, end = pop["care_start"][child], pop["care_end"][child]
    return ~np.isnat(start) & (start <= hi) & (np.isnat(end) | (end >= lo))

"""The true population: children in households with their parents, as columns of numpy arrays.

Everything is drawn in bulk (one array operation per attribute), so 100,000 children take well under
a second or two. Adults in other roles (offenders, staff, drivers, perpetrators) are appended by
`adults.add_adults`. Agencies never see this table directly; `noise` makes their views of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from safeguard.synthetic.names import draw_forenames
from safeguard.synthetic.period import YEAR_DAYS, Period
from safeguard.synthetic.places import COUNCILS, Gazetteer
from safeguard.synthetic.types import Array, Ints

ETHNICITY = (
    ("white", 0.905),
    ("mixed", 0.035),
    ("asian", 0.035),
    ("black", 0.013),
    ("other", 0.012),
)
HOUSEHOLD_SIZES = (0.42, 0.40, 0.13, 0.05)
LOOKED_AFTER_SHARE = 0.007
#: Household circumstances (share of households) that raise a child's vulnerability.
HOUSEHOLD_FLAGS = (
    ("domestic_abuse_at_home", 0.07),
    ("parental_substance_misuse", 0.04),
    ("neglect", 0.03),
)
CHILD_FLAGS = (
    ("learning_disability", 0.025),
    ("special_educational_needs", 0.12),
    ("young_carer", 0.015),
)
FLAG_COLUMNS = (
    "domestic_abuse_at_home",
    "parental_substance_misuse",
    "neglect",
    "learning_disability",
    "special_educational_needs",
    "young_carer",
    "child_in_need",
    "child_protection_plan",
    "looked_after",
    "known_offender",
    "registered_sex_offender",
    "staff_member",
)
EMAIL_DOMAINS = np.array(
    ["gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "icloud.com", "btinternet.com"]
)


@dataclass
class Population:
    """Columns of the true population, one row per person; row number is the person's index."""

    cols: dict[str, Array] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cols["forename"])

    def __getitem__(self, name: str) -> Array:
        return self.cols[name]

    def __setitem__(self, name: str, values: Array) -> None:
        self.cols[name] = values

    def extend(self, block: dict[str, Array]) -> Ints:
        """Append people (missing columns get empty defaults); returns their indices."""
        n0, n = len(self), len(next(iter(block.values())))
        for key, old in self.cols.items():
            new = block.get(key)
            if new is None:
                new = _blank(old, n)
            new = np.asarray(new)
            if old.dtype.kind == "U":
                self.cols[key] = np.concatenate([old, new.astype(str)])
            else:
                self.cols[key] = np.concatenate([old, new.astype(old.dtype, copy=False)])
        return np.arange(n0, n0 + n, dtype=np.int64)

    def person_ids(self) -> Array:
        """True person ids (`T0000042`), by index."""
        return np.array([f"T{i:07d}" for i in range(len(self))], dtype=str)


def join_flags(columns: list[Array], names: tuple[str, ...]) -> Array:
    """`;`-joined names of the true flags per row, computed once per distinct combination."""
    n = len(columns[0]) if columns else 0
    if not names:
        return np.full(n, "", dtype=str)
    matrix = np.stack([np.asarray(c, dtype=bool) for c in columns], axis=1)
    combos, inverse = np.unique(matrix, axis=0, return_inverse=True)
    text = np.array(
        [";".join(f for f, on in zip(names, row, strict=True) if on) for row in combos.tolist()],
        dtype=str,
    )
    return text[inverse.reshape(-1)]


def _blank(like: Array, n: int) -> Array:
    if like.dtype == bool:
        return np.zeros(n, dtype=bool)
    if np.issubdtype(like.dtype, np.datetime64):
        return np.full(n, np.datetime64("NaT"), dtype=like.dtype)
    if np.issubdtype(like.dtype, np.integer):
        return np.full(n, -1, dtype=like.dtype)
    if np.issubdtype(like.dtype, np.floating):
        return np.zeros(n, dtype=like.dtype)
    return np.full(n, "", dtype=like.dtype)


def heritage(rng: np.random.Generator, ethnicity: Array) -> tuple[Array, Array]:
    """Forename and surname pool groups for each person's ethnic group."""
    u = rng.random(len(ethnicity))
    fore = np.select(
        [
            ethnicity == "asian",
            ethnicity == "black",
            (ethnicity == "mixed") & (u < 0.4),
            (ethnicity == "white") & (u < 0.05),
            (ethnicity == "other") & (u < 0.5),
        ],
        ["a", "b", "b", "e", "e"],
        "w",
    )
    sur = np.where(np.isin(ethnicity, ["asian", "black"]), fore, np.where(fore == "e", "e", "w"))
    return fore, sur


def build_children(rng: np.random.Generator, gaz: Gazetteer, period: Period, n: int) -> Population:
    """`n` children in households, with household circumstances, addresses and schools."""
    sizes = rng.choice(4, size=int(n / 1.81 * 1.1) + 10, p=HOUSEHOLD_SIZES) + 1
    hh = np.repeat(np.arange(len(sizes)), sizes)[:n]
    n_hh = int(hh[-1]) + 1
    first = np.searchsorted(hh, np.arange(n_hh))
    order = np.arange(n) - first[hh]
    lo = np.datetime64(period.start, "D") - int(18 * YEAR_DAYS) + 1
    span = (period.end64 - lo).astype(np.int64)
    gap = rng.uniform(1.3, 4.5, n_hh) * YEAR_DAYS
    base = rng.random(n_hh) * span
    twin = (order == 1) & (rng.random(n) < 0.03)
    # siblings follow at `gap` intervals, wrapping round the range so ages stay uniform
    offset = (base[hh] + (order - twin) * gap[hh]).astype(np.int64) % span
    dob = lo + offset

    eth_codes = np.array([e for e, _ in ETHNICITY])
    hh_eth = rng.choice(eth_codes, size=n_hh, p=[p for _, p in ETHNICITY])
    eth = hh_eth[hh]
    sex = np.where(rng.random(n) < 0.51, "male", "female")
    fore_g, sur_g = heritage(rng, eth)
    is_child = np.ones(n, dtype=bool)
    pop = Population()
    pop["forename"] = draw_forenames(rng, sex.astype("U1"), is_child, fore_g)
    pop["middle"] = np.where(
        rng.random(n) < 0.72, draw_forenames(rng, sex.astype("U1"), is_child, fore_g), ""
    )
    pop["sex"], pop["ethnicity"], pop["dob"] = sex, eth, dob
    pop["household"] = hh.astype(np.int64)
    pop["twin"] = np.zeros(n, dtype=bool)
    twin_idx = np.flatnonzero(twin)
    pop["twin"][twin_idx] = True
    pop["twin"][twin_idx - 1] = True
    pop["hh_surname_group"] = sur_g
    _addresses(rng, gaz, pop, n_hh, period)
    _circumstances(rng, pop, n_hh, period)
    _schools(rng, gaz, pop)
    pop["is_child"] = is_child
    pop["role"] = np.full(n, "child", dtype="U20")
    for key in ("surname", "alias", "phone", "vehicle", "trap", "scenario"):
        pop[key] = np.full(n, "", dtype="U1")
    for key in ("parent1", "parent2", "home"):
        pop[key] = np.full(n, -1, dtype=np.int64)
    return pop


def _addresses(
    rng: np.random.Generator, gaz: Gazetteer, pop: Population, n_hh: int, period: Period
) -> None:
    codes = np.array([c.code for c in COUNCILS])
    hh_council = rng.choice(codes, size=n_hh, p=[c.share for c in COUNCILS])
    street = np.empty(n_hh, dtype=np.int64)
    prev = np.empty(n_hh, dtype=np.int64)
    for code in codes:
        mask = hh_council == code
        pool = gaz.streets_in(str(code))
        street[mask] = rng.choice(pool, int(mask.sum()))
        prev[mask] = rng.choice(pool, int(mask.sum()))
    far = rng.random(n_hh) < 0.15
    prev[far] = rng.integers(0, len(gaz.street), int(far.sum()))
    moved = rng.random(n_hh) < 0.22
    number, prev_number = rng.integers(1, 150, n_hh), rng.integers(1, 150, n_hh)
    hh_cols: dict[str, Any] = {
        "council": hh_council,
        "address": np.char.add(np.char.add(number.astype(str), " "), gaz.street[street]),
        "town": gaz.street_town[street],
        "postcode": gaz.street_postcode[street],
        "prev_address": np.where(
            moved, np.char.add(np.char.add(prev_number.astype(str), " "), gaz.street[prev]), ""
        ),
        "prev_town": np.where(moved, gaz.street_town[prev], ""),
        "prev_postcode": np.where(moved, gaz.street_postcode[prev], ""),
        "moved_on": np.where(
            moved, period.start64 + rng.integers(0, period.days, n_hh), np.datetime64("NaT")
        ).astype("datetime64[D]"),
    }
    hh = pop["household"]
    for key, values in hh_cols.items():
        pop[key] = np.asarray(values)[hh]


def _circumstances(rng: np.random.Generator, pop: Population, n_hh: int, period: Period) -> None:
    n, hh = len(pop["dob"]), pop["household"]
    score = rng.gamma(1.0, 0.5, n)
    for name, share in HOUSEHOLD_FLAGS:
        flag = (rng.random(n_hh) < share)[hh]
        pop[name] = flag
        score += 2.0 * flag
    for name, share in CHILD_FLAGS:
        pop[name] = rng.random(n) < share
    pop["special_educational_needs"] |= pop["learning_disability"]
    score += 1.5 * pop["learning_disability"]
    age_end = (period.end64 - pop["dob"]).astype(np.int64) / YEAR_DAYS
    pop["child_in_need"] = rng.random(n) < 0.02 + 0.12 * (score > 2)
    pop["child_protection_plan"] = rng.random(n) < 0.004 + 0.05 * (score > 2)
    weight = np.exp(score) * np.where((age_end > 9) & (age_end < 21), 2.5, 1.0)
    p = np.minimum(0.9, LOOKED_AFTER_SHARE * n * weight / weight.sum())
    pop["looked_after"] = rng.random(n) < p
    pop["child_in_need"] |= pop["looked_after"]
    pop["vulnerability"] = score + 2.0 * pop["looked_after"]
    for name in ("known_offender", "registered_sex_offender", "staff_member"):
        pop[name] = np.zeros(n, dtype=bool)


def _schools(rng: np.random.Generator, gaz: Gazetteer, pop: Population) -> None:
    n = len(pop["dob"])
    primary, secondary = np.full(n, -1), np.full(n, -1)
    for code in np.unique(pop["council"]).tolist():
        mask = pop["council"] == code
        for phase, out in (("primary", primary), ("secondary", secondary)):
            pool = np.flatnonzero((gaz.school_council == code) & (gaz.school_phase == phase))
            out[mask] = rng.choice(pool, int(mask.sum()))
    pop["primary"], pop["secondary"] = primary.astype(np.int64), secondary.astype(np.int64)


def emails(rng: np.random.Generator, forename: Array, surname: Array) -> Array:
    """Plausible personal email addresses built from a person's name."""
    clean = np.char.lower(np.char.replace(np.char.replace(surname.astype(str), "'", ""), "-", ""))
    sep = rng.choice(np.array([".", "_", ""]), len(forename))
    num = np.where(
        rng.random(len(forename)) < 0.6, rng.integers(1, 99, len(forename)).astype(str), ""
    )
    local = np.char.add(np.char.add(np.char.lower(forename.astype(str)), sep), clean)
    local = np.char.add(local, num)
    return np.char.add(np.char.add(local, "@"), rng.choice(EMAIL_DOMAINS, len(forename)))

"""Name pools with realistic frequencies, and the ways agencies write the same name differently.

Frequencies matter for linkage: a few very common names (Olivia, Jack, Smith, Jones) make
different people share names, while a long tail of rarer surnames keeps most people apart. The
pools live in `data/` as rank-ordered lists; the rank sets the weight (a flattened Zipf curve).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from safeguard.synthetic.types import Strs

#: Share of people whose surname comes from the long tail of rarer names.
SURNAME_TAIL_SHARE = 0.62
#: Smith's share of the population, the head of the surname curve.
TOP_SURNAME_SHARE = 0.0126


@dataclass(frozen=True)
class Pool:
    """Names and the probability of each."""

    names: Strs
    p: NDArray[np.float64]

    def draw(self, rng: np.random.Generator, n: int) -> Strs:
        return self.names[rng.choice(len(self.names), size=n, p=self.p)]


def _sections(filename: str) -> dict[str, list[str]]:
    text = resources.files("safeguard.synthetic").joinpath("data", filename).read_text("utf-8")
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = out.setdefault(line.strip("[]"), [])
        else:
            current.extend(w for w in line.split() if w not in current)
    return out


def _ranked(names: list[str], offset: float = 5.0, exponent: float = 0.9) -> Pool:
    weights = 1.0 / (np.arange(len(names)) + offset) ** exponent
    return Pool(np.array(names), weights / weights.sum())


@functools.cache
def forename_pool(sex: str, era: str, group: str) -> Pool:
    """Forenames for sex `f`/`m`, era `c` (born 2000 on) or `a`, heritage group w/a/b/e."""
    return _ranked(_sections("forenames.txt")[f"{sex}-{era}-{group}"])


@functools.cache
def surname_pool(group: str) -> Pool:
    """Surnames for a heritage group; the general group gets a long tail of rarer names."""
    head = _sections("surnames.txt")[group]
    if group != "w":
        return _ranked(head, offset=2.0, exponent=0.8)
    weights = TOP_SURNAME_SHARE * (np.arange(len(head)) + 1.0) ** -0.6
    parts = _sections("surname_parts.txt")
    tail = sorted({p + s for p in parts["prefix"] for s in parts["suffix"]} - set(head))
    tail_w = 1.0 / (np.arange(len(tail)) + 40.0) ** 0.5
    tail_w = tail_w / tail_w.sum() * (1.0 - weights.sum())
    order = np.random.default_rng(7).permutation(len(tail))  # fixed: tail names get fixed ranks
    names = np.array(head + [tail[i] for i in order])
    p = np.concatenate([weights, tail_w])
    return Pool(names, p / p.sum())


@functools.cache
def nicknames() -> dict[str, tuple[str, ...]]:
    """Registered name -> the short forms, nicknames and spellings others write for it."""
    text = resources.files("safeguard.synthetic").joinpath("data", "nicknames.txt").read_text()
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            name, forms = line.split(":", 1)
            out[name.strip()] = tuple(f.strip() for f in forms.split(",") if f.strip())
    return out


def draw_forenames(
    rng: np.random.Generator, sex: Strs, child: NDArray[np.bool_], group: Strs
) -> Strs:
    """One forename per person from the pool for their sex, era and heritage group."""
    out = np.empty(len(sex), dtype=object)
    for s in ("f", "m"):
        for era, is_child in (("c", True), ("a", False)):
            for g in ("w", "a", "b", "e"):
                mask = (sex == s) & (child == is_child) & (group == g)
                if mask.any():
                    out[mask] = forename_pool(s, era, g).draw(rng, int(mask.sum()))
    return out.astype(str)


def draw_surnames(rng: np.random.Generator, group: Strs) -> Strs:
    """One surname per person from their heritage group's pool."""
    out = np.empty(len(group), dtype=object)
    for g in ("w", "a", "b", "e"):
        mask = group == g
        if mask.any():
            out[mask] = surname_pool(g).draw(rng, int(mask.sum()))
    return out.astype(str)


def apply_nicknames(rng: np.random.Generator, names: Strs, mask: NDArray[np.bool_]) -> Strs:
    """Replace the masked names by one of their known short forms (names without any stay)."""
    out = names.copy().astype(object)
    table = nicknames()
    idx = np.flatnonzero(mask)
    picks = rng.random(len(idx))
    for i, u in zip(idx.tolist(), picks.tolist(), strict=True):
        forms = table.get(str(out[i]))
        if forms:
            out[i] = forms[int(u * len(forms))]
    return out.astype(str)


_SOUNDALIKES = (
    ("ie", "y"),
    ("y", "ie"),
    ("ph", "f"),
    ("c", "k"),
    ("ck", "k"),
    ("ll", "l"),
    ("nn", "n"),
    ("ee", "ea"),
    ("ai", "ay"),
    ("ou", "ow"),
    ("s", "z"),
    ("i", "y"),
)


def typo(rng: np.random.Generator, name: str) -> str:
    """One plausible slip: a sound-alike spelling, a dropped, doubled or swapped letter."""
    if len(name) < 3:
        return name
    kind = int(rng.integers(4))
    lower = name.lower()
    if kind == 0:
        for a, b in rng.permutation(np.array(_SOUNDALIKES, dtype=object)).tolist():
            pos = lower.find(str(a), 1)
            if pos > 0:
                return name[:pos] + str(b) + name[pos + len(str(a)) :]
    i = int(rng.integers(1, len(name) - 1))
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    if name[i] == name[i + 1]:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def apply_typos(rng: np.random.Generator, names: Strs, mask: NDArray[np.bool_]) -> Strs:
    """One typo in each masked name."""
    out = names.copy().astype(object)
    for i in np.flatnonzero(mask).tolist():
        out[i] = typo(rng, str(out[i]))
    return out.astype(str)

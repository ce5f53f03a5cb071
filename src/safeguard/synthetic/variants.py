"""Codes as agencies type them: `Childrens Home`, `AWOL`, `A&E`, `CSE`, `MISSING`, extra spaces.

Each agency system writes each coded field its own way: the contract's code as it is, title case
(`Children's Home`), capitals, or (free-text entry) a mix of those, the contract's own synonyms
(`AWOL`, `GUM`, `NAR`) and stray spaces and hyphens. Only spellings the contract's normalisation
accepts are written (every one is checked against it); plausible ones it refuses are listed in
`docs/synthetic.md`.
"""

from __future__ import annotations

import numpy as np

from safeguard.contract import KINDS
from safeguard.contract.fields import Field, FieldType
from safeguard.synthetic.deliveries import Table
from safeguard.synthetic.types import Strs

#: Fields each agency's style already writes its own way.
LEFT_ALONE = {("people", "sex")}
ACRONYMS = {"sti": "STI", "gp": "GP", "anpr": "ANPR", "a&e": "A&E", "cme": "CME", "nar": "NAR"}
#: How people write a few codes by hand (written only while the contract accepts them).
BY_HAND = {"childrens_home": "Children's Home", "semi_independent": "Semi-Independent"}
#: How a system writes a coded field: as the code, Title Case, CAPITALS, or a mix by hand.
HABITS = (("code", 0.25), ("title", 0.35), ("upper", 0.15), ("mixed", 0.25))


def _title(code: str) -> str:
    return BY_HAND.get(code) or " ".join(ACRONYMS.get(w, w.capitalize()) for w in code.split("_"))


def _synonym(f: Field, code: str) -> str:
    words = [s for s, c in f.synonyms if c == code]
    if not words:
        return _title(code)
    word = words[0]
    return word.upper() if len(word) <= 4 else _title(word)


def spellings(f: Field, code: str) -> tuple[str, ...]:
    """Ways a person might type `code` that the contract accepts (the first is the code)."""
    title = _title(code)
    options = (
        code,
        title,
        code.upper().replace("_", " "),
        _synonym(f, code),
        f" {title} ",
        title.replace(" ", "  "),
        code.replace("_", "-"),
    )
    return tuple(dict.fromkeys(o for o in options if f.code_for(o) == code))


def vary_codes(rng: np.random.Generator, tables: dict[str, Table]) -> None:
    """Rewrite every coded field of a delivery in the habits of the agency's system."""
    for kind, table in tables.items():
        for f in KINDS[kind].fields:
            if f.type not in (FieldType.CODE, FieldType.CODES) or (kind, f.name) in LEFT_ALONE:
                continue
            habit = str(rng.choice([h for h, _ in HABITS], p=[p for _, p in HABITS]))
            if habit != "code" and f.name in table.columns:
                table.columns[f.name] = _rewrite(rng, f, table.columns[f.name], habit)


def _habit(f: Field, code: str, habit: str) -> str:
    """`code` as a system with this habit writes it (the code itself if that is refused)."""
    form = _title(code) if habit == "title" else code.upper().replace("_", " ")
    return form if f.code_for(form) == code else code


def _rewrite(rng: np.random.Generator, f: Field, values: Strs, habit: str) -> Strs:
    unique, inverse = np.unique(values, return_inverse=True)
    out = np.empty(len(values), dtype=object)
    for k, value in enumerate(unique.tolist()):
        rows = np.flatnonzero(inverse == k)
        codes = [c.strip() for c in value.split(";")] if value else []
        if habit != "mixed":
            out[rows] = ";".join(_habit(f, c, habit) for c in codes)
            continue
        forms = [spellings(f, c) or (c,) for c in codes]
        for r in rows.tolist():
            out[r] = "; ".join(p[int(rng.integers(len(p)))] for p in forms)
    return out.astype(str)

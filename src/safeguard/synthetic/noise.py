"""Each agency's own view of a person: the true person as that agency would have written them.

Short forms and nicknames, typos, double-barrelled surnames used in part, day and month swapped,
partial or missing dates of birth, old addresses and phone numbers, missing identifiers and a few
with a wrong check character, and each agency's own formats (upper-case surnames, postcodes
without a space, phones with or without +44). Rates come from the agency's `Style`; all work is
vectorised, with Python only for the few per cent of names that get a typo or a nickname.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safeguard.synthetic.agencies import Style
from safeguard.synthetic.identifiers import pretty_vrm
from safeguard.synthetic.names import apply_nicknames, apply_typos
from safeguard.synthetic.population import Population, join_flags
from safeguard.synthetic.types import Array, Ints, Strs

_UPN_LETTERS = np.array(list("ABCDEFGHJKLMNPQRTUVWXYZ"))


def strftime(values: Array, fmt: str) -> Strs:
    """Dates or date-times as text in `fmt` ('' for missing)."""
    arr = pa.array(values.astype("datetime64[s]"))
    text = pc.fill_null(pc.strftime(arr, format=fmt), "")
    return np.asarray(text.to_numpy(zero_copy_only=False), dtype=str)


def _rand(rng: np.random.Generator, n: int, p: float) -> Array:
    return rng.random(n) < p


def _names(rng: np.random.Generator, pop: Population, idx: Ints, s: Style) -> dict[str, Strs]:
    n = len(idx)
    fore = apply_nicknames(rng, pop["forename"][idx], _rand(rng, n, s.nickname))
    fore = apply_typos(rng, fore, _rand(rng, n, s.typo_forename))
    middle = pop["middle"][idx]
    with_middle = (middle != "") & _rand(rng, n, s.middle)
    forenames = np.where(with_middle, np.char.add(np.char.add(fore, " "), middle), fore)
    sur = pop["surname"][idx]
    double = np.char.find(sur, "-") > 0
    part = double & _rand(rng, n, s.hyphen_part)
    if part.any():
        pieces = np.array([x.split("-", 1) for x in sur[part].tolist()])
        first = rng.random(len(pieces)) < 0.5
        sur = sur.copy().astype(object)
        sur[part] = np.where(first, pieces[:, 0], pieces[:, 1])
        sur = sur.astype(str)
    sur = apply_typos(rng, sur, _rand(rng, n, s.typo_surname))
    alias = pop["alias"][idx]
    other = np.where(alias != "", alias, "") if s.aliases else np.full(n, "")
    if s.aliases:
        other = np.where(part & (other == ""), pop["surname"][idx], other)
    as_alias = (alias != "") & _rand(rng, n, s.alias_as_name)
    forenames = np.where(as_alias, alias, forenames)
    sur = np.where(as_alias & _rand(rng, n, 0.7), "", sur)
    if s.upper_surname:
        sur = np.char.upper(sur)
    return {
        "forenames": forenames.astype(str),
        "surname": sur.astype(str),
        "other_names": other.astype(str),
        "_as_alias": as_alias.astype(str),
    }


def _dob(rng: np.random.Generator, pop: Population, idx: Ints, s: Style, as_alias: Array) -> Strs:
    n = len(idx)
    dob = pop["dob"][idx].astype("datetime64[D]")
    y = dob.astype("datetime64[Y]").astype(np.int64) + 1970
    m = dob.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (dob - dob.astype("datetime64[M]")).astype(np.int64) + 1
    swap = _rand(rng, n, s.dob_swap) & (d <= 12) & (d != m) & ~np.isnat(dob)
    if swap.any():
        dob = dob.copy()
        dob[swap] = np.array(
            [
                f"{a:04d}-{b:02d}-{c:02d}"
                for a, b, c in zip(
                    y[swap].tolist(), d[swap].tolist(), m[swap].tolist(), strict=True
                )
            ],
            dtype="datetime64[D]",
        )
    typo = _rand(rng, n, s.dob_typo)
    shift = rng.choice(np.array([-1, 1, -365, 365, 10, -10]), n)
    dob = np.where(typo, dob + shift, dob)
    text = strftime(dob, s.dob)
    u = rng.random(n)
    partial = u < s.dob_partial
    text = np.where(partial & (u < s.dob_partial / 2), strftime(dob, "%Y"), text)
    text = np.where(partial & (u >= s.dob_partial / 2), strftime(dob, "%Y-%m"), text)
    missing = _rand(rng, n, s.dob_missing) | ((as_alias == "True") & _rand(rng, n, 0.8))
    return np.where(missing, "", text)


def _wrong_last(values: Strs, mask: Array, digits: bool) -> Strs:
    """Change the check character (the last for NHS and PNC, the first for UPN)."""
    out = values.astype(object)
    for i in np.flatnonzero(mask & (values != "")).tolist():
        v = str(out[i])
        if digits:
            out[i] = v[:-1] + str((int(v[-1]) + 3) % 10)
        elif v[0].isalpha() and "/" not in v:
            out[i] = _UPN_LETTERS[(np.flatnonzero(v[0] == _UPN_LETTERS)[0] + 5) % 23] + v[1:]
        else:
            out[i] = v[:-1] + ("A" if v[-1] != "A" else "B")
    return out.astype(str)


def _ids(rng: np.random.Generator, pop: Population, idx: Ints, s: Style) -> dict[str, Strs]:
    n = len(idx)
    nhs = np.where(_rand(rng, n, s.nhs), pop["nhs"][idx], "")
    nhs = _wrong_last(nhs, _rand(rng, n, s.nhs_wrong), digits=True)
    if s.compact_postcode == 1.0:  # the NHS writes NHS numbers 3-3-4
        nhs = np.where(
            nhs != "",
            np.char.add(
                np.char.add(
                    np.char.add(
                        np.char.add(np.char.ljust(nhs, 3).astype("U3"), " "),
                        np.array([x[3:6] for x in nhs.tolist()]),
                    ),
                    " ",
                ),
                np.array([x[6:] for x in nhs.tolist()]),
            ),
            "",
        )
    upn = np.where(_rand(rng, n, s.upn), pop["upn"][idx], "")
    upn = _wrong_last(upn, _rand(rng, n, s.upn_wrong), digits=False)
    pnc = np.where(_rand(rng, n, s.pnc), pop["pnc"][idx], "")
    pnc = _wrong_last(pnc, _rand(rng, n, s.pnc_wrong), digits=False)
    return {"nhs_number": nhs, "upn": upn, "pnc_id": pnc}


def format_postcode(rng: np.random.Generator, values: Strs, compact: float) -> Strs:
    squash = _rand(rng, len(values), compact)
    return np.where(squash, np.char.replace(values, " ", ""), values)


def format_phone(rng: np.random.Generator, values: Strs, how: str) -> Strs:
    """E.164 phones as the agency writes them: `07xxx xxxxxx`, `+447...` or a mix."""
    national = np.char.add("0", np.array([v[3:] for v in values.tolist()], dtype=str))
    national = np.char.add(
        np.char.add(np.array([v[:5] for v in national.tolist()], dtype=str), " "),
        np.array([v[5:] for v in national.tolist()]),
    )
    choice = {
        "national": np.zeros(len(values), bool),
        "e164": np.ones(len(values), bool),
        "mixed": rng.random(len(values)) < 0.4,
    }[how]
    return np.where(values == "", "", np.where(choice, values, national))


def format_vrm(values: Strs, s: Style) -> Strs:
    return pretty_vrm(values) if s.pretty_vrm else values


def render_people(
    rng: np.random.Generator, pop: Population, idx: Ints, s: Style
) -> dict[str, Strs]:
    """People columns (contract field names) for true people `idx`, in the agency's style."""
    n = len(idx)
    names = _names(rng, pop, idx, s)
    as_alias = names.pop("_as_alias")
    stale = _rand(rng, n, s.stale_address) & (pop["prev_address"][idx] != "")
    address = np.where(stale, pop["prev_address"][idx], pop["address"][idx])
    town = np.where(stale, pop["prev_town"][idx], pop["town"][idx])
    postcode = np.where(stale, pop["prev_postcode"][idx], pop["postcode"][idx])
    postcode = np.where(
        _rand(rng, n, s.postcode_missing), "", format_postcode(rng, postcode, s.compact_postcode)
    )
    phone = np.where(
        _rand(rng, n, s.stale_phone) & (pop["prev_phone"][idx] != ""),
        pop["prev_phone"][idx],
        pop["phone"][idx],
    )
    phone = np.where(_rand(rng, n, s.phone), format_phone(rng, phone, s.phone_format), "")
    sex = np.where(pop["sex"][idx] == "female", s.sex[0], s.sex[1])
    flags = join_flags([pop[f][idx] for f in s.flags], s.flags)
    return {
        **names,
        "date_of_birth": _dob(rng, pop, idx, s, as_alias),
        "sex": np.where(_rand(rng, n, s.sex_missing), "", sex),
        "ethnicity": np.where(
            _rand(rng, n, s.ethnicity_missing), "not_stated", pop["ethnicity"][idx]
        ),
        **_ids(rng, pop, idx, s),
        "address": np.where(as_alias == "True", "", address),
        "town": town,
        "postcode": postcode,
        "phone": phone,
        "email": np.where(_rand(rng, n, s.email), pop["email"][idx], ""),
        "flags": flags,
    }

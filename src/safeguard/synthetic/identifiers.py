"""Valid synthetic UK identifiers, made in bulk: NHS numbers, UPNs, PNC ids, mobiles, VRMs.

Every identifier passes its public check (the contract's own check-digit functions define the
rule), so a wrong one in a delivery is always a deliberate, recorded piece of noise. NHS numbers
come from the 999 range NHS England keeps for test data, so none can belong to a real patient.
"""

from __future__ import annotations

import numpy as np

from safeguard.contract.identifiers import PNC_LETTERS, UPN_LETTERS
from safeguard.synthetic.types import Ints, Strs

#: First four digits after the 0 of UK mobile blocks that libphonenumber accepts as valid.
MOBILE_BLOCKS = tuple(
    [7400 + d for d in range(100) if d // 10 != 5]
    + [7500 + d for d in range(100) if d // 10 not in (0, 2)]
    + [7700 + d for d in range(10, 80)]
    + [7800 + d for d in range(100) if d // 10 not in (2, 3)]
    + [7900 + d for d in range(100) if d // 10 not in (1, 3)]
)
_VRM_LETTERS = np.array(list("ABCDEFGHJKLMNOPRSTUVWXYZ"))
_VRM_AREAS = np.array(
    [
        "MA",
        "MB",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MJ",
        "MK",
        "ML",
        "MM",
        "DA",
        "DB",
        "DC",
        "DE",
        "DF",
        "DG",
        "DK",
        "CU",
        "CV",
        "CX",
        "YA",
        "YB",
        "BD",
        "BF",
        "LA",
        "LB",
        "PE",
        "PF",
        "FD",
        "FE",
    ]
)


def _digits(values: Ints, width: int) -> Ints:
    """The decimal digits of each value, most significant first, as a (n, width) array."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def nhs_numbers(rng: np.random.Generator, n: int) -> Strs:
    """`n` distinct valid NHS numbers (modulus 11), from the test range when it is big enough."""
    low, high = (999_000_000, 1_000_000_000) if n < 400_000 else (400_000_000, 800_000_000)
    first9 = rng.choice(high - low, size=int(n * 1.15) + 20, replace=False).astype(np.int64) + low
    total = (_digits(first9, 9) * np.arange(10, 1, -1)).sum(axis=1)
    check = (11 - total % 11) % 11
    ok = check != 10
    values = first9[ok][:n] * 10 + check[ok][:n]
    return np.char.zfill(values.astype(str), 10)


def upns(rng: np.random.Generator, la_codes: Strs, alloc_years: Ints) -> Strs:
    """Distinct valid UPNs: check letter, LA number, establishment, allocation year, serial."""
    n = len(la_codes)
    unique7 = rng.choice(10_000_000, size=n, replace=False).astype(np.int64)
    body = la_codes.astype(np.int64) * 10**9 + (alloc_years % 100) * 10**7 + unique7
    digits = _digits(body, 12)
    check = (digits * np.arange(2, 14)).sum(axis=1) % 23
    letters = np.array(list(UPN_LETTERS))[check]
    return np.char.add(letters, np.char.zfill(body.astype(str), 12))


def pnc_ids(rng: np.random.Generator, years: Ints) -> Strs:
    """Distinct valid PNC ids `YY/NNNNNNNL` for people first recorded in `years`."""
    serial = rng.choice(10_000_000, size=len(years), replace=False).astype(np.int64)
    yy = years % 100
    check = np.array(list(PNC_LETTERS))[(yy * 10**7 + serial) % 23]
    text = np.char.add(np.char.zfill(yy.astype(str), 2), "/")
    return np.char.add(np.char.add(text, np.char.zfill(serial.astype(str), 7)), check)


def mobiles(rng: np.random.Generator, n: int) -> Strs:
    """`n` distinct UK mobile numbers in E.164 (`+447...`) that libphonenumber accepts."""
    blocks = np.array(MOBILE_BLOCKS, dtype=np.int64)
    space = len(blocks) * 1_000_000
    pick = rng.choice(space, size=n, replace=False).astype(np.int64)
    national = blocks[pick // 1_000_000] * 1_000_000 + pick % 1_000_000
    return np.char.add("+44", national.astype(str))


def vrms(rng: np.random.Generator, n: int, first_year: int = 2008, last_year: int = 2025) -> Strs:
    """`n` distinct current-format registration marks (AB12CDE) for vehicles of those years."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        m = n - len(out)
        area = rng.choice(_VRM_AREAS, m)
        year = rng.integers(first_year, last_year + 1, m)
        half = rng.random(m) < 0.5
        age = np.where(half, year % 100, year % 100 + 50)
        tail = rng.choice(_VRM_LETTERS, (m, 3))
        for a, g, t in zip(area.tolist(), age.tolist(), tail.tolist(), strict=True):
            mark = f"{a}{g:02d}{''.join(t)}"
            if mark not in seen:
                seen.add(mark)
                out.append(mark)
    return np.array(out[:n])


def pretty_vrm(marks: Strs) -> Strs:
    """Registration marks with the usual space before the last three letters (AB12 CDE)."""
    return np.array([f"{m[:-3]} {m[-3:]}" if m else m for m in marks.tolist()], dtype=str)

"""A Cheshire-like gazetteer: council areas, towns, streets with postcodes, schools, children's
homes and the everyday places (takeaways, parks, flats, car parks) where children are seen.

Postcode districts and towns are the real ones for each council area (public knowledge); the inward
codes, streets, schools and homes are synthetic, so no address describes a real household.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from safeguard.synthetic.names import _sections
from safeguard.synthetic.types import Ints, Strs

INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Council:
    """One council area: its contract code, its children's services agency and its districts."""

    code: str
    agency: str
    name: str
    share: float
    upn_la: str
    districts: tuple[tuple[str, str, float], ...]


COUNCILS: tuple[Council, ...] = (
    Council(
        "cheshire_east",
        "cheshire-east-cs",
        "Cheshire East Council",
        0.36,
        "895",
        (
            ("CW1", "Crewe", 3),
            ("CW2", "Crewe", 3),
            ("CW5", "Nantwich", 2),
            ("CW10", "Middlewich", 1),
            ("CW11", "Sandbach", 2),
            ("CW12", "Congleton", 2),
            ("SK9", "Wilmslow", 2),
            ("SK10", "Macclesfield", 2),
            ("SK11", "Macclesfield", 2),
            ("SK12", "Poynton", 1),
            ("WA16", "Knutsford", 1),
        ),
    ),
    Council(
        "cheshire_west_and_chester",
        "cheshire-west-cs",
        "Cheshire West and Chester Council",
        0.33,
        "896",
        (
            ("CH1", "Chester", 2),
            ("CH2", "Chester", 2),
            ("CH3", "Chester", 2),
            ("CH4", "Chester", 1),
            ("CH65", "Ellesmere Port", 2),
            ("CH66", "Ellesmere Port", 2),
            ("CW7", "Winsford", 2),
            ("CW8", "Northwich", 2),
            ("CW9", "Northwich", 2),
            ("WA6", "Frodsham", 1),
        ),
    ),
    Council(
        "warrington",
        "warrington-cs",
        "Warrington Borough Council",
        0.19,
        "877",
        (
            ("WA1", "Warrington", 3),
            ("WA2", "Warrington", 3),
            ("WA3", "Birchwood", 2),
            ("WA4", "Warrington", 2),
            ("WA5", "Great Sankey", 2),
            ("WA13", "Lymm", 1),
        ),
    ),
    Council(
        "halton",
        "halton-cs",
        "Halton Borough Council",
        0.12,
        "876",
        (("WA7", "Runcorn", 1), ("WA8", "Widnes", 1)),
    ),
)
COUNCIL_BY_CODE = {c.code: c for c in COUNCILS}

_SAINTS = (
    "Mary",
    "John",
    "Joseph",
    "Anne",
    "Thomas",
    "Michael",
    "Peter",
    "Wilfrid",
    "Werburgh",
    "Chad",
    "Oswald",
    "Bede",
    "Gabriel",
    "Margaret",
)
_PROVIDERS = (
    "Oakwell Care Group Ltd",
    "Brightpath Children's Services Ltd",
    "Meadowbank Residential Care Ltd",
    "Northern Hearth Care Ltd",
    "Kestrel Homes CIC",
)
_PLACE_KINDS = (
    ("takeaway", "{s} Kebab & Pizza"),
    ("takeaway", "{t} Fried Chicken"),
    ("takeaway", "Golden {s} Chinese"),
    ("flat", "{s} Court"),
    ("flat", "{s} House"),
    ("park", "{s} Park"),
    ("park", "{t} Recreation Ground"),
    ("car_park", "{s} Street car park"),
    ("hotel", "{s} Lodge Hotel"),
    ("shop", "{s} Mini Market"),
    ("bus_station", "{t} bus station"),
    ("shopping_centre", "{t} shopping precinct"),
)


@dataclass
class Gazetteer:
    """Streets, schools, homes and places; columnar, indexed by position."""

    street: Strs
    street_town: Strs
    street_postcode: Strs
    street_council: Strs
    school: Strs
    school_phase: Strs
    school_council: Strs
    home_id: Strs
    home_name: Strs
    home_address: Strs
    home_town: Strs
    home_postcode: Strs
    home_council: Strs
    home_provider: Strs
    place: Strs
    place_kind: Strs
    place_address: Strs
    place_town: Strs
    place_postcode: Strs
    place_council: Strs

    def streets_in(self, council: str) -> Ints:
        return np.flatnonzero(self.street_council == council)

    def places_of(self, kinds: tuple[str, ...]) -> Ints:
        return np.flatnonzero(np.isin(self.place_kind, kinds))


def _inward(rng: np.random.Generator, n: int) -> list[str]:
    codes = rng.choice(10 * 400, size=n, replace=False)
    return [f"{c // 400}{INWARD_LETTERS[c % 400 // 20]}{INWARD_LETTERS[c % 20]}" for c in codes]


def build_gazetteer(rng: np.random.Generator, households: int, children: int) -> Gazetteer:
    """A gazetteer sized for `households` homes and `children` children."""
    words = _sections("streets.txt")
    stems, types = np.array(words["stem"]), np.array(words["type"])
    st: dict[str, list[str]] = {k: [] for k in ("name", "town", "pc", "council")}
    pl: dict[str, list[str]] = {k: [] for k in ("name", "kind", "addr", "town", "pc", "council")}
    for council in COUNCILS:
        weight = sum(w for _, _, w in council.districts)
        for district, town, w in council.districts:
            n = max(12, int(households * council.share * w / weight / 22))
            inward = _inward(rng, n + len(_PLACE_KINDS))
            names = [
                f"{a} {b}" for a, b in zip(rng.choice(stems, n), rng.choice(types, n), strict=True)
            ]
            st["name"] += names
            st["town"] += [town] * n
            st["pc"] += [f"{district} {i}" for i in inward[:n]]
            st["council"] += [council.code] * n
            for j, (kind, pattern) in enumerate(_PLACE_KINDS):
                stem = str(rng.choice(stems))
                pl["name"].append(pattern.format(s=stem, t=town))
                pl["kind"].append(kind)
                pl["addr"].append(f"{rng.integers(1, 200)} {stem} {rng.choice(types)}")
                pl["town"].append(town)
                pl["pc"].append(f"{district} {inward[n + j]}")
                pl["council"].append(council.code)
    school, phase, school_council = _schools(rng, stems, children)
    h = _homes(rng, st, max(3, round(children / 1500)))
    return Gazetteer(
        np.array(st["name"]),
        np.array(st["town"]),
        np.array(st["pc"]),
        np.array(st["council"]),
        school,
        phase,
        school_council,
        h[0],
        h[1],
        h[2],
        h[3],
        h[4],
        h[5],
        h[6],
        np.array(pl["name"]),
        np.array(pl["kind"]),
        np.array(pl["addr"]),
        np.array(pl["town"]),
        np.array(pl["pc"]),
        np.array(pl["council"]),
    )


def _schools(rng: np.random.Generator, stems: Strs, children: int) -> tuple[Strs, Strs, Strs]:
    names: list[str] = []
    phase: list[str] = []
    council_of: list[str] = []
    for council in COUNCILS:
        towns = sorted({t for _, t, _ in council.districts})
        kids = children * council.share
        for ph, n in (
            ("secondary", max(2, round(kids * 5 / 23 / 1000))),
            ("primary", max(3, round(kids * 7 / 23 / 250))),
        ):
            for i in range(n):
                town, stem, saint = towns[i % len(towns)], rng.choice(stems), rng.choice(_SAINTS)
                options = (
                    (
                        f"{town} High School",
                        f"{stem} Academy",
                        f"St {saint}'s Catholic High School",
                        f"{stem} Park School",
                    )
                    if ph == "secondary"
                    else (
                        f"{stem} Primary School",
                        f"St {saint}'s CE Primary School",
                        f"{town} {stem} Infant and Junior School",
                    )
                )
                name = str(options[int(rng.integers(len(options)))])
                while name in names:
                    name = f"{name.rsplit(' ', 1)[0]} {stem} School"
                    stem = rng.choice(stems)
                names.append(name)
                phase.append(ph)
                council_of.append(council.code)
        names.append(f"{council.name.replace(' Council', '')} Pupil Referral Unit")
        phase.append("alternative")
        council_of.append(council.code)
    return np.array(names), np.array(phase), np.array(council_of)


def _homes(rng: np.random.Generator, streets: dict[str, list[str]], n: int) -> tuple[Strs, ...]:
    pick = rng.choice(len(streets["name"]), size=n, replace=False)
    suffixes = ("House", "Lodge", "View", "Cottage", "Grange")
    ids, names, addr, town, pc, council, provider = ([] for _ in range(7))
    for k, s in enumerate(pick.tolist()):
        ids.append(f"HM{101 + k:04d}")
        names.append(f"{streets['name'][s].split()[0]} {suffixes[k % len(suffixes)]}")
        addr.append(f"{rng.integers(1, 90)} {streets['name'][s]}")
        town.append(streets["town"][s])
        pc.append(streets["pc"][s])
        council.append(streets["council"][s])
        provider.append(_PROVIDERS[int(rng.integers(len(_PROVIDERS)))])
    return tuple(np.array(v) for v in (ids, names, addr, town, pc, council, provider))

"""The adults around the children: parents (and the family surnames children take from them),
known offenders, children's home staff, youth workers, school-transport drivers and, later, the
perpetrators that `scenarios` plants. Also the last pass that gives everyone their identifiers.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.identifiers import mobiles, nhs_numbers, pnc_ids, upns, vrms
from safeguard.synthetic.names import draw_forenames, draw_surnames, nicknames
from safeguard.synthetic.period import EXTRACT_DATE, YEAR_DAYS, Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.population import Population, emails, heritage
from safeguard.synthetic.types import Array, Ints

TWO_PARENT_SHARE = 0.72
#: DfE number used in the UPNs of children from councils outside the partnership.
OTHER_LA = "352"


class Bank:
    """Pre-drawn distinct phones and vehicles handed out in order, so none is ever shared by
    accident: a shared phone or vehicle in the data always means a planted connection."""

    def __init__(self, rng: np.random.Generator, phones: int, vehicles: int) -> None:
        self._phones, self._vehicles = mobiles(rng, phones), vrms(rng, vehicles)
        self._p = self._v = 0

    def phones(self, n: int) -> Array:
        self._p += n
        return self._phones[self._p - n : self._p]

    def vehicles(self, n: int) -> Array:
        self._v += n
        return self._vehicles[self._v - n : self._v]


def add_parents(rng: np.random.Generator, pop: Population, period: Period) -> None:
    """One or two parents per household; children take the father's, mother's or both surnames."""
    hh, n = pop["household"], len(pop)
    n_hh = int(hh.max()) + 1
    first = np.searchsorted(hh, np.arange(n_hh))
    eldest_dob = np.full(n_hh, np.datetime64("2100-01-01"), dtype="datetime64[D]")
    np.minimum.at(eldest_dob, hh, pop["dob"][: len(hh)].astype("datetime64[D]"))
    two = rng.random(n_hh) < TWO_PARENT_SHARE
    surname_group = pop["hh_surname_group"][first]
    mother_own, father_sn = draw_surnames(rng, surname_group), draw_surnames(rng, surname_group)
    married = two & (rng.random(n_hh) < 0.55)
    mother_sn = np.where(married, father_sn, mother_own)
    u = rng.random(n_hh)
    double = np.char.add(np.char.add(mother_own, "-"), father_sn)
    child_sn = np.where(
        two,
        np.select([u < 0.8, u < 0.88], [father_sn, double], mother_own),
        np.where(u < 0.65, mother_own, father_sn),
    )
    pop["surname"] = child_sn[hh]
    pop["alias"] = np.full(n, "", dtype=object).astype(str)
    mum_dob = eldest_dob - (rng.uniform(19, 40, n_hh) * YEAR_DAYS).astype(np.int64)
    dad_dob = mum_dob - (rng.uniform(-2, 8, n_hh) * YEAR_DAYS).astype(np.int64)
    mums = _parent_block(rng, pop, first, "female", mother_sn, mum_dob, period)
    dads_hh = np.flatnonzero(two)
    dads = _parent_block(
        rng, pop, first[dads_hh], "male", father_sn[dads_hh], dad_dob[dads_hh], period
    )
    mum_idx, dad_idx = pop.extend(mums), pop.extend(dads)
    parent1, parent2 = np.full(len(pop), -1, np.int64), np.full(len(pop), -1, np.int64)
    dad_of_hh = np.full(n_hh, -1, np.int64)
    dad_of_hh[dads_hh] = dad_idx
    parent1[:n], parent2[:n] = mum_idx[hh], dad_of_hh[hh]
    pop["parent1"], pop["parent2"] = parent1, parent2


def _parent_block(
    rng: np.random.Generator,
    pop: Population,
    first: Ints,
    sex: str,
    surname: Array,
    dob: Array,
    period: Period,
) -> dict[str, Array]:
    m = len(first)
    eth = pop["ethnicity"][first]
    eth = np.where(
        (eth == "mixed") & (sex == "male"), "black", np.where(eth == "mixed", "white", eth)
    )
    fore_g, _ = heritage(rng, eth)
    born_2000 = dob >= np.datetime64("2000-01-01")
    block: dict[str, Array] = {
        "forename": draw_forenames(rng, np.full(m, sex[0]), born_2000, fore_g),
        "middle": np.where(
            rng.random(m) < 0.6, draw_forenames(rng, np.full(m, sex[0]), born_2000, fore_g), ""
        ),
        "surname": surname,
        "sex": np.full(m, sex),
        "ethnicity": eth,
        "dob": dob,
        "role": np.full(m, "parent"),
    }
    for key in (
        "household",
        "council",
        "address",
        "town",
        "postcode",
        "prev_address",
        "prev_town",
        "prev_postcode",
        "moved_on",
        "domestic_abuse_at_home",
        "parental_substance_misuse",
        "neglect",
    ):
        block[key] = pop[key][first]
    return block


def add_adults(
    rng: np.random.Generator,
    pop: Population,
    gaz: Gazetteer,
    bank: Bank,
    *,
    role: str,
    n: int,
    male: float,
    ages: tuple[float, float] | Array,
    phone: float = 0.95,
    vehicle: float = 0.5,
    councils: Array | None = None,
) -> Ints:
    """`n` adults in `role` (ages at the extract date, a range or one each), living anywhere in
    the partnership or in the given council areas; returns their indices."""
    sex = np.where(rng.random(n) < male, "male", "female")
    eth = rng.choice(
        np.array(["white", "mixed", "asian", "black", "other"]), n, p=[0.93, 0.02, 0.03, 0.01, 0.01]
    )
    fore_g, sur_g = heritage(rng, eth)
    years = rng.uniform(*ages, n) if isinstance(ages, tuple) else np.asarray(ages, dtype=float)
    dob = np.datetime64(EXTRACT_DATE, "D") - (years * YEAR_DAYS).astype(np.int64)
    street = rng.integers(0, len(gaz.street), n)
    if councils is not None:
        for code in np.unique(councils).tolist():
            mask = councils == code
            street[mask] = rng.choice(gaz.streets_in(code), int(mask.sum()))
    has_phone, has_car = rng.random(n) < phone, rng.random(n) < vehicle
    block: dict[str, Array] = {
        "forename": draw_forenames(
            rng, sex.astype("U1"), dob >= np.datetime64("2000-01-01"), fore_g
        ),
        "middle": np.where(
            rng.random(n) < 0.5,
            draw_forenames(rng, sex.astype("U1"), np.zeros(n, bool), fore_g),
            "",
        ),
        "surname": draw_surnames(rng, sur_g),
        "sex": sex,
        "ethnicity": eth,
        "dob": dob,
        "council": gaz.street_council[street],
        "address": np.char.add(
            np.char.add(rng.integers(1, 150, n).astype(str), " "), gaz.street[street]
        ),
        "town": gaz.street_town[street],
        "postcode": gaz.street_postcode[street],
        "role": np.full(n, role),
        "household": np.full(n, -1),
        "phone": np.where(has_phone, bank.phones(n), ""),
        "vehicle": np.where(has_car, bank.vehicles(n), ""),
    }
    return pop.extend(block)


def assign_identifiers(
    rng: np.random.Generator, pop: Population, bank: Bank, period: Period
) -> None:
    """NHS numbers, UPNs, PNC ids, phones and emails for everyone who has them."""
    n = len(pop)
    nhs = nhs_numbers(rng, n)
    pop["nhs"] = np.where(rng.random(n) < 0.985, nhs, "")
    age_start = (period.start64 - pop["dob"]).astype(np.int64) / YEAR_DAYS
    age_end = (period.end64 - pop["dob"]).astype(np.int64) / YEAR_DAYS
    pupil = pop["is_child"] & (age_end >= 5) & (age_start <= 16) & (rng.random(n) < 0.975)
    idx = np.flatnonzero(pupil)
    la = np.array(
        [
            COUNCIL_BY_CODE[c].upn_la if c in COUNCIL_BY_CODE else OTHER_LA
            for c in pop["council"][idx].tolist()
        ]
    )
    years = pop["dob"][idx].astype("datetime64[Y]").astype(np.int64) + 1975
    upn = np.full(n, "", dtype="U13")
    upn[idx] = upns(rng, la, years)
    pop["upn"] = upn
    offender = pop["known_offender"]
    pnc = np.full(n, "", dtype="U11")
    oi = np.flatnonzero(offender)
    first_year = pop["dob"][oi].astype("datetime64[Y]").astype(np.int64) + 1970 + 16
    first_year = np.minimum(first_year + rng.integers(0, 12, len(oi)), period.end.year)
    pnc[oi] = pnc_ids(rng, first_year)
    pop["pnc"] = pnc
    adult_mail = ~pop["is_child"] & (rng.random(n) < 0.55)
    pop["email"] = np.where(adult_mail, emails(rng, pop["forename"], pop["surname"]), "")
    changed = (pop["phone"] != "") & (rng.random(n) < 0.25)
    prev = np.full(n, "", dtype="U13")
    prev[changed] = bank.phones(int(changed.sum()))
    pop["prev_phone"] = prev


def assign_phones(rng: np.random.Generator, pop: Population, bank: Bank, period: Period) -> None:
    """Mobiles for most adults and for most children aged 11 or more by the end of the period."""
    n = len(pop)
    age_end = (period.end64 - pop["dob"]).astype(np.int64) / YEAR_DAYS
    need = (pop["phone"] == "") & (
        (~pop["is_child"] & (rng.random(n) < 0.95))
        | (pop["is_child"] & (age_end >= 11) & (rng.random(n) < 0.88))
    )
    phone = pop["phone"].astype("U13")
    phone[need] = bank.phones(int(need.sum()))
    pop["phone"] = phone


def give_aliases(rng: np.random.Generator, pop: Population, who: Ints) -> None:
    """Street names for some adults ("Big Dave", "Kazza"), which police and others write down."""
    table = nicknames()
    alias = pop["alias"].astype(object)
    for i, u in zip(who.tolist(), rng.random(len(who)).tolist(), strict=True):
        name = str(pop["forename"][i])
        short = table.get(name, (name[:3],))[0]
        alias[i] = (
            f"Big {short}"
            if u < 0.3
            else f"{short[:3]}zza"
            if u < 0.45
            else f"{short[:3]}o"
            if u < 0.7
            else short
        )
    pop["alias"] = alias.astype(str)

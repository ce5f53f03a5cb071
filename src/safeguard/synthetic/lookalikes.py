"""Council-led traps: records about children who are not exploited that read like those who are.

- professionals found with missing children: foster carers, residential staff, youth workers and
  contracted drivers, named by the police only as adults the child was with (`found_with`,
  `found_with_person_ids`); only the council or the home records them as staff (`staff_member`).
  Most of the children are not victims; a few are. The professionals are never perpetrators.
- innocent lifts a school logs (a grandparent, an older brother) and late calls a home logs (a
  parent), written the way the worrying ones are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from safeguard.synthetic.adults import Bank, add_adults
from safeguard.synthetic.care import Care
from safeguard.synthetic.missing import Episodes, make_episodes
from safeguard.synthetic.period import YEAR_DAYS, Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.policing import POLICE
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Ledger, batch
from safeguard.synthetic.signals import HOMES, SCHOOLS
from safeguard.synthetic.timeline import at_time, school_day
from safeguard.synthetic.traps import mark
from safeguard.synthetic.types import Ints
from safeguard.synthetic.wording import Slots, say

#: Episodes ending with a professional, per child in the partnership (over the period).
PROFESSIONAL_RATE = 0.006
#: Share of those episodes about a planted victim (after onset).
VICTIM_SHARE = 0.15
#: Innocent school pick-ups and home calls logged, per child in the partnership.
INNOCENT_RATE = 0.012
ROLE_BANK = {
    "foster_carer": "found.foster_carer",
    "care_home_staff": "found.care_home_staff",
    "youth_worker": "found.youth_worker",
    "transport_driver": "found.transport_driver",
}


@dataclass
class Carers:
    """One foster carer per foster placement row (`care` row index -> carer person)."""

    row: Ints
    carer: Ints


def add_foster_carers(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, bank: Bank, care: Care
) -> Carers:
    """A foster carer (an adult, a professional) for each foster placement."""
    rows = np.flatnonzero(care.type == "foster_care")
    councils = pop["council"][care.child[rows]]
    councils = np.where(np.isin(councils, list(COUNCIL_BY_CODE)), councils, "cheshire_east")
    carers = add_adults(
        rng,
        pop,
        gaz,
        bank,
        role="foster_carer",
        n=len(rows),
        male=0.3,
        ages=(30, 65),
        vehicle=0.8,
        councils=councils,
    )
    for role in ("foster_carer", "youth_worker", "transport_driver"):
        pop["staff_member"][pop["role"] == role] = True
    mark(pop, carers, "foster_carer")
    return Carers(rows, carers)


def _professional(
    rng: np.random.Generator,
    pop: Population,
    care: Care,
    carers: Carers,
    child: int,
    day: np.datetime64,
) -> tuple[int, str, int]:
    """Who brought the child back: (person, role, home or -1)."""
    home = int(care.home_at(np.array([child]), np.array([day]))[0])
    if home >= 0:
        staff = np.flatnonzero((pop["role"] == "care_home_staff") & (pop["home"] == home))
        if len(staff):
            return int(rng.choice(staff)), "care_home_staff", home
    rows = carers.row[care.child[carers.row] == child]
    for k, r in enumerate(rows.tolist()):
        end = care.end[r]
        if care.start[r] <= day and (np.isnat(end) or day <= end):
            return int(carers.carer[care.child[carers.row] == child][k]), "foster_carer", -1
    role = "youth_worker" if rng.random() < 0.6 else "transport_driver"
    adults = np.flatnonzero(pop["role"] == role)
    local = adults[pop["council"][adults] == pop["council"][child]]
    return int(rng.choice(local if len(local) else adults)), role, -1


def professional_returns(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    care: Care,
    carers: Carers,
    period: Period,
) -> None:
    """Missing episodes ending with a professional, as the police, council and home record them."""
    kids = np.flatnonzero(pop["is_child"] & np.isin(pop["council"], list(COUNCIL_BY_CODE)))
    dob = pop["dob"].astype("datetime64[D]")
    lo = np.maximum(dob + int(12 * YEAR_DAYS), period.start64)
    hi = np.minimum(dob + int(17.9 * YEAR_DAYS), period.end64 - 30)
    kids = kids[hi[kids] > lo[kids]]
    n = max(12, round(PROFESSIONAL_RATE * int(pop["is_child"].sum())))
    victims = kids[pop["scenario"][kids] != ""]
    lac = kids[pop["looked_after"][kids] & (pop["scenario"][kids] == "")]
    others = kids[pop["scenario"][kids] == ""]
    n_victims = min(len(victims), round(n * VICTIM_SHARE))
    n_lac = min(len(lac), n // 2)
    child = np.concatenate(
        [
            rng.choice(victims, n_victims, replace=False),
            rng.choice(lac, n_lac, replace=False),
            rng.choice(others, n - n_victims - n_lac, replace=False),
        ]
    )
    span = (hi[child] - lo[child]).astype(np.int64)
    day = lo[child] + (rng.random(len(child)) * span).astype(np.int64)
    ep = make_episodes(rng, pop, child, day, period, friend=np.full(len(child), -1))
    for i in range(len(child)):
        if not np.isnat(ep.returned[i]):
            _record(rng, ledger, pop, gaz, care, carers, ep.child[i], day[i], ep, i)
    mark(pop, np.unique(child), "found_with_professional")


def _record(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    care: Care,
    carers: Carers,
    child: int,
    day: np.datetime64,
    ep: Episodes,
    i: int,
) -> None:
    prof, role, home = _professional(rng, pop, care, carers, int(child), day)
    slots = Slots(
        name=str(pop["forename"][child]),
        girl=pop["sex"][child] == "female",
        town=str(pop["town"][child]),
        carer=f"{pop['forename'][prof]} {pop['surname'][prof]}",
    )
    place = int(rng.choice(gaz.places_of(("park", "bus_station", "shopping_centre", "takeaway"))))
    found = str(gaz.place[place]) if rng.random() < 0.6 else str(pop["address"][child])
    overnight = ep.returned[i].astype("datetime64[D]") > ep.last_seen[i].astype("datetime64[D]")
    common = {
        "reported_at": ep.reported[i],
        "last_seen_at": ep.last_seen[i],
        "returned_at": ep.returned[i],
        "found_location": found,
        "care_home_id": str(gaz.home_id[home]) if home >= 0 else "",
    }
    label = {"signal": "missing_overnight" if overnight else "missing"}
    ledger.add(
        POLICE,
        batch(
            "missing_episodes",
            [child],
            **label,
            refs={"found_with_person_ids": [(prof,)]},
            category="missing",
            risk_grade=str(ep.risk[i]),
            found_with=say(rng, "found.professional", slots),
            found_postcode=str(gaz.place_postcode[place]) if found == gaz.place[place] else "",
            notes=say(rng, "police.notes", slots),
            **{k: [v] for k, v in common.items()},
        ),
    )
    role_text = say(rng, ROLE_BANK[role], slots)
    code = str(pop["council"][child])
    if home >= 0:
        agency, notes = HOMES, role_text + "."
    elif code in COUNCIL_BY_CODE:
        agency = COUNCIL_BY_CODE[code].agency
        notes = " ".join([say(rng, "rhi.neutral", slots), say(rng, "denied.adults", slots)])
    else:
        return
    cared = role in ("foster_carer", "care_home_staff")
    ledger.add(
        agency,
        batch(
            "missing_episodes",
            [child],
            **label,
            refs={"found_with_person_ids": [(prof,)]},
            category="away_without_authorisation" if cared else "missing",
            found_with=role_text,
            notes=notes,
            **{k: [v] for k, v in common.items()},
        ),
    )


def innocent_logs(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    care: Care,
    period: Period,
) -> None:
    """Schools' logs of ordinary lifts and homes' logs of ordinary late calls."""
    kids = np.flatnonzero(pop["is_child"] & (pop["secondary"] >= 0))
    dob = pop["dob"].astype("datetime64[D]")
    lo = np.maximum(dob + int(11 * YEAR_DAYS), period.start64)
    hi = np.minimum(dob + int(16.5 * YEAR_DAYS), period.end64)
    kids = kids[hi[kids] > lo[kids]]
    n = round(INNOCENT_RATE * int(pop["is_child"].sum()))
    who = rng.choice(kids, n)
    day = school_day(
        lo[who] + (rng.random(n) * (hi[who] - lo[who]).astype(np.int64)).astype(np.int64)
    )
    notes = [say(rng, "school.innocent_car", _slots(pop, c)) for c in who.tolist()]
    desc = [say(rng, "school.innocent_description", _slots(pop, c)) for c in who.tolist()]
    ledger.add(
        SCHOOLS,
        batch(
            "sightings",
            who,
            seen_at=at_time(rng, day, 15.3, 0.3),
            location=gaz.school[pop["secondary"][who]],
            with_description=np.array(desc, dtype=str),
            source="school",
            notes=np.array(notes, dtype=str),
        ),
    )
    rows = np.flatnonzero(care.home >= 0)
    rows = rows[rng.random(len(rows)) < 0.6]
    start = np.maximum(care.start[rows], period.start64)
    end = np.where(np.isnat(care.end[rows]), period.end64, np.minimum(care.end[rows], period.end64))
    ok = end > start
    rows, start, end = rows[ok], start[ok], end[ok]
    child = care.child[rows]
    day = start + (rng.random(len(rows)) * (end - start).astype(np.int64)).astype(np.int64)
    ledger.add(
        HOMES,
        batch(
            "sightings",
            child,
            seen_at=at_time(rng, day, 23.0, 0.8),
            location=gaz.home_name[care.home[rows]],
            source="care_home_log",
            notes=np.array(
                [say(rng, "home.innocent_calls", _slots(pop, c)) for c in child.tolist()], dtype=str
            ),
        ),
    )


def _slots(pop: Population, child: int) -> Slots:
    return Slots(
        name=str(pop["forename"][child]),
        girl=pop["sex"][child] == "female",
        town=str(pop["town"][child]),
    )

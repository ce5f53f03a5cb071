"""Everyday police and probation records: incidents and who was involved, stop checks and patrol
sightings of young people, and intelligence on known offenders.

These are the records a network finder must see past: offenders who share vehicles and phones in
drug intelligence, parks and bus stations where many young people are seen together, domestic
incidents with children present.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.missing import friends
from safeguard.synthetic.period import Period
from safeguard.synthetic.places import Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, Ledger, batch
from safeguard.synthetic.timeline import at_time, occurrences, pick
from safeguard.synthetic.types import Array, Ints

POLICE, PROBATION = "cheshire-police", "probation"
CHILD_INCIDENTS = (
    ("assault", 0.25, "victim"),
    ("theft", 0.15, "suspect"),
    ("anti_social_behaviour", 0.25, "suspect"),
    ("public_order", 0.08, "suspect"),
    ("drugs", 0.07, "suspect"),
    ("concern_for_welfare", 0.1, "victim"),
    ("online_offence", 0.05, "victim"),
    ("criminal_exploitation", 0.02, "victim"),
    ("other", 0.03, "witness"),
)
ADULT_INCIDENTS = (("theft", 0.3), ("drugs", 0.25), ("assault", 0.25), ("public_order", 0.2))
SUMMARIES = {
    "assault": "Altercation outside premises; one party punched.",
    "theft": "Items taken from shop without payment.",
    "anti_social_behaviour": "Group causing annoyance to residents.",
    "public_order": "Shouting and swearing in the street; dispersal notice.",
    "drugs": "Found in possession of cannabis.",
    "concern_for_welfare": "Caller concerned for young person out late alone.",
    "online_offence": "Unsolicited messages and images from unknown account.",
    "criminal_exploitation": "Young person suspected of running drugs for older males.",
    "domestic_abuse": "Verbal argument escalated; neighbour called police.",
    "other": "Incident recorded for information.",
}
INTEL_TEXT = (
    "Subject believed to be supplying cannabis from {loc}.",
    "Subject seen associating with known drug users near {loc}.",
    "Subject uses vehicle {vrm} to move stolen property.",
    "Subject contactable on {phone}; believed to owe money to local dealers.",
)
SIGNALS = {"criminal_exploitation": "criminal_exploitation", "drugs": "drugs_or_alcohol"}


def _grades(rng: np.random.Generator, n: int) -> dict[str, Array]:
    return {
        "source_evaluation": pick(rng, (("1", 0.3), ("2", 0.5), ("3", 0.2)), n),
        "intelligence_assessment": pick(
            rng, (("a", 0.15), ("b", 0.3), ("c", 0.3), ("d", 0.2), ("e", 0.05)), n
        ),
        "handling_code": pick(rng, (("p", 0.8), ("c", 0.2)), n),
    }


def grades(rng: np.random.Generator, n: int) -> dict[str, Array]:
    """3x5x2 grades for `n` intelligence reports."""
    return _grades(rng, n)


def incidents(
    rng: np.random.Generator, ledger: Ledger, pop: Population, gaz: Gazetteer, period: Period
) -> None:
    """Incidents involving children, domestic incidents and offenders' incidents."""
    kids = np.flatnonzero(pop["is_child"])
    vul = pop["vulnerability"][kids]
    who, day = occurrences(
        rng, pop, kids, 0.05 * np.exp(0.4 * vul) / np.exp(0.4 * vul).mean(), period, (10, 18)
    )
    kind = pick(rng, tuple((k, w) for k, w, _ in CHILD_INCIDENTS), len(who))
    role = np.array([{k: r for k, _, r in CHILD_INCIDENTS}[k] for k in kind.tolist()], dtype=str)
    other = np.where(rng.random(len(who)) < 0.4, _peer(rng, pop, who), -1)
    _add(rng, ledger, pop, gaz, who, day, kind, role, other, "suspect")
    mums = np.flatnonzero(
        ~pop["is_child"] & pop["domestic_abuse_at_home"] & (pop["sex"] == "female")
    )
    who, day = occurrences(rng, pop, mums, 0.5, period)
    partner = _partner(pop, who)
    _add(
        rng,
        ledger,
        pop,
        gaz,
        who,
        day,
        np.full(len(who), "domestic_abuse"),
        np.full(len(who), "victim"),
        partner,
        "suspect",
        child_witness=True,
    )
    offenders = np.flatnonzero(pop["known_offender"])
    who, day = occurrences(rng, pop, offenders, 0.4, period)
    _add(
        rng,
        ledger,
        pop,
        gaz,
        who,
        day,
        pick(rng, ADULT_INCIDENTS, len(who)),
        np.full(len(who), "suspect"),
        np.full(len(who), -1),
        "witness",
    )


def _peer(rng: np.random.Generator, pop: Population, who: Ints) -> Ints:
    return friends(rng, pop, who)


def _partner(pop: Population, mums: Ints) -> Ints:
    hh = pop["household"]
    dads = np.flatnonzero((pop["role"] == "parent") & (pop["sex"] == "male"))
    dad_of = np.full(int(hh.max()) + 2, -1, dtype=np.int64)
    dad_of[hh[dads]] = dads
    return dad_of[hh[mums]]


def _add(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    who: Ints,
    day: Array,
    kind: Array,
    role: Array,
    other: Ints,
    other_role: str,
    child_witness: bool = False,
) -> None:
    n = len(who)
    keys = ledger.keys(POLICE, "incidents", n)
    at_home = (kind == "domestic_abuse") | (rng.random(n) < 0.3)
    place = rng.integers(0, len(gaz.place), n)
    crime = np.isin(
        kind, ["assault", "theft", "drugs", "online_offence", "criminal_exploitation"]
    ) | ((kind == "domestic_abuse") & (rng.random(n) < 0.6))
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    ref = np.char.add(
        np.char.add(
            np.char.mod("%02d/", year % 100),
            np.char.zfill(rng.integers(0, 999999, n).astype(str), 6),
        ),
        "/CR",
    )
    signal = np.array([SIGNALS.get(k, "") for k in kind.tolist()], dtype=str)
    ledger.add(
        POLICE,
        Batch(
            "incidents",
            {
                "occurred_at": at_time(rng, day, 18, 4),
                "incident_type": kind,
                "crime_reference": np.where(crime, ref, ""),
                "location": np.where(at_home, pop["address"][who], gaz.place[place]),
                "postcode": np.where(at_home, pop["postcode"][who], gaz.place_postcode[place]),
                "summary": np.array([SUMMARIES[k] for k in kind.tolist()], dtype=str),
            },
            who,
            keys=keys,
            signal=signal,
            scenario=np.full(n, ""),
        ),
    )
    inv_person = [who]
    inv_key, inv_role = [keys], [role]
    has = other >= 0
    inv_person.append(other[has])
    inv_key.append(keys[has])
    inv_role.append(np.full(int(has.sum()), other_role))
    if child_witness:
        kids = np.flatnonzero(pop["is_child"])
        first_child = np.full(int(pop["household"].max()) + 2, -1, dtype=np.int64)
        first_child[pop["household"][kids][::-1]] = kids[::-1]
        child = first_child[pop["household"][who]]
        present = (child >= 0) & (rng.random(n) < 0.5)
        inv_person.append(child[present])
        inv_key.append(keys[present])
        inv_role.append(np.full(int(present.sum()), "witness"))
    person = np.concatenate(inv_person)
    ledger.add(
        POLICE,
        Batch(
            "involvements",
            {"role": np.concatenate(inv_role)},
            person,
            key_refs={"incident_id": np.concatenate(inv_key)},
        ),
    )


def sightings(
    rng: np.random.Generator, ledger: Ledger, pop: Population, gaz: Gazetteer, period: Period
) -> None:
    """Patrol and stop-check sightings of young people in public places."""
    kids = np.flatnonzero(pop["is_child"])
    who, day = occurrences(rng, pop, kids, 0.015, period, (12, 18))
    n = len(who)
    place = rng.choice(gaz.places_of(("park", "bus_station", "shopping_centre", "takeaway")), n)
    friend = _peer(rng, pop, who)
    ledger.add(
        POLICE,
        batch(
            "sightings",
            who,
            refs={
                "with_person_ids": [
                    (int(f),) if u < 0.5 else ()
                    for f, u in zip(friend.tolist(), rng.random(n).tolist(), strict=True)
                ]
            },
            seen_at=at_time(rng, day, 20, 2.5),
            location=gaz.place[place],
            postcode=gaz.place_postcode[place],
            with_description="With other young people",
            source=pick(rng, (("patrol", 0.7), ("stop_check", 0.3)), n),
            notes="Group of youths; words of advice given",
        ),
    )


def intelligence(
    rng: np.random.Generator, ledger: Ledger, pop: Population, gaz: Gazetteer, period: Period
) -> None:
    """Police intelligence on offenders, and probation's on those it supervises."""
    offenders = np.flatnonzero(pop["known_offender"])
    supervised = np.flatnonzero(pop["supervised"])
    for agency, who_pool, rate in ((POLICE, offenders, 0.3), (PROBATION, supervised, 0.5)):
        who, day = occurrences(rng, pop, who_pool, rate, period)
        n = len(who)
        place = rng.integers(0, len(gaz.place), n)
        vrm, phone = pop["vehicle"][who], pop["phone"][who]
        template = rng.integers(0, len(INTEL_TEXT), n)
        template = np.where(
            ((template == 2) & (vrm == "")) | ((template == 3) & (phone == "")), 0, template
        )
        text = [
            INTEL_TEXT[t].format(loc=gaz.place[p], vrm=v or "unknown", phone=f or "unknown")
            for t, p, v, f in zip(
                template.tolist(), place.tolist(), vrm.tolist(), phone.tolist(), strict=True
            )
        ]
        associate = rng.choice(offenders, n)
        refs: list[tuple[int, ...]] = [
            (int(w), int(a)) if u < 0.3 and a != w else (int(w),)
            for w, a, u in zip(
                who.tolist(), associate.tolist(), rng.random(n).tolist(), strict=True
            )
        ]
        ledger.add(
            agency,
            batch(
                "intelligence",
                who,
                refs={"person_ids": refs},
                reported_at=at_time(rng, day),
                text=np.array(text, dtype=str),
                vehicles=np.where(template == 2, vrm, ""),
                phones=np.where(template == 3, phone, ""),
                locations=np.where(template < 2, gaz.place[place], ""),
                postcodes=np.where(template < 2, gaz.place_postcode[place], ""),
                **grades(rng, n),
            ),
        )

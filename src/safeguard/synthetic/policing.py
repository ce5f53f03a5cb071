"""Everyday police and probation records: incidents and who was involved, stop checks and patrol
sightings of young people, and intelligence on known offenders.

These are the records a network finder must see past: offenders who share vehicles and phones in
drug intelligence, parks and bus stations where many young people are seen together, domestic
incidents with children present.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from safeguard.synthetic.missing import friends
from safeguard.synthetic.period import Period
from safeguard.synthetic.places import Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, Ledger, batch
from safeguard.synthetic.timeline import at_time, occurrences, pick
from safeguard.synthetic.types import Array, Ints

POLICE, PROBATION = "cheshire-police", "probation"
#: Yearly rates of everyday incidents: a parent as victim, caller or driver; a child aged 5-17
#: as victim (weighted a little towards vulnerable children).
PUBLIC_ADULT_RATE, CHILD_VICTIM_RATE = 0.02, 0.015
#: Yearly rates of community intelligence on parents and on young people aged 12-17.
COMMUNITY_INTEL_RATE, YOUTH_INTEL_RATE = 0.008, 0.01
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
#: Everyday incidents in which a parent (or other adult) is the victim or calls the police:
#: (type, weight, the adult's role, share at their home address, summary). Their partner is
#: often a witness.
PUBLIC_INCIDENTS = (
    ("theft", 0.24, "victim", 1.0, "Burglary at home address; items taken while occupants out."),
    ("theft", 0.16, "victim", 0.7, "Vehicle broken into overnight; property taken."),
    ("assault", 0.12, "victim", 0.0, "Assaulted in town centre by unknown male."),
    (
        "anti_social_behaviour",
        0.16,
        "reporting_person",
        0.6,
        "Caller reports youths causing noise.",
    ),
    ("public_order", 0.07, "victim", 0.8, "Threats made during dispute with a neighbour."),
    (
        "concern_for_welfare",
        0.08,
        "reporting_person",
        0.8,
        "Caller concerned for elderly neighbour.",
    ),
    ("other", 0.12, "driver", 0.0, "Road traffic collision, damage only; details exchanged."),
    ("other", 0.05, "reporting_person", 0.0, "Lost property reported."),
)
#: Incidents in which a child aged 5-17 is the victim, usually reported by a parent: (type,
#: weight, share at their home address, summary).
CHILD_VICTIM_INCIDENTS = (
    ("theft", 0.35, 0.1, "Mobile phone or bicycle stolen from young person."),
    ("assault", 0.25, 0.0, "Young person assaulted by peers on way home from school."),
    ("anti_social_behaviour", 0.1, 0.2, "Young person targeted by group in the street."),
    ("public_order", 0.1, 0.0, "Young person threatened by another pupil."),
    ("other", 0.2, 0.0, "Young person knocked from bicycle by car; minor injuries."),
)
#: Intelligence from the community on adults and young people with no criminal record.
COMMUNITY_INTEL = (
    "Neighbours report subject driving while disqualified near {loc}.",
    "Subject believed to be growing cannabis at home address.",
    "Subject believed to be selling counterfeit goods online.",
    "Subject involved in ongoing dispute with neighbours; threats reported near {loc}.",
)
YOUTH_INTEL = (
    "Young person reported to be part of a group causing anti-social behaviour at {loc}.",
    "Young person believed to carry a knife; unconfirmed report from a member of the public.",
    "Young person seen regularly with a group of peers at {loc} after dark.",
    "Young person believed to be vandalising property near {loc}.",
)


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
    _public(rng, ledger, pop, gaz, period)


def _public(
    rng: np.random.Generator, ledger: Ledger, pop: Population, gaz: Gazetteer, period: Period
) -> None:
    """Everyday incidents of the general population: parents as victims, callers and drivers,
    their partners as witnesses; children as victims of theft and assault, reported by a parent.
    """
    parents = np.flatnonzero(pop["role"] == "parent")
    who, day = occurrences(rng, pop, parents, PUBLIC_ADULT_RATE, period)
    pick_ = rng.choice(len(PUBLIC_INCIDENTS), len(who), p=_weights(PUBLIC_INCIDENTS))
    partner = _other_parent(pop, who)
    other = np.where(rng.random(len(who)) < 0.35, partner, -1)
    _add(
        rng,
        ledger,
        pop,
        gaz,
        who,
        day,
        np.array([PUBLIC_INCIDENTS[i][0] for i in pick_.tolist()], dtype=str),
        np.array([PUBLIC_INCIDENTS[i][2] for i in pick_.tolist()], dtype=str),
        other,
        "witness",
        summary=np.array([PUBLIC_INCIDENTS[i][4] for i in pick_.tolist()], dtype=str),
        home=rng.random(len(who)) < np.array([r[3] for r in PUBLIC_INCIDENTS])[pick_],
    )
    kids = np.flatnonzero(pop["is_child"])
    vul = pop["vulnerability"][kids]
    who, day = occurrences(
        rng,
        pop,
        kids,
        CHILD_VICTIM_RATE * np.exp(0.3 * vul) / np.exp(0.3 * vul).mean(),
        period,
        (5, 18),
    )
    pick_ = rng.choice(len(CHILD_VICTIM_INCIDENTS), len(who), p=_weights(CHILD_VICTIM_INCIDENTS))
    parent = np.where(rng.random(len(who)) < 0.5, pop["parent1"][who], pop["parent2"][who])
    parent = np.where(parent >= 0, parent, pop["parent1"][who])
    other = np.where(rng.random(len(who)) < 0.75, parent, -1)
    _add(
        rng,
        ledger,
        pop,
        gaz,
        who,
        day,
        np.array([CHILD_VICTIM_INCIDENTS[i][0] for i in pick_.tolist()], dtype=str),
        np.full(len(who), "victim"),
        other,
        "reporting_person",
        summary=np.array([CHILD_VICTIM_INCIDENTS[i][3] for i in pick_.tolist()], dtype=str),
        home=rng.random(len(who)) < np.array([r[2] for r in CHILD_VICTIM_INCIDENTS])[pick_],
    )


def _weights(table: tuple[tuple[Any, ...], ...]) -> Array:
    w = np.array([row[1] for row in table], dtype=float)
    return np.asarray(w / w.sum())


def _other_parent(pop: Population, parents: Ints) -> Ints:
    """Each parent's partner in the household (-1 for a lone parent)."""
    hh = pop["household"]
    mums = np.flatnonzero((pop["role"] == "parent") & (pop["sex"] == "female"))
    mum_of = np.full(int(hh.max()) + 2, -1, dtype=np.int64)
    mum_of[hh[mums]] = mums
    dad_of = _partner(pop, mums)
    dad_by_hh = np.full(int(hh.max()) + 2, -1, dtype=np.int64)
    dad_by_hh[hh[mums]] = dad_of
    female = pop["sex"][parents] == "female"
    return np.where(female, dad_by_hh[hh[parents]], mum_of[hh[parents]])


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
    summary: Array | None = None,
    home: Array | None = None,
) -> None:
    """Incidents of `kind` about `who`, with their involvements; `summary` and `home` (whether it
    happened at the subject's address) default to the kind's summary and 30% at home."""
    n = len(who)
    keys = ledger.keys(POLICE, "incidents", n)
    at_home = (kind == "domestic_abuse") | (rng.random(n) < 0.3)
    if home is not None:
        at_home = home
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
                "summary": summary
                if summary is not None
                else np.array([SUMMARIES[k] for k in kind.tolist()], dtype=str),
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
    _community_intelligence(rng, ledger, pop, gaz, period)


def _community_intelligence(
    rng: np.random.Generator, ledger: Ledger, pop: Population, gaz: Gazetteer, period: Period
) -> None:
    """Police intelligence from the public on parents and young people with no record."""
    parents = np.flatnonzero(pop["role"] == "parent")
    kids = np.flatnonzero(pop["is_child"])
    adult_who, adult_day = occurrences(rng, pop, parents, COMMUNITY_INTEL_RATE, period)
    youth_who, youth_day = occurrences(rng, pop, kids, YOUTH_INTEL_RATE, period, (12, 18))
    who = np.concatenate([adult_who, youth_who])
    day = np.concatenate([adult_day, youth_day])
    n, n_adult = len(who), len(adult_who)
    texts = np.array(COMMUNITY_INTEL + YOUTH_INTEL, dtype=str)
    template = np.where(
        np.arange(n) < n_adult,
        rng.integers(0, len(COMMUNITY_INTEL), n),
        len(COMMUNITY_INTEL) + rng.integers(0, len(YOUTH_INTEL), n),
    )
    place = rng.integers(0, len(gaz.place), n)
    has_loc = np.char.find(texts[template], "{loc}") >= 0
    text = np.array(
        [
            t.format(loc=gaz.place[p])
            for t, p in zip(texts[template].tolist(), place.tolist(), strict=True)
        ],
        dtype=str,
    )
    ledger.add(
        POLICE,
        batch(
            "intelligence",
            who,
            refs={"person_ids": [(int(w),) for w in who.tolist()]},
            reported_at=at_time(rng, day),
            text=text,
            locations=np.where(has_loc, gaz.place[place], ""),
            postcodes=np.where(has_loc, gaz.place_postcode[place], ""),
            **grades(rng, n),
        ),
    )

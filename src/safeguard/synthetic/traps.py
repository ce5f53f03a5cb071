"""Traps: true negatives that look like positives, so that detection is not trivial.

- `vulnerable_child`: children who are not exploited but go missing repeatedly, miss school, harm
  themselves and are the subject of contacts: screening must not call them victims on signs alone.
- `care_home_staff`, `transport_driver`, `youth_worker`: adults who legitimately meet many
  children, collect them in vehicles (a home's car, a school minibus) and are logged doing so.
- `common_name`: different people with the same common name and a similar date of birth.
- `twin`: twins share surname, date of birth and address; only the forename tells them apart.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.background import education_batch
from safeguard.synthetic.care import Care
from safeguard.synthetic.missing import Episodes, make_episodes
from safeguard.synthetic.period import YEAR_DAYS, Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.policing import POLICE
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Ledger, batch
from safeguard.synthetic.signals import HOMES, NHS, SCHOOLS
from safeguard.synthetic.social_care import CATEGORY_TEXT
from safeguard.synthetic.timeline import at_time, school_day
from safeguard.synthetic.types import Ints

COMMON = (
    ("Jordan", "Brown", "male"),
    ("Jack", "Smith", "male"),
    ("Olivia", "Jones", "female"),
    ("Chloe", "Taylor", "female"),
    ("Katie", "Williams", "female"),
    ("Ryan", "Smith", "male"),
    ("Megan", "Davies", "female"),
    ("Liam", "Wilson", "male"),
)


def mark(pop: Population, who: Ints, trap: str) -> None:
    """Add a trap label to people (a person may carry several, separated by `;`)."""
    col = pop["trap"].astype(object)
    for i in who.tolist():
        col[i] = f"{col[i]};{trap}" if col[i] else trap
    pop["trap"] = col.astype(str)


def common_names(rng: np.random.Generator, pop: Population, pairs: int) -> None:
    """Give pairs of unrelated children of the same sex and similar age the same common name."""
    kids = np.flatnonzero(pop["is_child"] & (pop["scenario"] == "") & ~pop["twin"])
    order = kids[np.argsort(pop["dob"][kids], kind="stable")]
    starts = rng.choice(
        len(order) - 60, size=min(pairs, max(1, (len(order) - 60) // 60)), replace=False
    )
    chosen: list[int] = []
    for k, s in enumerate(starts.tolist()):
        fore, sur, sex = COMMON[k % len(COMMON)]
        window = order[s : s + 60]
        same = window[(pop["sex"][window] == sex)]
        same = same[pop["household"][same] != pop["household"][same[0]]] if len(same) else same
        if len(same) < 2 or same[0] in chosen or same[1] in chosen:
            continue
        a, b = int(same[0]), int(same[1])
        pop["forename"][[a, b]] = fore
        pop["surname"][[a, b]] = sur
        chosen += [a, b]
    mark(pop, np.array(chosen, dtype=np.int64), "common_name")
    mark(pop, np.flatnonzero(pop["twin"]), "twin")


def vulnerable_children(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    period: Period,
    n: int,
) -> Episodes:
    """Not exploited, but with many of the signs; returns their extra missing episodes."""
    dob = pop["dob"].astype("datetime64[D]")
    teen = (dob + int(15 * YEAR_DAYS) < period.end64) & (dob + int(17 * YEAR_DAYS) > period.start64)
    ok = pop["is_child"] & (pop["scenario"] == "") & teen
    cand = np.flatnonzero(ok)
    w = np.exp(0.7 * pop["vulnerability"][cand])
    who = rng.choice(cand, min(n, len(cand)), replace=False, p=w / w.sum())
    mark(pop, who, "vulnerable_child")
    # the troubled year: mostly at 15-17, the ages when children go missing most
    lo = np.maximum(dob[who] + int(14.5 * YEAR_DAYS), period.start64)
    hi = np.minimum(dob[who] + int(17.9 * YEAR_DAYS), period.end64 - 1)
    start = lo + (rng.random(len(who)) * np.maximum((hi - lo).astype(np.int64) - 300, 1)).astype(
        np.int64
    )
    span = np.clip((hi - start).astype(np.int64), 1, 300)
    counts = rng.integers(2, 7, len(who))
    child = np.repeat(who, counts)
    day = np.repeat(start, counts) + (rng.random(len(child)) * np.repeat(span, counts)).astype(int)
    episodes = make_episodes(rng, pop, child, day, period)
    one_each = start + (rng.random(len(who)) * span).astype(np.int64)
    ledger.add(
        SCHOOLS,
        education_batch(
            rng,
            pop,
            gaz,
            who,
            school_day(one_each),
            np.full(len(who), "persistent_absence"),
            np.full(len(who), "persistent_absence"),
        ),
    )
    harm = who[rng.random(len(who)) < 0.5]
    when = one_each[np.isin(who, harm)]
    ledger.add(
        NHS,
        batch(
            "health_events",
            harm,
            signal="self_harm",
            attended_at=at_time(rng, when + 20, 22, 2),
            setting="emergency_department",
            event_code="self_harm",
            notes="Self-harm after argument at home; CAMHS referral",
        ),
    )
    for code, council in COUNCIL_BY_CODE.items():
        mine = who[pop["council"][who] == code]
        if len(mine):
            ledger.add(
                council.agency,
                batch(
                    "contacts",
                    mine,
                    signal="staying_out_late",
                    received_at=at_time(rng, one_each[np.isin(who, mine)] + 40, 11, 2),
                    referrer_agency="school",
                    referrer_role="Designated safeguarding lead",
                    concern_categories="missing;mental_health",
                    text=CATEGORY_TEXT["missing"],
                ),
            )
    return episodes


def legitimate_adults(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    care: Care,
    period: Period,
) -> None:
    """Logs and sightings of staff, drivers and youth workers with the children they work with."""
    _home_logs(rng, ledger, pop, gaz, care, period)
    kids = np.flatnonzero(pop["is_child"])
    for role, source, per_year, notes, signal in (
        (
            "transport_driver",
            "anpr",
            2.0,
            "School transport minibus on contract route",
            "seen_in_vehicle_with_adult",
        ),
        ("youth_worker", "patrol", 3.0, "Youth club outing; youth worker present", ""),
    ):
        adults = np.flatnonzero(pop["role"] == role)
        mark(pop, adults, role)
        for a in adults.tolist():
            local = kids[(pop["council"][kids] == pop["council"][a])]
            pupils = rng.choice(local, min(len(local), int(rng.integers(6, 13))), replace=False)
            n = max(1, int(rng.poisson(per_year * period.days / YEAR_DAYS)))
            child = rng.choice(pupils, n)
            day = period.start64 + rng.integers(0, period.days, n)
            place = rng.integers(0, len(gaz.place), n)
            ledger.add(
                POLICE,
                batch(
                    "sightings",
                    child,
                    signal=signal,
                    refs={"with_person_ids": [(a,)] * n},
                    seen_at=at_time(rng, day, 16, 2),
                    location=gaz.place[place],
                    postcode=gaz.place_postcode[place],
                    vehicle=str(pop["vehicle"][a]) if role == "transport_driver" else "",
                    source=source,
                    notes=notes,
                ),
            )
    mark(pop, np.flatnonzero(pop["role"] == "care_home_staff"), "care_home_staff")


def _home_logs(
    rng: np.random.Generator,
    ledger: Ledger,
    pop: Population,
    gaz: Gazetteer,
    care: Care,
    period: Period,
) -> None:
    """Home logs of staff outings (in the home's car) and family contact visits."""
    all_staff = np.flatnonzero(pop["role"] == "care_home_staff")
    for r in np.flatnonzero(care.home >= 0).tolist():
        child, home = int(care.child[r]), int(care.home[r])
        lo = max(care.start[r], period.start64)
        hi = min(care.end[r] if not np.isnat(care.end[r]) else period.end64, period.end64)
        days = int((hi - lo).astype(np.int64))
        if days <= 0:
            continue
        staff = all_staff[pop["home"][all_staff] == home]
        n = int(rng.poisson(8 * days / YEAR_DAYS))
        if n == 0 or len(staff) == 0:
            continue
        family = int(pop["parent1"][child])
        by_staff = (rng.random(n) < 0.6) | (family < 0)
        who = np.where(by_staff, rng.choice(staff, n), family)
        day = lo + rng.integers(0, days, n)
        ledger.add(
            HOMES,
            batch(
                "sightings",
                np.full(n, child),
                refs={"with_person_ids": [(int(w),) for w in who]},
                seen_at=at_time(rng, day, 15, 3),
                location=gaz.home_name[home],
                postcode=gaz.home_postcode[home],
                vehicle=np.where(by_staff, pop["vehicle"][who], ""),
                source="care_home_log",
                notes=np.where(
                    by_staff,
                    "Taken to activity by staff in the home's car",
                    "Collected by mother for family time",
                ),
            ),
        )

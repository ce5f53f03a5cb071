"""Planted exploitation scenarios: who is exploited, by whom, where, with which cars and phones.

Models follow the Pan-Cheshire protocol: "boyfriend", organised network, peer-on-peer (about a
quarter of cases: 27% of 1,065 cases in the OCC inquiry), online and opportunistic. Victims are
mostly girls aged 12-16, more often vulnerable, and about one in six looked after (OCC 2010-11).
Perpetrators are drawn from the same population mix as everyone else: the generator plants no
ethnic or other group pattern that a detector could learn instead of the evidence.
`signals` turns each scenario into the partial records different agencies hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from safeguard.synthetic.adults import Bank, add_adults
from safeguard.synthetic.period import EXTRACT_DATE, YEAR_DAYS, Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.types import Array

MODELS = (
    ("boyfriend", 0.27),
    ("organised", 0.08),
    ("peer_on_peer", 0.30),
    ("online", 0.20),
    ("opportunistic", 0.15),
)
#: Scenarios per child over five years (the count scales with children and years).
SCENARIO_RATE = 0.003
LOOKED_AFTER_VICTIMS = 0.18
#: Perpetrators per model: (how many, ages at onset, share already known to police).
PERPETRATORS = {
    "boyfriend": ((1, 1), (18, 28), 0.3),
    "organised": ((2, 5), (20, 45), 0.6),
    "online": ((1, 1), (20, 50), 0.2),
    "opportunistic": ((1, 2), (18, 40), 0.3),
}
VICTIMS = {
    "organised": (3, 7),
    "peer_on_peer": (1, 1),
    "boyfriend": (1, 1),
    "online": (1, 1),
    "opportunistic": (1, 2),
}
PLACE_KINDS = {
    "organised": ("takeaway", "flat", "park"),
    "boyfriend": ("flat",),
    "peer_on_peer": ("park",),
    "online": ("hotel",),
    "opportunistic": ("park", "car_park", "hotel"),
}


@dataclass
class Scenario:
    """One planted scenario: its model, onset, people, places, vehicles and phones."""

    id: str
    model: str
    onset: np.datetime64
    council: str
    victims: list[int]
    victim_onsets: list[np.datetime64]
    perpetrators: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    vehicles: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


class _Victims:
    """Children who could be victims: aged 12-16 at some time in the period, not yet taken."""

    def __init__(self, pop: Population, period: Period) -> None:
        dob = pop["dob"].astype("datetime64[D]")
        self.lo = np.maximum(dob + int(12 * YEAR_DAYS), period.start64 + 30)
        self.hi = np.minimum(dob + int(16.5 * YEAR_DAYS), period.end64 - 120)
        self.ok = pop["is_child"] & (self.hi > self.lo)
        vul = pop["vulnerability"]
        self.weight = np.exp(0.5 * vul) * np.where(pop["sex"] == "female", 4.0, 1.0)
        self.lac = pop["looked_after"]
        self.council = pop["council"]

    def pick(
        self,
        rng: np.random.Generator,
        council: str | None = None,
        around: np.datetime64 | None = None,
    ) -> int | None:
        ok = self.ok.copy()
        if council is not None:
            ok &= self.council == council
        if around is not None:
            ok &= (self.lo <= around + 240) & (self.hi >= around)
        lac = rng.random() < LOOKED_AFTER_VICTIMS
        pool = np.flatnonzero(ok & (self.lac == lac))
        if len(pool) == 0:
            pool = np.flatnonzero(ok)
        if len(pool) == 0:
            return None
        w = self.weight[pool]
        chosen = int(rng.choice(pool, p=w / w.sum()))
        self.ok[chosen] = False
        return chosen

    def onset(
        self, rng: np.random.Generator, child: int, around: np.datetime64 | None
    ) -> np.datetime64:
        lo, hi = self.lo[child], self.hi[child]
        if around is not None:
            lo = max(lo, around)
            hi = min(hi, around + 240)
        return np.datetime64(lo + int(rng.integers(0, max(1, int((hi - lo).astype(np.int64))))))


def plant(
    rng: np.random.Generator,
    pop: Population,
    gaz: Gazetteer,
    bank: Bank,
    period: Period,
    children: int,
) -> list[Scenario]:
    """Plant scenarios of every model, adding their adult perpetrators to the population."""
    total = max(len(MODELS), round(children * SCENARIO_RATE * period.days / (5 * YEAR_DAYS)))
    models = [m for m, share in MODELS for _ in range(max(1, round(total * share)))]
    models = [models[i] for i in rng.permutation(len(models))]
    pool = _Victims(pop, period)
    scenarios: list[Scenario] = []
    for k, model in enumerate(models):
        first = pool.pick(rng)
        if first is None:
            break
        onset = pool.onset(rng, first, None)
        council = str(pop["council"][first])
        if council not in COUNCIL_BY_CODE:
            council = str(gaz.home_council[max(0, int(pop["home"][first]))])
        scen = Scenario(f"S{k + 1:04d}", model, onset, council, [first], [onset])
        lo, hi = VICTIMS[model]
        for _ in range(int(rng.integers(lo, hi + 1)) - 1):
            more = pool.pick(rng, council, onset)
            if more is not None:
                scen.victims.append(more)
                scen.victim_onsets.append(pool.onset(rng, more, onset))
        scenarios.append(scen)
    _perpetrators(rng, pop, gaz, bank, scenarios, pool)
    for scen in scenarios:
        _assets(rng, pop, gaz, bank, scen)
    return scenarios


def _perpetrators(
    rng: np.random.Generator,
    pop: Population,
    gaz: Gazetteer,
    bank: Bank,
    scenarios: list[Scenario],
    pool: _Victims,
) -> None:
    ages: list[float] = []
    councils: list[str] = []
    owners: list[Scenario] = []
    known: list[bool] = []
    for scen in scenarios:
        if scen.model == "peer_on_peer":
            scen.perpetrators = _peers(rng, pop, scen, pool)
            continue
        (lo, hi), (age_lo, age_hi), share = PERPETRATORS[scen.model]
        gap = (np.datetime64(EXTRACT_DATE, "D") - scen.onset).astype(np.int64) / YEAR_DAYS
        for _ in range(int(rng.integers(lo, hi + 1))):
            ages.append(float(rng.uniform(age_lo, age_hi)) + gap)
            councils.append(scen.council)
            owners.append(scen)
            known.append(bool(rng.random() < share))
    if not owners:
        return
    idx = add_adults(
        rng,
        pop,
        gaz,
        bank,
        role="perpetrator",
        n=len(owners),
        male=0.95,
        ages=np.array(ages),
        phone=1.0,
        vehicle=0.8,
        councils=np.array(councils),
    )
    pop["known_offender"][idx] = np.array(known)
    pop["supervised"][idx] = np.array(known) & (rng.random(len(idx)) < 0.4)
    pop["registered_sex_offender"][idx] = np.array(known) & (rng.random(len(idx)) < 0.15)
    for scen, i in zip(owners, idx.tolist(), strict=True):
        scen.perpetrators.append(i)


def _peers(rng: np.random.Generator, pop: Population, scen: Scenario, pool: _Victims) -> list[int]:
    victim = scen.victims[0]
    older = (pop["dob"][victim] - pop["dob"]).astype(np.int64) / YEAR_DAYS
    ok = (pool.council == scen.council) & pop["is_child"] & (older >= 0.5) & (older <= 3)
    ok &= (pop["scenario"] == "") & (np.arange(len(pop)) != victim)
    ok &= pool.ok | ~pop["is_child"]
    weight = np.where(pop["sex"] == "male", 6.0, 1.0)
    cand = np.flatnonzero(ok)
    if len(cand) == 0:
        cand = np.flatnonzero(pop["is_child"] & (np.arange(len(pop)) != victim))
    n = 2 if rng.random() < 0.2 and len(cand) > 1 else 1
    chosen = rng.choice(cand, n, replace=False, p=weight[cand] / weight[cand].sum())
    pool.ok[chosen] = False
    return [int(c) for c in chosen]


def _assets(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, bank: Bank, scen: Scenario
) -> None:
    for kind in PLACE_KINDS[scen.model]:
        local = np.flatnonzero((gaz.place_kind == kind) & (gaz.place_council == scen.council))
        if len(local) == 0:
            local = np.flatnonzero(gaz.place_kind == kind)
        scen.places.append(int(rng.choice(local)))
    for p in scen.perpetrators:
        pop["scenario"][p] = scen.id
        if pop["vehicle"][p]:
            scen.vehicles.append(str(pop["vehicle"][p]))
        if pop["phone"][p]:
            scen.phones.append(str(pop["phone"][p]))
    if scen.model == "organised":
        scen.phones.append(str(bank.phones(1)[0]))  # a shared "work" phone
    for v in scen.victims:
        pop["scenario"][v] = scen.id


def victim_age(pop: Population, child: int, when: np.datetime64) -> int:
    """Whole years of age on a date, as a report would say it."""
    return int((when - pop["dob"][child].astype("datetime64[D]")).astype(np.int64) // YEAR_DAYS)


def as_array(values: list[int]) -> Array:
    return np.array(values, dtype=np.int64)

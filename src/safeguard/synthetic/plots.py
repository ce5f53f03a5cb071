"""Planted scenarios of the council-led family: the same models, other shapes of evidence.

Each scenario has a shape besides its model: a boyfriend with one victim, or one adult known only
by a nickname and a phone who grooms two children; an organised network that shows mostly as the
same few places; two children joined only by the car that picks them up months apart, or only by
the flat they are both found at; peer-on-peer
exploitation by a child a little older, or by a young adult of 18 or 19. A quarter of victims are
16 or 17 at onset, so an age gap alone does not tell victim from exploiter. The scenario rate and
the share of each model are the police-led family's, so the two families are comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from safeguard.synthetic.adults import Bank, add_adults
from safeguard.synthetic.care import Care
from safeguard.synthetic.period import EXTRACT_DATE, YEAR_DAYS, Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.scenarios import SCENARIO_RATE, Scenario

#: (model, shape, share of scenarios); the models' shares are the police-led family's.
SHAPES = (
    ("boyfriend", "single", 0.17),
    ("boyfriend", "nickname_pair", 0.10),
    ("organised", "place_network", 0.08),
    ("opportunistic", "vehicle_pair", 0.06),
    ("opportunistic", "place_pair", 0.05),
    ("opportunistic", "single", 0.04),
    ("peer_on_peer", "peer", 0.20),
    ("peer_on_peer", "young_adult", 0.10),
    ("online", "single", 0.20),
)
VICTIMS = {
    "nickname_pair": (2, 2),
    "vehicle_pair": (2, 2),
    "place_pair": (2, 2),
    "place_network": (3, 6),
}
#: Pairs of victims joined by one thing only (a nickname and phone, a car, a place).
PAIRS = ("nickname_pair", "vehicle_pair", "place_pair")
#: Adult exploiters per shape: (how many, ages at onset, share known to police, share with a car).
ADULTS = {
    ("boyfriend", "single"): ((1, 1), (19, 32), 0.25, 0.7),
    ("boyfriend", "nickname_pair"): ((1, 1), (20, 35), 0.0, 0.0),
    ("organised", "place_network"): ((2, 4), (20, 45), 0.5, 0.8),
    ("opportunistic", "vehicle_pair"): ((1, 1), (22, 50), 0.3, 1.0),
    ("opportunistic", "place_pair"): ((1, 2), (20, 45), 0.3, 0.0),
    ("opportunistic", "single"): ((1, 2), (18, 40), 0.3, 0.6),
    ("peer_on_peer", "young_adult"): ((1, 1), (18, 19.9), 0.2, 0.3),
    ("online", "single"): ((1, 1), (20, 50), 0.15, 0.3),
}
#: Kinds of place each shape uses (a pair joined by a car shares no place).
PLACES = {
    ("boyfriend", "single"): ("flat",),
    ("boyfriend", "nickname_pair"): (),
    ("organised", "place_network"): ("takeaway", "flat", "hotel"),
    ("opportunistic", "vehicle_pair"): (),
    ("opportunistic", "place_pair"): ("flat", "takeaway"),
    ("opportunistic", "single"): ("park", "car_park"),
    ("peer_on_peer", "peer"): ("park",),
    ("peer_on_peer", "young_adult"): ("park",),
    ("online", "single"): ("hotel",),
}
#: Victims 16 or 17 at onset: every fourth scenario's first victim, and a share of the others.
OLDER_SHARE = 0.25
#: Victims looked after (more than the police-led family's 18%: this family's evidence is the
#: councils' and the homes'), and how much likelier a child who lived in a home is chosen.
LOOKED_AFTER_VICTIMS, HOME_WEIGHT = 0.3, 4.0
NICKNAMES = (
    "Dink",
    "Smiley",
    "Taz",
    "Bugsy",
    "Snowy",
    "Ace",
    "Tiny",
    "Rocco",
    "Zee",
    "Skinny",
    "Boss",
    "Jay-Jay",
    "Moose",
    "Kev D",
)


@dataclass
class Plot:
    """A council-led scenario: the scenario itself, its shape and what only this family knows."""

    scen: Scenario
    shape: str
    older: list[bool] = field(default_factory=list)
    nickname: str = ""


class Pool:
    """Children who could be victims: aged 12-16 (or 16-17 for older victims) in the period."""

    def __init__(self, pop: Population, period: Period, care: Care) -> None:
        self.dob = pop["dob"].astype("datetime64[D]")
        self.first, self.last = period.start64 + 30, period.end64 - 120
        self.free = pop["is_child"].copy()
        girl = np.where(pop["sex"] == "female", 4.0, 1.0)
        home = np.where(np.isin(np.arange(len(pop)), care.child[care.home >= 0]), HOME_WEIGHT, 1.0)
        self.weight = np.exp(0.5 * pop["vulnerability"]) * girl * home
        self.lac, self.council = pop["looked_after"], pop["council"]

    def window(self, older: bool) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = (16.0, 17.7) if older else (12.0, 16.0)
        return (
            np.maximum(self.dob + int(lo * YEAR_DAYS), self.first),
            np.minimum(self.dob + int(hi * YEAR_DAYS), self.last),
        )

    def pick(
        self,
        rng: np.random.Generator,
        older: bool,
        council: str | None = None,
        around: np.datetime64 | None = None,
    ) -> tuple[int, np.datetime64] | None:
        """A victim and their onset (within 240 days after `around` when given)."""
        lo, hi = self.window(older)
        ok = self.free & (hi > lo)
        if council is not None:
            ok &= self.council == council
        if around is not None:
            ok &= (lo <= around + 240) & (hi >= around)
        lac = rng.random() < LOOKED_AFTER_VICTIMS
        pool = np.flatnonzero(ok & (self.lac == lac))
        if len(pool) == 0:
            pool = np.flatnonzero(ok)
        if len(pool) == 0:
            return None
        w = self.weight[pool]
        child = int(rng.choice(pool, p=w / w.sum()))
        self.free[child] = False
        start, end = lo[child], hi[child]
        if around is not None:
            start, end = max(start, around), min(end, around + 240)
        span = max(1, int((end - start).astype(np.int64)))
        return child, np.datetime64(start + int(rng.integers(0, span)))


def plant_plots(
    rng: np.random.Generator,
    pop: Population,
    gaz: Gazetteer,
    bank: Bank,
    care: Care,
    period: Period,
    children: int,
) -> list[Plot]:
    """Plant every shape (at least one of each), adding adult exploiters to the population."""
    total = max(len(SHAPES), round(children * SCENARIO_RATE * period.days / (5 * YEAR_DAYS)))
    kinds = [(m, s) for m, s, share in SHAPES for _ in range(max(1, round(total * share)))]
    kinds = [kinds[i] for i in rng.permutation(len(kinds))]
    pool = Pool(pop, period, care)
    plots: list[Plot] = []
    for k, (model, shape) in enumerate(kinds):
        older = k % 4 == 1 or shape == "young_adult"
        first = pool.pick(rng, older)
        if first is None:
            break
        child, onset = first
        council = str(pop["council"][child])
        if council not in COUNCIL_BY_CODE:
            council = str(gaz.home_council[max(0, int(pop["home"][child]))])
        scen = Scenario(f"S{k + 1:04d}", model, onset, council, [child], [onset])
        plot = Plot(scen, shape, [older])
        lo, hi = VICTIMS.get(shape, (1, 1))
        for _ in range(int(rng.integers(lo, hi + 1)) - 1):
            more_older = bool(rng.random() < OLDER_SHARE)
            more = pool.pick(rng, more_older, council, onset)
            if more is not None:
                scen.victims.append(more[0])
                scen.victim_onsets.append(more[1])
                plot.older.append(more_older)
        plots.append(plot)
    for plot in plots:
        if plot.shape == "peer":
            plot.scen.perpetrators = _peers(rng, pop, plot.scen, pool)
    _adults(rng, pop, gaz, bank, plots)
    for plot in plots:
        _assets(rng, pop, gaz, bank, plot)
    return plots


def _adults(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, bank: Bank, plots: list[Plot]
) -> None:
    ages: list[float] = []
    owners: list[Plot] = []
    known: list[bool] = []
    cars: list[bool] = []
    for plot in plots:
        spec = ADULTS.get((plot.scen.model, plot.shape))
        if spec is None:
            continue
        (lo, hi), (age_lo, age_hi), share, car = spec
        gap = (np.datetime64(EXTRACT_DATE, "D") - plot.scen.onset).astype(np.int64) / YEAR_DAYS
        for _ in range(int(rng.integers(lo, hi + 1))):
            ages.append(float(rng.uniform(age_lo, age_hi)) + gap)
            owners.append(plot)
            known.append(bool(rng.random() < share))
            cars.append(bool(rng.random() < car))
    if not owners:
        return
    councils = np.array([p.scen.council for p in owners])
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
        vehicle=0.0,
        councils=councils,
    )
    has_car = np.array(cars)
    pop["vehicle"][idx[has_car]] = bank.vehicles(int(has_car.sum()))
    is_known = np.array(known)
    first_network = next((i for i, p in enumerate(owners) if p.shape == "place_network"), 0)
    is_known[first_network] = owners[first_network].shape != "nickname_pair"
    pop["known_offender"][idx] = is_known
    supervised = is_known & (rng.random(len(idx)) < 0.5)
    supervised[first_network] = is_known[first_network]  # probation sees at least one network
    pop["supervised"][idx] = supervised
    pop["registered_sex_offender"][idx] = is_known & (rng.random(len(idx)) < 0.15)
    for plot, i in zip(owners, idx.tolist(), strict=True):
        plot.scen.perpetrators.append(i)


def _peers(rng: np.random.Generator, pop: Population, scen: Scenario, pool: Pool) -> list[int]:
    """A child six months to three years older, in the same council, not otherwise involved."""
    victim = scen.victims[0]
    older = (pop["dob"][victim] - pop["dob"]).astype(np.int64) / YEAR_DAYS
    ok = (pool.council == scen.council) & pop["is_child"] & (older >= 0.5) & (older <= 3)
    ok &= (pop["scenario"] == "") & pool.free
    cand = np.flatnonzero(ok)
    if len(cand) == 0:
        cand = np.flatnonzero(pop["is_child"] & pool.free)
    weight = np.where(pop["sex"][cand] == "male", 6.0, 1.0)
    chosen = int(rng.choice(cand, p=weight / weight.sum()))
    pool.free[chosen] = False
    return [chosen]


def _assets(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, bank: Bank, plot: Plot
) -> None:
    scen = plot.scen
    kinds = PLACES[(scen.model, plot.shape)]
    if plot.shape in ("place_network", "place_pair"):
        kinds = kinds[: int(rng.integers(len(kinds) - 1, len(kinds) + 1))]
    for kind in kinds:
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
    if plot.shape == "place_network":
        scen.phones.append(str(bank.phones(1)[0]))  # a shared "work" phone
    if plot.shape == "nickname_pair":
        plot.nickname = NICKNAMES[int(rng.integers(len(NICKNAMES)))]
    for v in scen.victims:
        pop["scenario"][v] = scen.id


def set_nicknames(pop: Population, plots: list[Plot]) -> None:
    """Nickname-only adults keep their nickname as their alias (after aliases are handed out)."""
    alias = pop["alias"].astype(object)
    for plot in plots:
        if plot.nickname:
            alias[plot.scen.perpetrators] = plot.nickname
    pop["alias"] = alias.astype(str)

"""Generate a whole partnership: population, records, deliveries and truth, in that order.

Each stage draws from its own random stream (spawned from the seed), so changing one stage's
draws does not shift any other's, and the same arguments always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from safeguard.synthetic.adults import (
    Bank,
    add_adults,
    add_parents,
    assign_identifiers,
    assign_phones,
    give_aliases,
)
from safeguard.synthetic.background import education_events, health_events
from safeguard.synthetic.care import Care, add_out_of_area, place_children
from safeguard.synthetic.council import play as play_council
from safeguard.synthetic.deliveries import Table, build, make_thin
from safeguard.synthetic.desk import Desk
from safeguard.synthetic.families import POLICE_LED, agencies_for, check, finish
from safeguard.synthetic.lookalikes import (
    Carers,
    add_foster_carers,
    innocent_logs,
    professional_returns,
)
from safeguard.synthetic.missing import Episodes, background_episodes
from safeguard.synthetic.period import Period
from safeguard.synthetic.places import Gazetteer, build_gazetteer
from safeguard.synthetic.plots import Plot, plant_plots, set_nicknames
from safeguard.synthetic.policing import POLICE, incidents, intelligence, sightings
from safeguard.synthetic.population import Population, build_children
from safeguard.synthetic.records import Ledger
from safeguard.synthetic.reporting import record_episodes
from safeguard.synthetic.reword import reword
from safeguard.synthetic.scenarios import Scenario, plant
from safeguard.synthetic.signals import HOMES, NHS, SCHOOLS, Planter
from safeguard.synthetic.social_care import care_homes, contacts, placements
from safeguard.synthetic.storylines import play
from safeguard.synthetic.traps import common_names, legitimate_adults, vulnerable_children
from safeguard.synthetic.truth import write_truth
from safeguard.synthetic.writer import write_delivery

Progress = Callable[[str, float], None]
Streams = Iterator[np.random.Generator]
STAFF_PER_HOME = 5
#: Children placed in each home by councils outside the partnership over the period.
OUT_OF_AREA_PER_HOME = 3


@dataclass
class World:
    """The true state of the partnership before any agency writes it down."""

    pop: Population
    gaz: Gazetteer
    care: Care
    bank: Bank
    period: Period
    scenarios: list[Scenario]
    #: The council-led family's scenarios with their shapes (empty for the police-led family).
    plots: list[Plot] = field(default_factory=list)
    carers: Carers | None = None


def _quiet(stage: str, fraction: float) -> None:
    """The default progress callback: say nothing."""


def generate(
    out: Path,
    *,
    children: int = 5000,
    years: int = 5,
    seed: int = 1,
    family: str = POLICE_LED,
    thin: Collection[str] = (),
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Generate a synthetic partnership into `out` and return its summary.

    Writes one delivery folder per agency (manifest plus one file per record kind) and
    `out/truth/` (persons, records, scenarios, summary; the summary is also returned).
    `progress(stage, fraction)` is called as the work advances. Deterministic: the same
    arguments give identical files. `family` chooses how the planted scenarios are written
    (`police_led`, the default, or `council_led`: see `families`); the council-led family's
    stages draw from streams of their own, so the police-led output never changes. `thin` names
    agencies whose people files are thin: no identifier, address, town, phone or email (see
    `agencies.THIN_PROFILE`); only columns are left out, so every value written is the one the
    full file has, and the truth is unchanged.
    """
    check(family)
    agencies = agencies_for(family)
    unknown = sorted(set(thin) - {a.code for a in agencies})
    if unknown:
        raise ValueError(
            f"unknown agency {', '.join(map(repr, unknown))} for thin people files; agencies: "
            + ", ".join(a.code for a in agencies)
        )
    if children < 200:
        raise ValueError("children must be at least 200 for a partnership with every agency")
    say = progress or _quiet
    out = Path(out)
    rngs = iter([np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(32)])
    own = iter([np.random.default_rng(s) for s in np.random.SeedSequence([seed, 2]).spawn(8)])
    say("population", 0.0)
    world = build_world(rngs, Period.of(years), children, family, own)
    say("records", 0.3)
    ledger = record_everything(rngs, world, own)
    say("deliveries", 0.55)
    deliveries: dict[str, dict[str, Table]] = {}
    last = next(own)
    for k, agency in enumerate(agencies):
        tables = build(next(rngs), agency, ledger, world.pop)
        if family != POLICE_LED:
            finish(last, agency, tables, world.pop, world.plots)
        if agency.code in thin:
            make_thin(tables["people"])
        write_delivery(
            out / agency.code, agency, {t: tables[t].columns for t in tables}, world.period
        )
        deliveries[agency.code] = tables
        say("deliveries", 0.55 + 0.35 * (k + 1) / len(agencies))
    args = {
        "seed": seed,
        "children": children,
        "years": years,
        "extract_date": world.period.end.isoformat(),
        "period_start": world.period.start.isoformat(),
        "period_end": world.period.end.isoformat(),
        "family": family,
    }
    if thin:  # only a thin partnership says so: the full one's summary is as it was
        args["thin"] = sorted(set(thin))
    result = write_truth(out / "truth", world.pop, world.gaz, world.scenarios, deliveries, args)
    say("truth", 1.0)
    return result


def build_world(
    rngs: Streams,
    period: Period,
    children: int,
    family: str = POLICE_LED,
    own: Streams | None = None,
) -> World:
    """Population, adults in every role, care placements, planted scenarios and name traps."""
    gaz = build_gazetteer(next(rngs), int(children / 1.81), children)
    pop = build_children(next(rngs), gaz, period, children)
    add_parents(next(rngs), pop, period)
    pop["scenario"] = pop["scenario"].astype("U8")
    pop["supervised"] = np.zeros(len(pop), dtype=bool)
    rng = next(rngs)
    bank = Bank(rng, phones=int(len(pop) * 1.5) + 5_000, vehicles=max(2_000, children // 5))
    offenders = add_adults(
        rng,
        pop,
        gaz,
        bank,
        role="offender",
        n=max(20, round(children * 0.03)),
        male=0.85,
        ages=(18, 60),
        vehicle=0.4,
    )
    pop["known_offender"][offenders] = True
    pop["supervised"][offenders] = rng.random(len(offenders)) < 0.35
    pop["registered_sex_offender"][offenders] = rng.random(len(offenders)) < 0.05
    homes = np.repeat(np.arange(len(gaz.home_id)), STAFF_PER_HOME)
    staff = add_adults(
        rng,
        pop,
        gaz,
        bank,
        role="care_home_staff",
        n=len(homes),
        male=0.4,
        ages=(22, 60),
        councils=gaz.home_council[homes],
    )
    pop["home"][staff] = homes
    pop["staff_member"][staff] = True
    pop["vehicle"][staff] = bank.vehicles(len(gaz.home_id))[homes]  # each home has one car
    add_adults(
        rng,
        pop,
        gaz,
        bank,
        role="transport_driver",
        n=max(2, children // 2000),
        male=0.8,
        ages=(30, 68),
        vehicle=1.0,
    )
    add_adults(
        rng,
        pop,
        gaz,
        bank,
        role="youth_worker",
        n=max(2, children // 2500),
        male=0.5,
        ages=(22, 55),
    )
    pop["out_of_area"] = np.zeros(len(pop), dtype=bool)
    rng = next(rngs)
    add_out_of_area(rng, pop, gaz, period, OUT_OF_AREA_PER_HOME * len(gaz.home_id))
    assign_phones(next(rngs), pop, bank, period)
    care = place_children(rng, pop, gaz, period)
    plots: list[Plot] = []
    if family == POLICE_LED:
        scenarios = plant(next(rngs), pop, gaz, bank, period, children)
    else:
        plots = plant_plots(next(rngs), pop, gaz, bank, care, period, children)
        scenarios = [p.scen for p in plots]
    rng = next(rngs)
    perps = np.flatnonzero(pop["role"] == "perpetrator")
    give_aliases(
        rng,
        pop,
        np.concatenate(
            [perps[rng.random(len(perps)) < 0.7], offenders[rng.random(len(offenders)) < 0.3]]
        ),
    )
    common_names(rng, pop, max(3, children // 1000))
    carers = None
    if plots:
        set_nicknames(pop, plots)
        assert own is not None, "the council-led family draws from its own streams"
        carers = add_foster_carers(next(own), pop, gaz, bank, care)
    assign_identifiers(next(rngs), pop, bank, period)
    return World(pop, gaz, care, bank, period, scenarios, plots, carers)


def record_everything(rngs: Streams, w: World, own: Streams | None = None) -> Ledger:
    """Every agency record: background, planted scenarios, traps and missing episodes."""
    ledger = Ledger()
    pop, gaz, period = w.pop, w.gaz, w.period
    ledger.add(NHS, health_events(next(rngs), pop, period))
    ledger.add(SCHOOLS, education_events(next(rngs), pop, gaz, period))
    for agency, item in contacts(next(rngs), pop, period).items():
        ledger.add(agency, item)
    for agency, item in placements(pop, gaz, w.care).items():
        ledger.add(agency, item)
    ledger.add(HOMES, care_homes(gaz))
    incidents(next(rngs), ledger, pop, gaz, period)
    sightings(next(rngs), ledger, pop, gaz, period)
    intelligence(next(rngs), ledger, pop, gaz, period)
    planter = Planter(next(rngs), pop, gaz, w.care, ledger, period)
    if w.plots:  # the council-led family records its episodes itself
        planter = Desk(planter.rng, pop, gaz, w.care, ledger, period)
        for plot in w.plots:
            play_council(planter, plot)
    else:
        for scen in w.scenarios:
            play(planter, scen)
    victims = sum(len(s.victims) for s in w.scenarios)
    trap_episodes = vulnerable_children(next(rngs), ledger, pop, gaz, period, max(10, 2 * victims))
    legitimate_adults(next(rngs), ledger, pop, gaz, w.care, period)
    episodes = Episodes.concat(
        [background_episodes(next(rngs), pop, period), *planter.episodes, trap_episodes]
    )
    for agency, batches in record_episodes(next(rngs), pop, gaz, w.care, episodes).items():
        for item in batches:
            ledger.add(agency, item)
    if w.plots and w.carers is not None and own is not None:
        reword(next(own), ledger, pop)
        professional_returns(next(own), ledger, pop, gaz, w.care, w.carers, period)
        innocent_logs(next(own), ledger, pop, gaz, w.care, period)
    assert POLICE in ledger.agencies()
    return ledger

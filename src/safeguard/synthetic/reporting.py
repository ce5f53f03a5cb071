"""How each agency records the same missing episode.

Police record the episodes reported to them (about nine in ten: families stop reporting, homes
handle short absences themselves), with a risk grade. The child's council records the episode
with its return home interview: offered after nearly every episode, done within 72 hours in 63% of
cases (DfE 2023-24). A children's home records every episode of its residents, as "away without
authorisation" when it knew where the child was, and notes who brought the child back.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.care import Care
from safeguard.synthetic.missing import Episodes
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, batch
from safeguard.synthetic.types import Array, Ints

HOUR = np.timedelta64(3600, "s")
RHI_WITHIN_72H = 0.63
RHI_LATE = 0.20


def _signal(ep: Episodes) -> Array:
    hours = (ep.returned - ep.last_seen).astype("timedelta64[s]").astype(np.int64) / 3600
    night = (ep.returned.astype("datetime64[D]") > ep.last_seen.astype("datetime64[D]")) & (
        hours >= 6
    )
    overnight = np.isnat(ep.returned) | night | (hours >= 12)
    return np.where(ep.signal != "", ep.signal, np.where(overnight, "missing_overnight", "missing"))


def _found(
    rng: np.random.Generator,
    pop: Population,
    gaz: Gazetteer,
    ep: Episodes,
    home: Ints,
    staff: dict[int, Ints],
) -> tuple[Array, Array, Array, list[tuple[int, ...]]]:
    """Where each child was found, its postcode, who with (described) and who with (known)."""
    n = len(ep)
    child = ep.child
    in_home = home >= 0
    loc = np.where(in_home, "Returned to placement of own accord", "Returned home of own accord")
    pc = np.where(in_home, gaz.home_postcode[np.maximum(home, 0)], pop["postcode"][child])
    desc = np.full(n, "", dtype=object)
    people: list[tuple[int, ...]] = [()] * n
    friend = ep.found == "friend"
    loc = np.where(friend, pop["address"][ep.friend], loc)
    pc = np.where(friend, pop["postcode"][ep.friend], pc)
    desc[friend] = "With a friend at the friend's home"
    places = gaz.places_of(("park", "bus_station", "shopping_centre", "takeaway", "car_park"))
    rand_place = rng.choice(places, n)
    at_place = ep.found == "place"
    place = np.where(ep.place >= 0, ep.place, rand_place)
    loc = np.where(at_place | (ep.place >= 0), gaz.place[place], loc)
    pc = np.where(at_place | (ep.place >= 0), gaz.place_postcode[place], pc)
    desc[at_place] = "With a group of young people"
    street = ep.found == "street"
    loc = np.where(street, np.char.add("Found by officers in ", pop["town"][child]), loc)
    desc[street] = "Alone"
    adult = ep.found == "adult"
    loc = np.where(adult & (ep.place < 0), pop["address"][ep.friend], loc)
    pc = np.where(adult & (ep.place < 0), pop["postcode"][ep.friend], pc)
    desc[adult] = "With an adult male, not a family member"
    collect = in_home & (street | at_place) & (rng.random(n) < 0.4)
    for i in np.flatnonzero(friend | adult | collect).tolist():
        if collect[i] and len(staff.get(int(home[i]), ())):
            people[i] = (int(rng.choice(staff[int(home[i])])),)
            desc[i] = "Collected by staff from the home"
        elif adult[i] or rng.random() < 0.6:
            people[i] = (int(ep.friend[i]),)
    unknown = np.isnat(ep.returned)
    loc, pc = np.where(unknown, "", loc), np.where(unknown, "", pc)
    desc[unknown] = ""
    return loc, pc, desc.astype(str), [() if u else p for u, p in zip(unknown, people, strict=True)]


def record_episodes(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, care: Care, ep: Episodes
) -> dict[str, list[Batch]]:
    """Missing-episode batches for the police, the councils and the children's homes."""
    home = care.home_at(ep.child, ep.last_seen)
    staff = {
        int(h): np.flatnonzero((pop["role"] == "care_home_staff") & (pop["home"] == h))
        for h in np.unique(home[home >= 0]).tolist()
    }
    loc, pc, desc, with_ids = _found(rng, pop, gaz, ep, home, staff)
    signal = _signal(ep)
    n = len(ep)
    seen_loc = np.where(home >= 0, "Children's home", "Home address")
    seen_loc = np.where(
        rng.random(n) < 0.25, np.char.add(pop["town"][ep.child], " town centre"), seen_loc
    )
    home_id = np.where(home >= 0, gaz.home_id[np.maximum(home, 0)], "")
    seen_pc = np.where(home >= 0, gaz.home_postcode[np.maximum(home, 0)], pop["postcode"][ep.child])
    seen_pc = np.where(np.char.endswith(seen_loc, "town centre"), "", seen_pc)
    common = {
        "reported_at": ep.reported,
        "last_seen_at": ep.last_seen,
        "last_seen_location": seen_loc,
        "last_seen_postcode": seen_pc,
        "returned_at": ep.returned,
        "found_location": loc,
        "found_postcode": pc,
        "found_with": desc,
    }
    out: dict[str, list[Batch]] = {}
    police = ep.police | (ep.scenario != "")
    idx = np.flatnonzero(police)
    out["cheshire-police"] = [
        _take(
            ep,
            idx,
            signal,
            with_ids,
            common,
            category="missing",
            risk_grade=ep.risk[idx],
            care_home_id=home_id[idx],
            notes=np.where(home[idx] >= 0, "Reported by home staff", "Reported by parent"),
        )
    ]
    recorded = police | (home >= 0) | (rng.random(n) < 0.3)
    offered = ~np.isnat(ep.returned) & (rng.random(n) < 0.95)
    u = rng.random(n)
    delay = np.where(
        u < RHI_WITHIN_72H,
        rng.uniform(4, 71.9, n),
        np.where(u < RHI_WITHIN_72H + RHI_LATE, rng.uniform(73, 336, n), np.nan),
    )
    done = offered & ~np.isnan(delay)
    offered_at = np.where(
        offered,
        ep.returned + (rng.uniform(2, 24, n) * 3600).astype(np.int64) * np.timedelta64(1, "s"),
        np.datetime64("NaT"),
    )
    done_at = np.where(
        done,
        ep.returned + (np.nan_to_num(delay) * 3600).astype(np.int64) * np.timedelta64(1, "s"),
        np.datetime64("NaT"),
    )
    for code, council in COUNCIL_BY_CODE.items():
        idx = np.flatnonzero(recorded & (pop["council"][ep.child] == code))
        keep_ids = [with_ids[i] if rng.random() < 0.3 else () for i in idx.tolist()]
        out[council.agency] = [
            _take(
                ep,
                idx,
                signal,
                keep_ids,
                common,
                whole=False,
                category=np.where(home[idx] >= 0, "away_without_authorisation", "missing"),
                risk_grade=np.where(rng.random(len(idx)) < 0.8, ep.risk[idx], ""),
                rhi_offered_at=offered_at[idx].astype("datetime64[s]"),
                rhi_completed_at=done_at[idx].astype("datetime64[s]"),
                care_home_id=home_id[idx],
            )
        ]
    idx = np.flatnonzero(home >= 0)
    out["childrens-homes"] = [
        _take(
            ep,
            idx,
            signal,
            with_ids,
            common,
            category=np.where(police[idx], "missing", "away_without_authorisation"),
            care_home_id=home_id[idx],
            notes=np.where(police[idx], "Reported to police", "Whereabouts known; not reported"),
        )
    ]
    return out


def _take(
    ep: Episodes,
    idx: Ints,
    signal: Array,
    with_ids: list[tuple[int, ...]],
    common: dict[str, Array],
    whole: bool = True,
    **cols: Array | str,
) -> Batch:
    picked = {k: v[idx] for k, v in common.items()}
    refs = [with_ids[i] for i in idx.tolist()] if whole else with_ids
    return batch(
        "missing_episodes",
        ep.child[idx],
        scenario=ep.scenario[idx],
        signal=signal[idx],
        refs={"found_with_person_ids": refs},
        **picked,
        **cols,
    )

"""What joins the victims of a council-led pair or network, each held by a different agency.

- a nickname pair: one victim's council hears of 'Dink' and his phone; the other victim's home
  (or the police) writes down the same nickname and number; no name, date of birth or other
  identifier is shared;
- a vehicle pair: one victim in a car on ANPR, months later another collected by the same car
  from a children's home (or stopped in it), and nothing else in common;
- a place network: the same few addresses and places where the victims are found, seen and
  named in intelligence, each agency writing them its own way.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from safeguard.synthetic.desk import Desk
from safeguard.synthetic.plots import Plot
from safeguard.synthetic.policing import POLICE
from safeguard.synthetic.signals import HOMES
from safeguard.synthetic.wording import say


def _resident_day(desk: Desk, child: int, onset: np.datetime64) -> np.datetime64 | None:
    """A day after onset when the child lived in a children's home, if any."""
    days = desk.resident_days(child, onset, 1)
    return days[0] if days else None


def nickname_pair(desk: Desk, plot: Plot) -> None:
    scen, rng = plot.scen, desk.rng
    perp = scen.perpetrators[0]
    phone = str(desk.pop["phone"][perp])
    first, first_onset = scen.victims[0], scen.victim_onsets[0]
    day = desk.days(first_onset, 1)[0]
    slots = desk.slots(plot, first, perp, day)
    referrer = ("school", "Designated safeguarding lead", "school")
    if rng.random() < 0.5:
        referrer = ("health", "School nurse", "health")
    desk.contact(
        scen,
        first,
        day,
        referrer=referrer[0],
        role=referrer[1],
        categories="sexual_exploitation",
        text=" ".join(
            [
                say(rng, f"contact.{referrer[2]}", slots),
                say(rng, "concern.boyfriend", slots),
                say(rng, "link.nick_phone", slots),
            ]
        ),
        others=(perp,),
        signal="older_boyfriend",
    )
    for second, onset in zip(scen.victims[1:], scen.victim_onsets[1:], strict=True):
        day_home = _resident_day(desk, second, onset)
        if day_home is not None:
            desk.seen(
                HOMES,
                scen.id,
                second,
                day_home,
                source="care_home_log",
                notes=say(rng, "link.home_phone", desk.slots(plot, second, perp, day_home)),
                signal="older_boyfriend",
                location=str(desk.gaz.home_name[desk.home_of(second, day_home)]),
                with_ids=(perp,),
                phone=phone,
                hour=22.5,
            )
            continue
        day = desk.days(onset, 1, (30, 400))[0]
        desk.report(
            POLICE,
            scen.id,
            day,
            say(rng, "link.intel_phone", desk.slots(plot, second, perp, day)),
            about=second,
            people=(second, perp),
            phones=(phone,),
        )


def vehicle_pair(desk: Desk, plot: Plot) -> None:
    scen, rng = plot.scen, desk.rng
    if not scen.vehicles:
        return
    vrm = scen.vehicles[0]
    public = desk.gaz.places_of(("car_park", "shopping_centre", "bus_station", "takeaway"))
    for k, (v, onset) in enumerate(zip(scen.victims, scen.victim_onsets, strict=True)):
        day_home = _resident_day(desk, v, onset) if k > 0 else None
        if day_home is not None:
            slots = desk.slots(plot, v, scen.perpetrators[0], day_home)
            desk.seen(
                HOMES,
                scen.id,
                v,
                day_home,
                source="care_home_log",
                notes=say(rng, "link.home_car", slots),
                signal="collected_by_unknown_adult",
                location=str(desk.gaz.home_name[desk.home_of(v, day_home)]),
                description="Adult male driver",
                vehicle=vrm,
            )
            continue
        day = desk.days(onset, 1, (20, 300))[0]
        place = int(rng.choice(public))
        slots = desk.slots(plot, v, scen.perpetrators[0], day)
        source = "anpr" if k == 0 or rng.random() < 0.5 else "stop_check"
        desk.seen(
            POLICE,
            scen.id,
            v,
            day,
            source=source,
            notes=say(rng, "link.anpr" if source == "anpr" else "link.stop", slots),
            signal="seen_in_vehicle_with_adult",
            location=str(desk.gaz.place[place]),
            postcode=str(desk.gaz.place_postcode[place]),
            description="Adult male driver, not known",
            vehicle=vrm,
            hour=23.5,
        )


def place_network(desk: Desk, plot: Plot) -> None:
    scen, rng = plot.scen, desk.rng
    for v, onset in zip(scen.victims, scen.victim_onsets, strict=True):
        if rng.random() >= 0.5 or not scen.places:
            continue
        place = int(rng.choice(scen.places))
        day = desk.days(onset, 1)[0]
        slots = replace(desk.slots(plot, v, -1, day), place=str(desk.gaz.place[place]))
        at_home = desk.home_of(v, day) >= 0 and rng.random() < 0.5
        where = desk.spot(place)
        desk.seen(
            HOMES if at_home else POLICE,
            scen.id,
            v,
            day,
            source="care_home_log" if at_home else "patrol",
            notes=say(rng, "link.home_collect" if at_home else "link.place_seen", slots),
            signal="cse_concern",
            location=where[0] or str(desk.gaz.place[place]),
            postcode=where[1],
            description="" if at_home else "With older males",
            hour=23.0,
        )
    if scen.places and rng.random() < 0.7:
        victim = int(rng.choice(scen.victims))
        day = desk.days(scen.onset, 1, (30, 400))[0]
        spots = tuple(desk.spot(p) for p in scen.places)
        slots = desk.slots(plot, victim, _any(desk, plot), day)
        desk.report(
            POLICE,
            scen.id,
            day,
            say(rng, "intel.place", slots),
            about=victim,
            people=(victim,) if rng.random() < 0.5 else (),
            spots=spots,
        )


def _any(desk: Desk, plot: Plot) -> int:
    perps = plot.scen.perpetrators
    return int(desk.rng.choice(perps)) if perps else -1

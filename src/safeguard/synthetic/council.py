"""How each council-led scenario unfolds: most of the evidence with councils, homes, schools and
health, in their own words; little with the police.

A victim's missing episodes come back with return home interviews that mention a boyfriend
called 'Kane' who is about 24, a new iPhone, a party at a flat above a takeaway, a taxi already
paid for; or that record only a denial. Schools see a car and no registration, homes log late
calls from an unknown number, probation sees a child at an offender's home visit. Pairs of
victims are joined only by an adult's nickname and phone, or by the car that collects them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from safeguard.synthetic.desk import Desk
from safeguard.synthetic.links import nickname_pair, place_network, vehicle_pair
from safeguard.synthetic.plots import PAIRS, Plot
from safeguard.synthetic.policing import POLICE, PROBATION
from safeguard.synthetic.signals import HOMES, SCHOOLS
from safeguard.synthetic.timeline import age_at, school_day
from safeguard.synthetic.wording import Slots, join, say

MISSING = {
    "boyfriend": (2, 8),
    "organised": (3, 10),
    "peer_on_peer": (0, 3),
    "online": (0, 2),
    "opportunistic": (1, 4),
}
#: Shapes whose victims go missing more often than their model's (a place pair is seen as one).
SHAPE_MISSING = {"place_pair": (2, 6)}
WITH_ADULT = {"boyfriend": 0.5, "organised": 0.5, "opportunistic": 0.4}
CONCERNS = {
    "boyfriend": ("boyfriend", "gifts", "cars", "parties", "substances", "calls"),
    "organised": ("parties", "substances", "cars", "gifts", "disclosure"),
    "peer_on_peer": ("peer", "images", "parties"),
    "online": ("online", "images", "gifts"),
    "opportunistic": ("parties", "substances", "cars"),
}
DENIALS = ("boyfriend", "gifts", "images", "cars", "adults", "substances", "hedged")
SIGNALS = {
    "boyfriend": "older_boyfriend",
    "gifts": "unexplained_gifts",
    "images": "sexual_images_shared",
    "cars": "seen_in_vehicle_with_adult",
    "parties": "cse_concern",
    "substances": "drugs_or_alcohol",
    "disclosure": "disclosure",
    "peer": "peers_exploited",
    "online": "worrying_online_use",
    "calls": "unknown_callers",
}
CATEGORIES = {
    "boyfriend": "sexual_exploitation;missing",
    "organised": "sexual_exploitation;missing;substance_misuse",
    "peer_on_peer": "sexual_abuse;sexual_exploitation",
    "online": "online_harm;sexual_exploitation",
    "opportunistic": "sexual_exploitation;substance_misuse",
}
#: Who makes contacts about these children: (referrer, role, lead-in bank, weight).
REFERRERS = (
    ("school", "Designated safeguarding lead", "school", 0.28),
    ("children's home", "Registered manager", "childrens_home", 0.14),
    ("health", "School nurse", "health", 0.16),
    ("youth service", "Youth worker", "youth_service", 0.12),
    ("public", "Member of the public", "public", 0.12),
    ("family", "Parent", "family", 0.13),
    ("police", "Police officer", "police", 0.05),
)
CLINIC = (
    ("sti_test", "sti"),
    ("emergency_contraception", "sexual_health"),
    ("pregnancy_test", "pregnancy"),
    ("sti_diagnosis", "sti"),
)


def play(desk: Desk, plot: Plot) -> None:
    """All records of one council-led scenario, then the two-agency guarantee."""
    for v, onset in zip(plot.scen.victims, plot.scen.victim_onsets, strict=True):
        _victim(desk, plot, v, onset)
    _shape(desk, plot)
    _network(desk, plot)
    _guarantee(desk, plot)


def _chance(desk: Desk, p: float) -> bool:
    return bool(desk.rng.random() < p)


def _perp(desk: Desk, plot: Plot) -> int:
    perps = plot.scen.perpetrators
    return int(desk.rng.choice(perps)) if perps else -1


def _concern(desk: Desk, plot: Plot, slots: Slots, n: int) -> tuple[list[str], str]:
    """`n` sentences about the model's concerns (and the signal of the first)."""
    keys = CONCERNS[plot.scen.model]
    picked = [keys[int(i)] for i in desk.rng.permutation(len(keys))[:n]]
    return [say(desk.rng, f"concern.{k}", slots) for k in picked], SIGNALS[picked[0]]


def _denial(desk: Desk, slots: Slots) -> str:
    return say(desk.rng, f"denied.{DENIALS[int(desk.rng.integers(len(DENIALS)))]}", slots)


def _rhi(desk: Desk, plot: Plot, slots: Slots) -> str:
    """A return interview: what the child told, often with a denial; sometimes only denials."""
    opener = say(desk.rng, "rhi.openers", slots)
    if _chance(desk, 0.3):
        return " ".join([opener, _denial(desk, slots), say(desk.rng, "denied.hedged", slots)])
    told, _ = _concern(desk, plot, slots, int(desk.rng.integers(1, 3)))
    if _chance(desk, 0.35):
        told.insert(int(desk.rng.integers(len(told) + 1)), _denial(desk, slots))
    return " ".join([opener, *told])


def _victim(desk: Desk, plot: Plot, v: int, onset: np.datetime64) -> None:
    rng, scen = desk.rng, plot.scen
    missing = SHAPE_MISSING.get(plot.shape, MISSING[scen.model])
    for day in desk.days(onset, int(rng.integers(*missing))):
        _missing(desk, plot, v, _perp(desk, plot), day)
    day = desk.days(onset, 1)[0]
    slots = desk.slots(plot, v, _perp(desk, plot), day)
    young = age_at(desk.pop, np.array([v]), np.array([day]))[0] < 16.8
    if young and _chance(desk, 0.45 if scen.model in ("boyfriend", "opportunistic") else 0.2):
        _school_car(desk, plot, v, day, slots)
    for day in desk.resident_days(v, onset, 3):
        if _chance(desk, 0.6):
            slots = desk.slots(plot, v, _perp(desk, plot), day)
            desk.seen(
                HOMES,
                scen.id,
                v,
                day,
                source="care_home_log",
                notes=say(rng, "concern.calls", slots),
                signal="unknown_callers",
                location=str(desk.gaz.home_name[desk.home_of(v, day)]),
                hour=23.5,
            )
    _health(desk, plot, v, onset)
    if young and _chance(desk, 0.6):
        kind = str(rng.choice(["persistent_absence", "persistent_absence", "suspension"]))
        desk.school(
            scen,
            v,
            desk.days(onset, 1)[0],
            kind,
            "persistent_absence" if kind == "persistent_absence" else "exclusion",
            say(rng, "education.concern", slots),
        )
    for _ in range(int(rng.integers(1, 3)) if _chance(desk, 0.8) else 0):
        _contact(desk, plot, v, desk.days(onset, 1)[0])
    if _chance(desk, 0.08):
        perp = _perp(desk, plot)
        desk.incident(
            scen,
            v,
            desk.days(onset, 1)[0],
            "child_sexual_exploitation",
            (perp,) if perp >= 0 and plot.shape not in PAIRS and _chance(desk, 0.5) else (),
            say(rng, "police.incident", slots),
            signal="cse_incident",
        )


def _missing(desk: Desk, plot: Plot, v: int, perp: int, day: np.datetime64) -> None:
    rng, scen = desk.rng, plot.scen
    slots = desk.slots(plot, v, perp, day)
    with_adult = perp >= 0 and _chance(desk, WITH_ADULT.get(scen.model, 0.25))
    spot: tuple[str, str] = ("", "")
    if plot.shape == "nickname_pair":
        pass  # no place in common: only the nickname and the phone join the two
    elif scen.model == "boyfriend" and with_adult and (_chance(desk, 0.7) or not scen.places):
        spot = desk.home_spot(perp)
    elif scen.places and _chance(desk, 0.85 if plot.shape.startswith("place") else 0.5):
        spot = desk.spot(int(rng.choice(scen.places)))
    reported_by = "Reported by home staff" if desk.home_of(v, day) >= 0 else "Reported by parent"
    police_notes = join(reported_by, say(rng, "police.notes", slots) if _chance(desk, 0.4) else "")
    desk.episode(
        scen.id,
        v,
        day,
        slots=slots,
        spot=spot,
        found_with=say(rng, "found.adult", slots) if with_adult else "",
        with_ids=(perp,) if with_adult and plot.shape not in PAIRS and _chance(desk, 0.35) else (),
        police=_chance(desk, 0.5),
        police_notes=police_notes,
        rhi_notes=_rhi(desk, plot, slots),
        signal="found_with_adult" if with_adult else "missing_overnight",
    )


def _school_car(desk: Desk, plot: Plot, v: int, day: np.datetime64, slots: Slots) -> None:
    """A school sees the child get into a car: no registration, a description at most."""
    school = desk.pop["secondary"][v]
    desk.seen(
        SCHOOLS,
        plot.scen.id,
        v,
        school_day(np.array([day], dtype="datetime64[D]"))[0],
        source="school",
        notes=say(desk.rng, "school.car", slots),
        signal="seen_in_vehicle_with_adult",
        location=str(desk.gaz.school[school]) if school >= 0 else "",
        description=say(desk.rng, "school.car_description", slots),
        hour=15.3,
        spread=0.4,
    )


def _health(desk: Desk, plot: Plot, v: int, onset: np.datetime64) -> None:
    rng, scen = desk.rng, plot.scen
    slots = desk.slots(plot, v, _perp(desk, plot), onset)
    if _chance(desk, {"online": 0.3, "peer_on_peer": 0.45}.get(scen.model, 0.55)):
        code, signal = CLINIC[int(rng.integers(len(CLINIC)))]
        note = say(rng, "health.clinic", slots)
        desk.health(scen, v, desk.days(onset, 1)[0], code, "sexual_health_clinic", signal, note)
    if _chance(desk, 0.3):
        code = str(rng.choice(["intoxication", "injury", "overdose"]))
        signal = {"injury": "injury", "overdose": "self_harm"}.get(code, "drugs_or_alcohol")
        note = say(rng, f"health.{code}", slots)
        desk.health(scen, v, desk.days(onset, 1)[0], code, "emergency_department", signal, note)


def _contact(desk: Desk, plot: Plot, v: int, day: np.datetime64) -> None:
    rng, scen = desk.rng, plot.scen
    weights = np.array([r[3] for r in REFERRERS])
    referrer, role, lead, _ = REFERRERS[int(rng.choice(len(REFERRERS), p=weights / weights.sum()))]
    if lead == "childrens_home" and desk.home_of(v, day) < 0:
        referrer, role, lead = REFERRERS[0][:3]
    perp = _perp(desk, plot)
    slots = desk.slots(plot, v, perp, day)
    told, signal = _concern(desk, plot, slots, int(rng.integers(1, 3)))
    if _chance(desk, 0.25):
        told.append(_denial(desk, slots))
    named = (perp,) if perp >= 0 and plot.shape not in PAIRS and _chance(desk, 0.3) else ()
    desk.contact(
        scen,
        v,
        day,
        referrer=referrer,
        role=role,
        categories=CATEGORIES[scen.model],
        text=" ".join([say(rng, f"contact.{lead}", slots), *told]),
        others=named,
        signal=signal,
    )


def _shape(desk: Desk, plot: Plot) -> None:
    """What joins the victims of a pair or a network, in agencies other than the police."""
    links = {
        "nickname_pair": nickname_pair,
        "vehicle_pair": vehicle_pair,
        "place_network": place_network,
        "place_pair": place_network,
    }
    if plot.shape in links:
        links[plot.shape](desk, plot)


def _network(desk: Desk, plot: Plot) -> None:
    """Few police reports; probation sees supervised exploiters with a victim on a home visit."""
    rng, scen = desk.rng, plot.scen
    if scen.perpetrators and _chance(desk, 0.3):
        perp, victim = _perp(desk, plot), int(rng.choice(scen.victims))
        day = desk.days(scen.onset, 1, (30, 540))[0]
        slots = desk.slots(plot, victim, perp, day)
        desk.report(
            POLICE,
            scen.id,
            day,
            say(rng, "intel.nick", slots),
            about=perp,
            people=(perp,),
            phones=(str(desk.pop["phone"][perp]),) if desk.pop["phone"][perp] else (),
        )
    for p in scen.perpetrators if plot.shape not in PAIRS else ():
        if desk.pop["supervised"][p] and _chance(desk, 0.85):
            v = int(rng.choice(scen.victims))
            day = desk.days(scen.onset, 1, (20, 360))[0]
            offender = f"{desk.name(p)} {desk.pop['surname'][p]}"
            notes = say(
                rng, "probation.visit", replace(desk.slots(plot, v, p, day), offender=offender)
            )
            desk.seen(
                PROBATION,
                scen.id,
                v,
                day,
                source="other",
                notes=notes,
                signal="associating_with_children",
                location=str(desk.pop["address"][p]),
                postcode=str(desk.pop["postcode"][p]),
                with_ids=(p,),
                hour=14.0,
            )


def _guarantee(desk: Desk, plot: Plot) -> None:
    """Every victim and exploiter known to at least two agencies (the police only if needed)."""
    scen, rng = plot.scen, desk.rng
    for v, onset in zip(scen.victims, scen.victim_onsets, strict=True):
        if len(desk.agencies_knowing(v)) < 2:
            _contact(desk, plot, v, desk.days(onset, 1)[0])
        if len(desk.agencies_knowing(v)) < 2:
            slots = desk.slots(plot, v, -1, onset)
            note = say(rng, "health.clinic", slots)
            desk.health(scen, v, desk.days(onset, 1)[0], "sti_test", "gp", "sti", note)
    for p in scen.perpetrators:
        if len(desk.agencies_knowing(p)) < 2:
            v = int(rng.choice(scen.victims))
            day = desk.days(scen.onset, 1)[0]
            slots = desk.slots(plot, v, p, day)
            told, signal = _concern(desk, plot, slots, 1)
            desk.contact(
                scen,
                v,
                day,
                referrer="public",
                role="Member of the public",
                categories=CATEGORIES[scen.model],
                text=" ".join([say(rng, "contact.public", slots), *told]),
                others=(p,),
                signal=signal,
            )
        if len(desk.agencies_knowing(p)) < 2:
            day = desk.days(scen.onset, 1, (30, 400))[0]
            slots = desk.slots(plot, int(rng.choice(scen.victims)), p, day)
            desk.report(POLICE, scen.id, day, say(rng, "intel.nick", slots), about=p, people=(p,))

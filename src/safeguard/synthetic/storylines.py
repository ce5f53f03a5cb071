"""How each model of exploitation unfolds across agencies, victim by victim, after its onset.

Each signal happens with a probability, so no two scenarios look alike and most are partial: a
boyfriend case may show as missing nights to the police, a chlamydia test to the clinic and poor
attendance to the school, and only the joined-up view shows the same man's car and phone. The
final pass makes sure every victim and perpetrator is known to at least two agencies.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.policing import POLICE, PROBATION
from safeguard.synthetic.scenarios import Scenario, victim_age
from safeguard.synthetic.signals import HOMES, Planter

COLOURS = ("silver", "black", "white", "grey", "blue", "red")
SEXUAL_HEALTH = (
    ("sti_test", "sti", "Requested STI screen"),
    ("emergency_contraception", "sexual_health", "Emergency contraception"),
    ("pregnancy_test", "pregnancy", "Pregnancy test requested"),
    ("sti_diagnosis", "sti", "Chlamydia positive, treated"),
)


def play(planter: Planter, scen: Scenario) -> None:
    """All records of one scenario, then the two-agency guarantee."""
    for victim, onset in zip(scen.victims, scen.victim_onsets, strict=True):
        _victim(planter, scen, victim, onset)
    _network_intel(planter, scen)
    _guarantee(planter, scen)


def _chance(planter: Planter, p: float) -> bool:
    return bool(planter.rng.random() < p)


def _victim(pl: Planter, scen: Scenario, v: int, onset: np.datetime64) -> None:
    rng, model = pl.rng, scen.model
    perps = scen.perpetrators
    perp = int(rng.choice(perps)) if perps else -1
    vrm = str(rng.choice(scen.vehicles)) if scen.vehicles else ""
    place = int(rng.choice(scen.places)) if scen.places else -1
    n_missing = {
        "boyfriend": (2, 7),
        "organised": (2, 9),
        "peer_on_peer": (0, 3),
        "online": (0, 2),
        "opportunistic": (1, 3),
    }[model]
    for day in pl.days(onset, int(rng.integers(*n_missing))):
        found = str(rng.choice(["adult", "adult", "home", "place"]))
        at = place if (model != "boyfriend" and found == "adult") or found == "place" else -1
        pl.missing(
            scen,
            v,
            day,
            perp,
            at,
            found,
            "found_with_adult" if found == "adult" else "missing_overnight",
        )
    if vrm and _chance(pl, {"boyfriend": 0.6, "organised": 0.6}.get(model, 0.2)):
        day = pl.days(onset, 1)[0]
        stop = _chance(pl, 0.6)
        pl.sighting(
            POLICE,
            scen,
            v,
            day,
            source="stop_check" if stop else "anpr",
            companion=perp if stop else -1,
            vehicle=vrm,
            description="" if stop else "Adult male driver, not known",
            notes=f"Female aged about {victim_age(pl.pop, v, day)} in front passenger seat",
        )
    for day in pl.days(onset, 3):
        home = pl.home_of(v, day)
        if home >= 0 and vrm and _chance(pl, 0.7):
            pl.sighting(
                HOMES,
                scen,
                v,
                day,
                source="care_home_log",
                vehicle=vrm,
                companion=perp if _chance(pl, 0.2) else -1,
                description=f"Adult male, {rng.choice(COLOURS)} car",
                notes="Collected from the home by an unknown adult; refused to say who",
                signal="collected_by_unknown_adult",
            )
    if _chance(pl, {"online": 0.3, "peer_on_peer": 0.45}.get(model, 0.65)):
        code, signal, note = SEXUAL_HEALTH[int(rng.integers(len(SEXUAL_HEALTH)))]
        pl.health(scen, v, pl.days(onset, 1)[0], code, "sexual_health_clinic", signal, note)
    if _chance(pl, 0.35):
        code = str(rng.choice(["intoxication", "self_harm", "injury"]))
        signal = {"intoxication": "drugs_or_alcohol", "self_harm": "self_harm"}.get(code, "")
        pl.health(
            scen,
            v,
            pl.days(onset, 1)[0],
            code,
            "emergency_department",
            signal or "injury",
            "Attended late evening; vague about how it happened",
        )
    if _chance(pl, 0.6):
        kind = str(rng.choice(["persistent_absence", "persistent_absence", "suspension"]))
        pl.school(
            scen,
            v,
            pl.days(onset, 1)[0],
            kind,
            "persistent_absence" if kind == "persistent_absence" else "exclusion",
            "Attendance fallen sharply; seen leaving site at lunchtime",
        )
    if _chance(pl, 0.55):
        _contact(pl, scen, v, perp, onset, place)
    if _chance(pl, {"peer_on_peer": 0.45, "online": 0.6}.get(model, 0.25)):
        kind, signal = {
            "peer_on_peer": ("sexual_offence", "sexual_offence"),
            "online": ("online_offence", "online_offence"),
        }.get(model, ("child_sexual_exploitation", "cse_incident"))
        named = (perp,) if perp >= 0 and (model == "peer_on_peer" or _chance(pl, 0.5)) else ()
        pl.incident(
            scen,
            v,
            pl.days(onset, 1)[0],
            kind,
            named,
            "Allegation of sexual exploitation; victim reluctant to engage",
            vehicle=vrm if named else "",
            place=place,
            signal=signal,
        )


def _contact(
    pl: Planter, scen: Scenario, v: int, perp: int, onset: np.datetime64, place: int
) -> None:
    name, alias = pl.name(v), pl.alias(perp) if perp >= 0 else "unknown"
    where = pl.gaz.place[place] if place >= 0 else "a flat in town"
    phone = scen.phones[0] if scen.phones else "an unknown number"
    texts = {
        "boyfriend": (
            f"{name} is being collected after school by an older male in a car. She "
            f"says he is her boyfriend, '{alias}'.",
            "sexual_exploitation",
            "older_boyfriend",
        ),
        "organised": (
            f"{name} has new clothes and a phone she cannot explain; friends say she "
            f"goes to parties at {where}.",
            "sexual_exploitation;missing",
            "unexplained_gifts",
        ),
        "peer_on_peer": (
            f"{name} disclosed that an older pupil, {alias}, shared images of her "
            "and pressured her into sexual activity.",
            "sexual_abuse;online_harm",
            "sexual_images_shared",
        ),
        "online": (
            f"Parent found messages on {name}'s phone from an adult asking for images; "
            f"number {phone}.",
            "online_harm;sexual_exploitation",
            "sexual_images_shared",
        ),
        "opportunistic": (
            f"{name} was found intoxicated at {where} late at night with adult "
            "males she had just met.",
            "sexual_exploitation;substance_misuse",
            "drugs_or_alcohol",
        ),
    }
    text, cats, signal = texts[scen.model]
    others = (perp,) if perp >= 0 and _chance(pl, 0.45) else ()
    referrer = (
        ("school", "Designated safeguarding lead") if _chance(pl, 0.6) else ("family", "Parent")
    )
    pl.contact(
        scen,
        v,
        pl.days(onset, 1)[0],
        referrer=referrer[0],
        role=referrer[1],
        categories=cats,
        text=text,
        others=others,
        signal=signal,
    )


def _network_intel(pl: Planter, scen: Scenario) -> None:
    """Police intelligence about the perpetrators; probation's about those it supervises."""
    perps, rng = scen.perpetrators, pl.rng
    reports = 1 + int(rng.integers(0, 2 + len(scen.victims)))
    for day in pl.days(scen.onset, reports, (30, 540)):
        named = (
            tuple(
                int(p)
                for p in rng.choice(
                    perps, min(len(perps), 1 + int(rng.integers(len(perps)))), replace=False
                )
            )
            if perps
            else ()
        )
        victim = int(rng.choice(scen.victims))
        people = named + ((victim,) if _chance(pl, 0.5) else ())
        vehicles = tuple(str(x) for x in scen.vehicles if _chance(pl, 0.6))
        phones = tuple(str(x) for x in scen.phones if _chance(pl, 0.6))
        places = tuple(p for p in scen.places if _chance(pl, 0.6))
        names = " and ".join(f"'{pl.alias(p)}'" for p in named) or "unknown males"
        text = (
            f"Information that girls aged about {victim_age(pl.pop, victim, day)} are "
            f"meeting {names}"
            + (f"; vehicles {', '.join(vehicles)}" if vehicles else "")
            + (f"; phones {', '.join(phones)}" if phones else "")
            + (f"; at {', '.join(pl.gaz.place[p] for p in places)}" if places else "")
            + "."
        )
        pl.intel(
            POLICE,
            scen,
            day,
            text,
            about=named[0] if named else victim,
            people=people,
            vehicles=vehicles,
            phones=phones,
            places=places,
        )
    for p in perps:
        if pl.pop["supervised"][p] and _chance(pl, 0.8):
            day = pl.days(scen.onset, 1, (30, 360))[0]
            phone = str(pl.pop["phone"][p])
            pl.intel(
                PROBATION,
                scen,
                day,
                f"Offender manager: {pl.name(p)} seen with teenage girls; has a new "
                f"phone {phone} he did not declare.",
                about=p,
                people=(p,),
                phones=(phone,) if phone else (),
                signal="associating_with_children",
            )


def _guarantee(pl: Planter, scen: Scenario) -> None:
    """Every victim and perpetrator known to at least two agencies."""
    for v, onset in zip(scen.victims, scen.victim_onsets, strict=True):
        if len(pl.agencies_knowing(v)) < 2:
            pl.intel(
                POLICE,
                scen,
                pl.days(onset, 1)[0],
                f"{pl.name(v)} believed to be at risk of sexual exploitation.",
                about=v,
                people=(v,),
            )
            pl.contact(
                scen,
                v,
                pl.days(onset, 1)[0],
                referrer="police",
                role="Police officer",
                categories="sexual_exploitation",
                text=f"Police share concern that {pl.name(v)} is at risk of exploitation.",
                signal="cse_concern",
            )
    for p in scen.perpetrators:
        if POLICE not in pl.agencies_knowing(p):
            pl.intel(
                POLICE,
                scen,
                pl.days(scen.onset, 1)[0],
                f"'{pl.alias(p)}' reported to be in contact with local girls.",
                about=p,
                people=(p,),
                phones=(str(pl.pop["phone"][p]),) if pl.pop["phone"][p] else (),
            )
        if len(pl.agencies_knowing(p)) < 2:
            v = int(pl.rng.choice(scen.victims))
            pl.contact(
                scen,
                v,
                pl.days(scen.onset, 1)[0],
                referrer="family",
                role="Parent",
                categories="sexual_exploitation",
                others=(p,),
                text=f"Parent worried {pl.name(v)} is in contact with {pl.alias(p)}.",
                signal="older_boyfriend" if scen.model != "peer_on_peer" else "peers_exploited",
            )

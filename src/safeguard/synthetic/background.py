"""Everyday health and school records for the whole population, the haystack scenarios hide in.

Rates are per person per year and deliberately ordinary: most A&E visits are injuries, most school
events are absences. Vulnerable children (household circumstances, looked after, learning
disability) have more of everything, which is what makes them look like victims without being
victims. Records that carry a screening indicator are labelled with it in the truth
(`sti`, `self_harm`, `persistent_absence`, `exclusion`, ...) whether or not anyone exploits
the child.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.period import Period
from safeguard.synthetic.places import Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, batch
from safeguard.synthetic.timeline import age_at, at_time, occurrences, school_day
from safeguard.synthetic.types import Array, Ints

GIRLS_ONLY = -1.0
#: (event code, setting, yearly rate, ages, girls:boys ratio, vulnerability weight, signal)
HEALTH_RATES = (
    ("injury", "emergency_department", 0.4, (0, 18), 0.8, 0.15, ""),
    ("self_harm", "emergency_department", 0.004, (11, 18), 3.0, 0.5, "self_harm"),
    ("intoxication", "emergency_department", 0.005, (13, 18), 1.0, 0.4, "drugs_or_alcohol"),
    ("overdose", "emergency_department", 0.0012, (12, 18), 2.0, 0.5, "drugs_or_alcohol"),
    ("sti_test", "sexual_health_clinic", 0.03, (15, 18), 1.6, 0.3, "sti"),
    ("sti_test", "sexual_health_clinic", 0.004, (13, 15), 1.6, 0.3, "sti"),
    (
        "emergency_contraception",
        "sexual_health_clinic",
        0.014,
        (14, 18),
        GIRLS_ONLY,
        0.3,
        "sexual_health",
    ),
    ("pregnancy_test", "sexual_health_clinic", 0.01, (14, 18), GIRLS_ONLY, 0.3, "pregnancy"),
    # routine attendances for illness (most children's A&E visits are not injuries), and
    # children referred by their GP to a paediatric assessment unit
    ("illness", "emergency_department", 0.12, (0, 5), 1.0, 0.1, ""),
    ("illness", "emergency_department", 0.03, (5, 18), 1.0, 0.1, ""),
    ("gp_referral", "other", 0.02, (0, 18), 1.0, 0.1, ""),
)
#: Adults' routine attendances: (event code, setting, yearly rate)
ADULT_HEALTH_RATES = (
    ("illness", "emergency_department", 0.03),
    ("gp_referral", "other", 0.01),
)
#: Contract event codes of the routine attendances (their notes say what they were).
EVENT_CODES = {"illness": "other", "gp_referral": "other"}
HEALTH_NOTES = {
    "injury": (
        "Fall from bicycle, wrist sprain",
        "Sports injury, ankle",
        "Cut to hand, glued",
        "Head bump at home, observed and discharged",
        "Fell from trampoline",
    ),
    "self_harm": (
        "Superficial cuts to forearm, CAMHS referral",
        "Self-harm, discharged with safety plan",
        "Attended after cutting, seen by liaison psychiatry",
    ),
    "intoxication": (
        "Brought in intoxicated by friends",
        "Alcohol intoxication, found in park",
        "Intoxicated, ambulance from town centre",
    ),
    "overdose": ("Paracetamol overdose, admitted", "Took tablets after argument at home"),
    "sti_test": (
        "Asymptomatic screen",
        "Requested screen, partner symptomatic",
        "Chlamydia screen",
    ),
    "emergency_contraception": ("EHC given", "Emergency contraception supplied"),
    "pregnancy_test": ("Pregnancy test negative", "Pregnancy test, counselled"),
    "illness": (
        "Fever, observed and discharged with advice",
        "Breathing difficulty, nebulised and discharged",
        "Abdominal pain, discharged",
        "Vomiting and diarrhoea, rehydrated",
        "Rash, reviewed and discharged",
        "Chest pain, ECG normal, discharged",
    ),
    "gp_referral": (
        "Referred by GP to assessment unit, discharged with follow-up",
        "GP referral with persistent cough, chest X-ray clear",
        "GP referral for suspected appendicitis, admitted",
        "Referred by GP, infection, antibiotics started",
    ),
    "other": ("Routine attendance",),
}
#: (event type, yearly rate, vulnerability weight, signal)
EDUCATION_RATES = (
    ("absence", 0.7, 0.2, ""),
    ("persistent_absence", 0.15, 0.45, "persistent_absence"),
    ("suspension", 0.04, 0.5, "exclusion"),
    ("permanent_exclusion", 0.0008, 0.6, "exclusion"),
    ("child_missing_education", 0.002, 0.5, "missing_education"),
    ("part_time_timetable", 0.004, 0.5, ""),
    # absences the school authorised but logs for the DSL (long illness, repeated appointments)
    ("authorised_absence", 0.06, 0.2, ""),
)
EDUCATION_NOTES = {
    "absence": "Unauthorised absence",
    "persistent_absence": "Attendance below 90% this term",
    "suspension": "Fixed-period suspension for persistent disruptive behaviour",
    "permanent_exclusion": "Permanently excluded",
    "child_missing_education": "Not on roll at any school; whereabouts being checked",
    "part_time_timetable": "Reduced timetable agreed with parent",
    "authorised_absence": "Authorised absence: illness, parent informed school",
}
#: Contract event types of the kinds that are not contract codes themselves.
EDUCATION_TYPES = {"authorised_absence": "absence"}


def _weighted(pop: Population, who: Ints, weight: float) -> Array:
    vul = pop["vulnerability"][who]
    return np.asarray(np.exp(weight * vul) / np.exp(weight * vul).mean())


def _notes(rng: np.random.Generator, table: dict[str, tuple[str, ...]], codes: Array) -> Array:
    out = np.empty(len(codes), dtype=object)
    for code in np.unique(codes).tolist():
        mask = codes == code
        out[mask] = rng.choice(np.array(table.get(code, table["other"])), int(mask.sum()))
    return out.astype(str)


def health_events(rng: np.random.Generator, pop: Population, period: Period) -> Batch:
    """A&E and sexual health attendances of children, and A&E visits of adults."""
    kids = np.flatnonzero(pop["is_child"])
    girls = pop["sex"][kids] == "female"
    parts: list[tuple[Ints, Array, str, str, str]] = []
    for code, setting, rate, ages, girl_f, vul_w, signal in HEALTH_RATES:
        if girl_f == GIRLS_ONLY:
            factor = np.where(girls, 1.0, 0.0)
        else:
            factor = np.where(girls, 2.0 * girl_f / (1 + girl_f), 2.0 / (1 + girl_f))
        who, day = occurrences(
            rng, pop, kids, rate * factor * _weighted(pop, kids, vul_w), period, ages
        )
        parts.append((who, day, code, setting, signal))
    adults = np.flatnonzero(~pop["is_child"])
    da = pop["domestic_abuse_at_home"][adults] & (pop["sex"][adults] == "female")
    who, day = occurrences(rng, pop, adults, np.where(da, 0.3, 0.1), period)
    parts.append((who, day, "injury", "emergency_department", ""))
    for code, setting, rate in ADULT_HEALTH_RATES:
        who, day = occurrences(rng, pop, adults, rate, period)
        parts.append((who, day, code, setting, ""))
    codes = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    return batch(
        "health_events",
        np.concatenate([p[0] for p in parts]),
        signal=np.concatenate([np.full(len(p[0]), p[4]) for p in parts]),
        attended_at=at_time(rng, np.concatenate([p[1] for p in parts]), 15, 5),
        setting=np.concatenate([np.full(len(p[0]), p[3]) for p in parts]),
        event_code=np.array([EVENT_CODES.get(c, c) for c in codes.tolist()], dtype=str),
        notes=_notes(rng, HEALTH_NOTES, codes),
    )


def education_events(
    rng: np.random.Generator, pop: Population, gaz: Gazetteer, period: Period
) -> Batch:
    """Absences, suspensions, exclusions and missing education for school-age children."""
    kids = np.flatnonzero(pop["is_child"])
    parts: list[tuple[Ints, Array, str, str]] = []
    for kind, rate, vul_w, signal in EDUCATION_RATES:
        who, day = occurrences(
            rng, pop, kids, rate * _weighted(pop, kids, vul_w), period, (5, 16.9)
        )
        parts.append((who, day, kind, signal))
    kinds = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    return education_batch(
        rng,
        pop,
        gaz,
        np.concatenate([p[0] for p in parts]),
        school_day(np.concatenate([p[1] for p in parts])),
        np.array([EDUCATION_TYPES.get(k, k) for k in kinds.tolist()], dtype=str),
        np.concatenate([np.full(len(p[0]), p[3]) for p in parts]),
        notes=np.array([EDUCATION_NOTES[k] for k in kinds.tolist()], dtype=str),
    )


def education_batch(
    rng: np.random.Generator,
    pop: Population,
    gaz: Gazetteer,
    who: Ints,
    start: Array,
    kind: Array,
    signal: Array,
    scenario: Array | str = "",
    notes: Array | None = None,
) -> Batch:
    """Education events with their school, length and sessions missed filled in."""
    n = len(who)
    secondary = age_at(pop, who, start) >= 11
    school = np.where(secondary, pop["secondary"][who], pop["primary"][who])
    length = np.select(
        [
            kind == "persistent_absence",
            kind == "suspension",
            kind == "part_time_timetable",
            kind == "absence",
        ],
        [
            rng.integers(40, 80, n),
            rng.integers(1, 5, n),
            rng.integers(20, 60, n),
            rng.integers(1, 5, n),
        ],
        0,
    )
    end = np.where(length > 0, start + length, np.datetime64("NaT")).astype("datetime64[D]")
    sessions = np.select(
        [kind == "persistent_absence", kind == "absence", kind == "suspension"],
        [rng.integers(12, 60, n), rng.integers(1, 8, n), 2 * length],
        -1,
    )
    if notes is None:
        notes = np.array([EDUCATION_NOTES[k] for k in kind.tolist()], dtype=str)
    return batch(
        "education_events",
        who,
        scenario=scenario,
        signal=signal,
        school=gaz.school[school],
        event_type=kind,
        start_date=start,
        end_date=end,
        sessions_missed=sessions,
        notes=notes,
    )

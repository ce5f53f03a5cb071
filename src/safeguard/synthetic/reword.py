"""The council-led family's everyday records, in the same varied wording as its planted ones.

Return home interviews of children who are not exploited say where they were and, often, what
they were not doing ("denies having a boyfriend", "staff do not believe she was with adults");
contacts, clinic notes and school notes carry the same denials and screenings. A detector that
matches words without reading them finds these as readily as the real concerns. Only rows that
belong to no planted scenario are reworded; every choice comes from the family's own stream.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from safeguard.synthetic.period import YEAR_DAYS
from safeguard.synthetic.places import COUNCIL_BY_CODE
from safeguard.synthetic.policing import POLICE
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, Ledger
from safeguard.synthetic.signals import HOMES, NHS, SCHOOLS
from safeguard.synthetic.types import Array, Bools
from safeguard.synthetic.wording import Slots, join, say

DENIALS = (
    "denied.boyfriend",
    "denied.gifts",
    "denied.images",
    "denied.cars",
    "denied.adults",
    "denied.substances",
    "denied.screening",
    "denied.hedged",
)
LEADS = {
    "school": "contact.school",
    "health": "contact.health",
    "public": "contact.public",
    "family": "contact.family",
    "police": "contact.police",
    "voluntary sector": "contact.youth_service",
}
#: Share of everyday rows that get a denial or hedge, by record.
DENY_RHI, DENY_CONTACT, DENY_CLINIC, DENY_SCHOOL = 0.4, 0.2, 0.4, 0.15
Writer = Callable[[np.random.Generator, Slots, int], str]


def reword(rng: np.random.Generator, ledger: Ledger, pop: Population) -> None:
    """Reword every council-led everyday record that has free text worth reading."""
    councils = {c.agency for c in COUNCIL_BY_CODE.values()}
    for (agency, kind), batches in sorted(ledger.batches.items()):
        for b in batches:
            if kind == "missing_episodes" and agency in councils:
                _rewrite(rng, pop, b, "notes", _everyday(b), _rhi(b))
            elif kind == "missing_episodes" and agency == POLICE:
                _rewrite(
                    rng,
                    pop,
                    b,
                    "notes",
                    _everyday(b) & _share(rng, b, 0.4),
                    _append(b, "notes", "police.notes"),
                )
            elif kind == "missing_episodes" and agency == HOMES:
                back = _everyday(b) & ~np.isnat(b.cols["returned_at"])
                _rewrite(rng, pop, b, "notes", back & _share(rng, b, 0.5), _home(b))
            elif kind == "contacts":
                _rewrite(rng, pop, b, "text", _everyday(b), _contact(b))
            elif kind == "health_events" and agency == NHS:
                clinic = b.cols["setting"] == "sexual_health_clinic"
                _rewrite(
                    rng,
                    pop,
                    b,
                    "notes",
                    _everyday(b) & clinic & _share(rng, b, DENY_CLINIC),
                    _append(b, "notes", "health.clinic_denied"),
                )
            elif kind == "education_events" and agency == SCHOOLS:
                older = _age(pop, b, "start_date") >= 11
                _rewrite(
                    rng,
                    pop,
                    b,
                    "notes",
                    _everyday(b) & older & _share(rng, b, DENY_SCHOOL),
                    _append(b, "notes", "education.denied"),
                )


def _everyday(b: Batch) -> Bools:
    scenario, _ = b.labels()
    return np.asarray(scenario == "")


def _share(rng: np.random.Generator, b: Batch, p: float) -> Bools:
    return np.asarray(rng.random(len(b)) < p)


def _age(pop: Population, b: Batch, when: str) -> Array:
    days = b.cols[when].astype("datetime64[D]") - pop["dob"][b.person].astype("datetime64[D]")
    return np.asarray(days.astype(np.int64) / YEAR_DAYS)


def _rewrite(
    rng: np.random.Generator, pop: Population, b: Batch, column: str, mask: Bools, write: Writer
) -> None:
    """Replace `column` in the masked rows by what `write` makes of each."""
    rows = np.flatnonzero(mask)
    if not len(rows) or column not in b.cols:
        return
    text = b.cols[column].astype(object)
    for r in rows.tolist():
        person = int(b.person[r])
        slots = Slots(
            name=str(pop["forename"][person]),
            girl=pop["sex"][person] == "female",
            town=str(pop["town"][person]) or "town",
        )
        text[r] = write(rng, slots, r)
    b.cols[column] = text.astype(str)


def _deny(rng: np.random.Generator, slots: Slots) -> str:
    return say(rng, DENIALS[int(rng.integers(len(DENIALS)))], slots)


def _append(b: Batch, column: str, key: str) -> Writer:
    before = b.cols[column].astype(str)

    def write(rng: np.random.Generator, slots: Slots, r: int) -> str:
        return join(before[r], say(rng, key, slots))

    return write


def _rhi(b: Batch) -> Writer:
    done = ~np.isnat(b.cols["rhi_completed_at"])
    offered = ~np.isnat(b.cols["rhi_offered_at"])

    def write(rng: np.random.Generator, slots: Slots, r: int) -> str:
        if not done[r]:
            return say(rng, "rhi.declined", slots) if offered[r] and rng.random() < 0.5 else ""
        told = [say(rng, "rhi.openers", slots), say(rng, "rhi.neutral", slots)]
        if rng.random() < DENY_RHI:
            told.append(_deny(rng, slots))
        return " ".join(told)

    return write


def _home(b: Batch) -> Writer:
    returned = b.cols["returned_at"]
    before = b.cols["notes"].astype(str)

    def write(rng: np.random.Generator, slots: Slots, r: int) -> str:
        when = str(returned[r].astype("datetime64[m]"))[11:16]
        slots = Slots(name=slots.name, girl=slots.girl, town=slots.town, when=when)
        return join(before[r], say(rng, "home.innocent_returned", slots))

    return write


def _contact(b: Batch) -> Writer:
    referrer = b.cols["referrer_agency"].astype(str)
    before = b.cols["text"].astype(str)

    def write(rng: np.random.Generator, slots: Slots, r: int) -> str:
        told = [before[r]]
        lead = LEADS.get(referrer[r])
        if lead and rng.random() < 0.3:
            told.insert(0, say(rng, lead, slots))
        if rng.random() < DENY_CONTACT:
            told.append(_deny(rng, slots))
        return " ".join(told)

    return write

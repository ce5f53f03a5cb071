"""Families of planted scenarios: two independent ways of writing the same exploitation.

- `police_led` (the default, the original generator): the police hold much of the evidence, in
  a few fixed phrases, with vehicles, phones and named suspects.
- `council_led`: councils, homes, schools and health hold most of it, in varied professional
  wording with denials and hedges; schools and probation deliver sightings, councils flag the
  professionals they employ, people known only by a nickname carry no other identifier, and
  coded fields are typed the way each agency's system types them.

Detection tuned to one family is measured on the other (bench/bench_intelligence.py).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from safeguard.synthetic.agencies import AGENCIES, Agency
from safeguard.synthetic.deliveries import Table
from safeguard.synthetic.noise import format_phone
from safeguard.synthetic.places import COUNCIL_BY_CODE
from safeguard.synthetic.plots import Plot
from safeguard.synthetic.policing import PROBATION
from safeguard.synthetic.population import Population
from safeguard.synthetic.signals import NHS, SCHOOLS
from safeguard.synthetic.variants import vary_codes

POLICE_LED, COUNCIL_LED = "police_led", "council_led"
FAMILIES = (POLICE_LED, COUNCIL_LED)
#: People fields that would identify a person known only by a nickname and a phone.
IDENTIFYING = (
    "surname",
    "date_of_birth",
    "nhs_number",
    "upn",
    "pnc_id",
    "address",
    "town",
    "postcode",
    "email",
    "flags",
)


def check(family: str) -> str:
    """`family` if it is one of FAMILIES; ValueError naming them otherwise."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; families: {', '.join(FAMILIES)}")
    return family


def agencies_for(family: str) -> tuple[Agency, ...]:
    """The agencies and what each delivers, for a family."""
    if check(family) == POLICE_LED:
        return AGENCIES
    councils = {c.agency for c in COUNCIL_BY_CODE.values()}
    out = []
    for a in AGENCIES:
        if a.code in (SCHOOLS, PROBATION):
            a = replace(a, kinds=(*a.kinds, "sightings"))
        if a.code in councils:
            a = replace(a, style=replace(a.style, flags=(*a.style.flags, "staff_member")))
        out.append(a)
    return tuple(out)


def finish(
    rng: np.random.Generator,
    agency: Agency,
    tables: dict[str, Table],
    pop: Population,
    plots: list[Plot],
) -> None:
    """The council-led family's last touches to one delivery, after it is formatted."""
    nicknamed = [p for plot in plots if plot.nickname for p in plot.scen.perpetrators]
    if "people" in tables and nicknamed and agency.code != NHS:  # the NHS knows its patients
        _nickname_only(rng, agency, tables["people"], pop, nicknamed)
    vary_codes(rng, tables)


def _nickname_only(
    rng: np.random.Generator, agency: Agency, people: Table, pop: Population, who: list[int]
) -> None:
    """People known only by a nickname and a phone: every other identifier left blank."""
    rows = np.flatnonzero(np.isin(people.person, who))
    if not len(rows):
        return
    cols = people.columns
    for name in IDENTIFYING:
        if name in cols:
            cols[name] = cols[name].astype(object)
            cols[name][rows] = ""
            cols[name] = cols[name].astype(str)
    nick = pop["alias"][people.person[rows]]
    as_name = rng.random(len(rows)) < 0.5
    for name, values in (
        ("forenames", np.where(as_name, nick, "")),
        ("other_names", np.where(as_name, "", nick)),
        ("phone", format_phone(rng, pop["phone"][people.person[rows]], agency.style.phone_format)),
    ):
        column = cols[name].astype(object)
        column[rows] = values
        cols[name] = column.astype(str)

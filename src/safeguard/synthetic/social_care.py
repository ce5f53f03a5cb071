"""What the four councils' children's services hold: contacts to the MASH, placements of
looked-after children, and (for the homes' own delivery) the list of children's homes.

Contact volumes follow the shape of the Children in Need statistics (2018/19: 650,900 referrals,
23% re-referrals): most contacts concern a minority of children in difficult households, and
schools and police make most of them.
"""

from __future__ import annotations

import numpy as np

from safeguard.synthetic.care import Care
from safeguard.synthetic.period import Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, batch
from safeguard.synthetic.timeline import at_time, occurrences, pick

CONTACT_RATE = 0.16
REFERRERS = (
    ("school", 0.30, "Designated safeguarding lead"),
    ("police", 0.28, "Police officer"),
    ("health", 0.15, "Health visitor"),
    ("family", 0.08, "Parent"),
    ("public", 0.06, "Neighbour"),
    ("council", 0.05, "Housing officer"),
    ("voluntary sector", 0.05, "Youth worker"),
    ("anonymous", 0.03, "Anonymous"),
)
CATEGORIES = (
    ("neglect", 0.2),
    ("domestic_abuse", 0.2),
    ("emotional_abuse", 0.1),
    ("physical_abuse", 0.1),
    ("mental_health", 0.08),
    ("self_harm", 0.05),
    ("substance_misuse", 0.05),
    ("sexual_abuse", 0.04),
    ("missing", 0.04),
    ("sexual_exploitation", 0.025),
    ("criminal_exploitation", 0.03),
    ("online_harm", 0.03),
    ("other", 0.045),
)
CATEGORY_TEXT = {
    "neglect": "Child often arrives hungry and in unwashed clothes.",
    "domestic_abuse": "Police attended a domestic incident at the family home; child present.",
    "emotional_abuse": "Child says they are shouted at and called names at home.",
    "physical_abuse": "Bruising to upper arm noticed; explanation inconsistent.",
    "mental_health": "Child low in mood, not sleeping; GP aware.",
    "self_harm": "Child disclosed self-harming to a friend.",
    "substance_misuse": "Child smelt of cannabis in school on several occasions.",
    "sexual_abuse": "Child made a comment suggesting inappropriate touching.",
    "missing": "Family report child staying out late and not saying where.",
    "sexual_exploitation": "Concern child may be at risk of exploitation; friends talk about "
    "parties.",
    "criminal_exploitation": "Child seen with older youths; suspected of carrying drugs.",
    "online_harm": "Child contacted by strangers on social media.",
    "other": "Family struggling with housing; asking for support.",
}
CATEGORY_SIGNAL = {
    "sexual_exploitation": "cse_concern",
    "missing": "staying_out_late",
    "self_harm": "self_harm",
    "substance_misuse": "drugs_or_alcohol",
    "online_harm": "worrying_online_use",
}


def contacts(rng: np.random.Generator, pop: Population, period: Period) -> dict[str, Batch]:
    """Background contacts to each council's MASH, keyed by the council's agency code."""
    kids = np.flatnonzero(pop["is_child"])
    vul = pop["vulnerability"][kids]
    weight = np.exp(0.55 * vul) / np.exp(0.55 * vul).mean()
    who, day = occurrences(rng, pop, kids, CONTACT_RATE * weight, period, (0, 18))
    n = len(who)
    ref = rng.choice(len(REFERRERS), n, p=[r[1] for r in REFERRERS])
    first = pick(rng, CATEGORIES, n)
    second = np.where(rng.random(n) < 0.3, pick(rng, CATEGORIES, n), "")
    second = np.where(second == first, "", second)
    cats = np.where(second == "", first, np.char.add(np.char.add(first, ";"), second))
    text = np.array([CATEGORY_TEXT[c] for c in first.tolist()], dtype=str)
    signal = np.array([CATEGORY_SIGNAL.get(c, "") for c in first.tolist()], dtype=str)
    parents = _parents(rng, pop, who)
    received = at_time(rng, day, 12, 2.2)
    out: dict[str, Batch] = {}
    for code, council in COUNCIL_BY_CODE.items():
        mask = pop["council"][who] == code
        idx = np.flatnonzero(mask)
        out[council.agency] = batch(
            "contacts",
            who[idx],
            signal=signal[idx],
            refs={"other_person_ids": [parents[i] for i in idx.tolist()]},
            received_at=received[idx],
            referrer_agency=np.array([REFERRERS[r][0] for r in ref[idx].tolist()], dtype=str),
            referrer_role=np.array([REFERRERS[r][2] for r in ref[idx].tolist()], dtype=str),
            concern_categories=cats[idx],
            text=text[idx],
        )
    return out


def _parents(rng: np.random.Generator, pop: Population, who: np.ndarray) -> list[tuple[int, ...]]:
    """The parents a contact names (usually the mother, often both, sometimes neither)."""
    p1, p2 = pop["parent1"][who], pop["parent2"][who]
    u = rng.random(len(who))
    out: list[tuple[int, ...]] = []
    for a, b, x in zip(p1.tolist(), p2.tolist(), u.tolist(), strict=True):
        named = (a,) if x < 0.5 else (a, b) if x < 0.8 else ()
        out.append(tuple(i for i in named if i >= 0))
    return out


def placements(pop: Population, gaz: Gazetteer, care: Care) -> dict[str, Batch]:
    """Each council's placements of its looked-after children."""
    out: dict[str, Batch] = {}
    council = pop["council"][care.child]
    home_ref = np.where(care.home >= 0, gaz.home_id[np.maximum(care.home, 0)], "")
    for code, c in COUNCIL_BY_CODE.items():
        idx = np.flatnonzero(council == code)
        out[c.agency] = batch(
            "placements",
            care.child[idx],
            signal=np.where(care.type[idx] == "childrens_home", "looked_after", ""),
            placement_type=care.type[idx],
            care_home_id=home_ref[idx],
            start_date=care.start[idx],
            end_date=care.end[idx],
            placing_council=code,
        )
    return out


def care_homes(gaz: Gazetteer) -> Batch:
    """The children's homes, with their fixed ids (other records refer to them)."""
    return batch(
        "care_homes",
        np.full(len(gaz.home_id), -1),
        record_id=gaz.home_id,
        name=gaz.home_name,
        address=gaz.home_address,
        town=gaz.home_town,
        postcode=gaz.home_postcode,
        council_area=gaz.home_council,
        provider=gaz.home_provider,
    )

"""A contact to the MASH, from arrival to decision (DOMAIN.md section 3).

Every contact is treated as a referral (Working Together 2023), so its decision clock
(`referral_decision`, 1 working day) starts when it arrives. A child with an open case goes to
the allocated worker's team (`route`); otherwise a MASH practitioner rates it Red, Amber,
Green or Blue with a reason (`rate`, again whenever the rating changes), which starts the
clock within which the agencies asked share what they hold (`request_checks`). A MASH manager
decides, with reasons and the outcomes (`decide`); a decision can be reopened when new
information arrives, and goes back to be rated again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safeguard.access.roles import MASH, Role
from safeguard.casework.vocabulary import Vocabulary
from safeguard.workflow.machine import Machine, Transition

RECEIVED, ROUTED, RATED, CHECKING, DECIDED = "received", "routed", "rated", "checking", "decided"
#: A contact still waiting for its decision.
OPEN = frozenset({RECEIVED, ROUTED, RATED, CHECKING})
STATE_LABELS = {
    RECEIVED: "Waiting for screening",
    ROUTED: "With the allocated worker's team",
    RATED: "Rated",
    CHECKING: "Agency checks",
    DECIDED: "Decided",
}

_MANAGER = frozenset({Role.MASH_MANAGER})
#: From a contact routed to an open case, the allocated team's social worker records what
#: was done (or a MASH manager does, should the team not).
_ALLOCATED = _MANAGER | {Role.SOCIAL_WORKER}
DECISION_CLOCK = "referral_decision"

MACHINE = Machine(
    name="contact",
    states=(RECEIVED, ROUTED, RATED, CHECKING, DECIDED),
    initial=RECEIVED,
    transitions=(
        Transition(RECEIVED, "rate", RATED, MASH, "Rate it", starts=("rating",)),
        Transition(RATED, "rate", RATED, MASH, "Change the rating", starts=("rating",)),
        Transition(CHECKING, "rate", CHECKING, MASH, "Change the rating", starts=("rating",)),
        Transition(RECEIVED, "route", ROUTED, MASH, "Send to the allocated worker's team"),
        Transition(RATED, "route", ROUTED, MASH, "Send to the allocated worker's team"),
        Transition(ROUTED, "take_back", RECEIVED, MASH, "Take back into the MASH"),
        Transition(RATED, "request_checks", CHECKING, MASH, "Ask agencies", reason_required=False),
        Transition(
            CHECKING, "request_checks", CHECKING, MASH, "Ask more agencies", reason_required=False
        ),
        Transition(RATED, "decide", DECIDED, _MANAGER, "Decide", stops=(DECISION_CLOCK,)),
        Transition(CHECKING, "decide", DECIDED, _MANAGER, "Decide", stops=(DECISION_CLOCK,)),
        Transition(ROUTED, "decide", DECIDED, _ALLOCATED, "Record the decision"),
        Transition(DECIDED, "reopen", RECEIVED, _MANAGER, "Reopen", starts=(DECISION_CLOCK,)),
    ),
)


def reference(pk: int, received: dt.datetime) -> str:
    """A contact's reference, as people say it on the phone: MASH-2026-000123."""
    return f"MASH-{received.year}-{pk:06d}"


def next_due(
    state: str, decision_due: dt.datetime | None, checks_due: dt.datetime | None
) -> dt.datetime | None:
    """When the contact next needs something done: the earlier of its decision clock and the
    checks clock (`checks_due`, given only while agencies still have checks to answer). None
    once decided."""
    if state not in OPEN:
        return None
    found = [d for d in (decision_due, checks_due) if d is not None]
    return min(found) if found else None


def re_referral(
    received: dt.datetime, earlier: Iterable[dt.datetime], months: int
) -> dt.datetime | None:
    """The latest earlier contact about the same child within `months` before this one (the
    census counts that as a re-referral), or None."""
    since = _months_before(received, months)
    found = [e for e in earlier if since <= e < received]
    return max(found) if found else None


def live(received: dt.datetime, arrived: dt.datetime, days: int) -> bool:
    """Does a delivered contact enter the MASH queue? Only when received at most `days`
    before it arrived: older delivered contacts are the child's history, not new work."""
    return arrived - dt.timedelta(days=days) <= received <= arrived + dt.timedelta(hours=1)


def outcomes_problem(chosen: Iterable[str], vocabulary: Vocabulary) -> str:
    """Why these outcomes cannot be decided together ("" when they can)."""
    picked = list(dict.fromkeys(chosen))
    if not picked:
        return "choose at least one outcome"
    unknown = [c for c in picked if c not in vocabulary.outcomes]
    if unknown:
        return f"unknown outcome {', '.join(unknown)}"
    alone = [c for c in picked if vocabulary.outcomes[c].alone]
    if alone and len(picked) > 1:
        return f"{vocabulary.outcomes[alone[0]].label} cannot be combined with another outcome"
    return ""


def allocates(chosen: Iterable[str], vocabulary: Vocabulary) -> bool:
    """Do these outcomes give the child's case to a team (which the decision must name)?"""
    return any(vocabulary.outcomes[c].allocate for c in chosen if c in vocabulary.outcomes)


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, _days_in(year, month + 1))
    return moment.replace(year=year, month=month + 1, day=day)


def _days_in(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day

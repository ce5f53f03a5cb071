"""A child's missing episode, from the report to their return (DOMAIN.md section 5).

Whoever knows first reports it - the children's home, a parent through the police, a social
worker: missing (whereabouts unknown, out of character or a risk of harm), absent (not where
expected, no apparent risk) or away from placement without authorisation (a child in care
whose whereabouts are known). The police grade the risk on one continuum (no apparent risk,
low, medium, high) and review the grade while the child is away, each time with the reason.
When the child is found or returns, where, by whom and with whom are kept, and the return home
interview's clock starts. An episode reported in error is cancelled, saying why.

Reports of the same child from several agencies whose times overlap (within a slack of a few
hours) are one episode: `same_episode`.
"""

from __future__ import annotations

import datetime as dt

from safeguard.access.roles import MASH, Role
from safeguard.workflow.machine import Machine, Transition

AWAY, RETURNED, CANCELLED = "away", "returned", "cancelled"
STATE_LABELS = {AWAY: "Away now", RETURNED: "Returned", CANCELLED: "Cancelled"}
#: The contract's categories (`missing_episodes.category`), in words.
KINDS = {
    "missing": "Missing: whereabouts unknown",
    "absent": "Absent: not where expected, no apparent risk",
    "away_without_authorisation": "Away from placement without authorisation: whereabouts known",
}
GRADES = {
    "no_apparent_risk": "No apparent risk",
    "low": "Low risk",
    "medium": "Medium risk",
    "high": "High risk",
}
RHI_CLOCK = "return_home_interview"

#: Who reports and follows an episode: the home's staff, the child's social worker, the
#: police, the MASH.
_REPORTERS = MASH | {Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.POLICE_SPOC, Role.HOME_STAFF}
_POLICE = frozenset({Role.POLICE_OFFICER, Role.POLICE_SPOC})

MACHINE = Machine(
    name="episode",
    states=(AWAY, RETURNED, CANCELLED),
    initial=AWAY,
    transitions=(
        Transition(AWAY, "grade", AWAY, _POLICE, "Grade the risk"),
        Transition(
            AWAY,
            "find",
            RETURNED,
            _REPORTERS,
            "Record the return",
            reason_required=False,
            starts=(RHI_CLOCK,),
        ),
        Transition(AWAY, "cancel", CANCELLED, _POLICE | MASH, "Cancel (reported in error)"),
        Transition(RETURNED, "grade", RETURNED, _POLICE, "Review the risk grade"),
    ),
)


def same_episode(
    a: tuple[dt.datetime, dt.datetime | None],
    b: tuple[dt.datetime, dt.datetime | None],
    slack: dt.timedelta,
) -> bool:
    """Do two reports of one child (each from its start to its end, None while away) cover
    the same time, give or take `slack`?"""
    (a0, a1), (b0, b1) = a, b
    far = dt.datetime.max.replace(tzinfo=a0.tzinfo)
    return a0 - slack <= (b1 or far) and b0 - slack <= (a1 or far)


def hours_away(start: dt.datetime, end: dt.datetime | None, now: dt.datetime) -> float:
    """How long the child has been (or was) away, in hours."""
    return ((end or now) - start).total_seconds() / 3600


def triggers(
    starts: list[dt.datetime],
    longest_hours: float,
    repeat: int,
    days: int,
    long_hours: int,
) -> list[str]:
    """Why a strategy discussion is recommended for a child: `repeat` or more episodes
    starting within `days` of the latest (repeat), or one away longer than `long_hours` (long)."""
    found = []
    if starts:
        latest = max(starts)
        recent = [s for s in starts if latest - dt.timedelta(days=days) <= s <= latest]
        if len(recent) >= repeat:
            found.append("repeat")
    if longest_hours > long_hours:
        found.append("long")
    return found


def report_problems(
    kind: str, started: dt.datetime, now: dt.datetime, named: bool, text_lengths: dict[str, int]
) -> dict[str, str]:
    """What is wrong with a report of a child away, by field ({} when nothing is)."""
    found: dict[str, str] = {}
    if kind not in KINDS:
        found["kind"] = "Choose missing, absent or away from placement"
    if started > now + dt.timedelta(minutes=5):
        found["started_at"] = "The child cannot be last seen in the future"
    if not named:
        found["child"] = "Say which child: choose a resident, or give their name"
    for name, length in text_lengths.items():
        if length > 20_000:
            found[name] = "Keep this under 20,000 characters"
    return found


def return_problems(
    started: dt.datetime, returned: dt.datetime, now: dt.datetime, where: str
) -> dict[str, str]:
    """What is wrong with a recorded return, by field."""
    found: dict[str, str] = {}
    if returned > now + dt.timedelta(minutes=5):
        found["returned_at"] = "A return cannot be in the future"
    elif returned < started:
        found["returned_at"] = "The return cannot be before the child was last seen"
    if not where.strip():
        found["found_where"] = "Say where the child was found or came back to"
    return found

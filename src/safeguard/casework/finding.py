"""A network finding's disposition: open until a person investigates, explains or closes it.

Explained (a known, harmless link, such as school transport) and closed findings stop counting
as evidence in screening and keep their disposition when later analyses find them again; either
can be reopened. Every step needs a reason, which is kept with who took it and when.
"""

from __future__ import annotations

from safeguard.access.roles import MASH, Role
from safeguard.workflow.machine import Machine, Transition

OPEN, INVESTIGATING, EXPLAINED, CLOSED = "open", "under_investigation", "explained", "closed"
#: Dispositions that stop a finding counting as evidence.
SETTLED = frozenset({EXPLAINED, CLOSED})

#: Who works findings: those who read intelligence and act on it.
_WORKERS = MASH | {Role.ANALYST, Role.POLICE_OFFICER}
#: Who may settle one: a settled finding stops counting as evidence in every screening.
_SETTLERS = frozenset({Role.MASH_MANAGER, Role.ANALYST, Role.POLICE_OFFICER})

MACHINE = Machine(
    name="finding",
    states=(OPEN, INVESTIGATING, EXPLAINED, CLOSED),
    initial=OPEN,
    transitions=(
        Transition(OPEN, "investigate", INVESTIGATING, _WORKERS, "Investigate"),
        Transition(OPEN, "explain", EXPLAINED, _SETTLERS, "Explain (a known, harmless link)"),
        Transition(OPEN, "close", CLOSED, _SETTLERS, "Close"),
        Transition(INVESTIGATING, "explain", EXPLAINED, _SETTLERS, "Explain"),
        Transition(INVESTIGATING, "close", CLOSED, _SETTLERS, "Close"),
        Transition(INVESTIGATING, "stand_down", OPEN, _WORKERS, "Stand down the investigation"),
        Transition(EXPLAINED, "reopen", OPEN, _WORKERS, "Reopen"),
        Transition(CLOSED, "reopen", OPEN, _WORKERS, "Reopen"),
    ),
)

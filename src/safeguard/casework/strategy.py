"""A strategy discussion recommended for a child who keeps going missing, or was away a long
time (the triggers are configuration: 3 episodes in 90 days, or over 24 hours, by default).
The task is due on the one clock (`strategy_discussion_after_missing`); whoever holds it
records that the discussion was held and what was agreed, or stands it down with the reason."""

from __future__ import annotations

from safeguard.access.roles import MASH, Role
from safeguard.workflow.machine import Machine, Transition

OPEN, HELD, STOOD_DOWN = "open", "held", "stood_down"
STATE_LABELS = {OPEN: "To hold", HELD: "Held", STOOD_DOWN: "Stood down"}
CLOCK = "strategy_discussion_after_missing"
_HOLDERS = MASH | {Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.POLICE_SPOC}

MACHINE = Machine(
    name="strategy discussion",
    states=(OPEN, HELD, STOOD_DOWN),
    initial=OPEN,
    transitions=(
        Transition(OPEN, "hold", HELD, _HOLDERS, "Record the discussion", stops=(CLOCK,)),
        Transition(
            OPEN,
            "stand_down",
            STOOD_DOWN,
            MASH | {Role.SOCIAL_WORKER},
            "Stand down",
            stops=(CLOCK,),
        ),
    ),
)

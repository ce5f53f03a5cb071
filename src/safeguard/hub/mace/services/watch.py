"""The MACE actions' watch (run with the other clocks, every minute beside the pages): an open
action past the end of its due day alerts its owner, once per due date; each first alert is a
`clock_overdue` event."""

from __future__ import annotations

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import ClockOverdue, Refused
from safeguard.access.policy import Decision
from safeguard.hub import reactions
from safeguard.hub.alerts import queries as alert_queries
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mace import queries
from safeguard.hub.mash.services.steps import attempt

_WATCH = Decision(True, "the hub's own watch on its clocks")
#: What the audit trail calls the clock (an action's due date is the meeting's, not a
#: timescale of the catalogue).
CLOCK = "mace_action_due"


@reactions.on(reactions.Stage.CLOCKS_CHECKED, "mace_overdue")
def sweep(caller: Caller) -> dict[str, int]:
    """Alert the owners of MACE actions newly overdue; how many were told."""
    late = {
        f"{a.pk}:{a.due_on.isoformat()}": a for a in queries.overdue_actions(timezone.localdate())
    }
    told = 0
    for key in sorted(set(late) - alert_queries.already_told("mace_action_overdue", list(late))):
        found = late[key]
        with attempt(caller, Refused("alert an owner", f"MACE action {found.pk}")):
            named = alerts.tell(
                [found.owner],
                "mace_action_overdue",
                key,
                f"Overdue: MACE action {found.pk}, due {queries.day(found.due_on)}",
                f"/mace/actions/{found.pk}/",
            )
            if named:
                event = ClockOverdue(
                    f"MACE action {found.pk}", CLOCK, found.due_on.isoformat(), tuple(named)
                )
                audit.write(caller.actor, event, _WATCH, caller.channel)
                told += 1
    return {"newly_told": told}

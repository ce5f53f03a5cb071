"""The review actions' watch (run with the other clocks, every minute beside the pages): an
open or started action past the end of its due day alerts its owner, once per due date; each
first alert is a `clock_overdue` event."""

from __future__ import annotations

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import ClockOverdue, Refused
from safeguard.access.policy import Decision
from safeguard.hub import reactions
from safeguard.hub.alerts import queries as alert_queries
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.governance import queries
from safeguard.hub.mash.services.steps import attempt

_WATCH = Decision(True, "the hub's own watch on its clocks")
#: What the audit trail calls the clock (an action's due date is the plan's, not a timescale
#: of the catalogue).
CLOCK = "review_action_due"
KIND = "review_action_overdue"


@reactions.on(reactions.Stage.CLOCKS_CHECKED, "review_overdue")
def sweep(caller: Caller) -> dict[str, int]:
    """Alert the owners of review actions newly overdue; how many were told."""
    late = {
        f"{a.pk}:{a.due_on.isoformat()}": a for a in queries.overdue_actions(timezone.localdate())
    }
    told = 0
    for key in sorted(set(late) - alert_queries.already_told(KIND, list(late))):
        found = late[key]
        with attempt(caller, Refused("alert an owner", f"review action {found.pk}")):
            named = alerts.tell(
                [found.owner],
                KIND,
                key,
                f"Overdue: review action {found.pk}, due {queries.day(found.due_on)}",
                f"/governance/actions/{found.pk}/",
            )
            if named:
                event = ClockOverdue(
                    f"review action {found.pk}", CLOCK, found.due_on.isoformat(), tuple(named)
                )
                audit.write(caller.actor, event, _WATCH, caller.channel)
                told += 1
    return {"newly_told": told}

"""A multi-agency check: the MASH asks an agency what it holds about the people a contact
names, and the agency's worker answers from their own records before the rating's clock runs
out. An agency worker answers only their own agency's checks (the service's rule); the MASH
may withdraw a check it no longer needs, saying why."""

from __future__ import annotations

from safeguard.access.roles import AGENCY_BOUND, MASH
from safeguard.workflow.machine import Machine, Transition

REQUESTED, ANSWERED, WITHDRAWN = "requested", "answered", "withdrawn"
STATE_LABELS = {REQUESTED: "Waiting", ANSWERED: "Answered", WITHDRAWN: "Withdrawn"}

MACHINE = Machine(
    name="check",
    states=(REQUESTED, ANSWERED, WITHDRAWN),
    initial=REQUESTED,
    transitions=(
        # the answer itself is required by the service: it is what the agency holds
        Transition(REQUESTED, "answer", ANSWERED, AGENCY_BOUND, "Answer", reason_required=False),
        Transition(REQUESTED, "withdraw", WITHDRAWN, MASH, "Withdraw"),
    ),
)

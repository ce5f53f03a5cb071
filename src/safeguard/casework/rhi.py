"""A return home interview: offered to the child after every episode, by someone independent
of their carers (the commissioned provider's worker), within 72 hours of their return
(`return_home_interview`, the one clock). The child may accept or decline (the reason kept);
the worker records the interview: push and pull factors, who the child was with and where,
what they disclosed, and what should happen next. An interview that cannot happen (the child
cannot be reached, has gone missing again) is closed as not done, saying why."""

from __future__ import annotations

from safeguard.access.roles import Role
from safeguard.workflow.machine import Machine, Transition

DUE, OFFERED, ACCEPTED, DONE, DECLINED, NOT_DONE = (
    "due",
    "offered",
    "accepted",
    "done",
    "declined",
    "not_done",
)
OPEN = frozenset({DUE, OFFERED, ACCEPTED})
STATE_LABELS = {
    DUE: "To offer",
    OFFERED: "Offered",
    ACCEPTED: "Accepted",
    DONE: "Done",
    DECLINED: "Declined",
    NOT_DONE: "Not done",
}
_WORKER = frozenset({Role.RHI_WORKER})

MACHINE = Machine(
    name="return home interview",
    states=(DUE, OFFERED, ACCEPTED, DONE, DECLINED, NOT_DONE),
    initial=DUE,
    transitions=(
        Transition(DUE, "offer", OFFERED, _WORKER, "Record the offer", reason_required=False),
        Transition(
            OFFERED, "accept", ACCEPTED, _WORKER, "The child accepted", reason_required=False
        ),
        Transition(
            OFFERED,
            "decline",
            DECLINED,
            _WORKER,
            "The child declined",
            stops=("return_home_interview",),
        ),
        Transition(
            DUE,
            "complete",
            DONE,
            _WORKER,
            "Record the interview",
            reason_required=False,
            stops=("return_home_interview",),
        ),
        Transition(
            OFFERED,
            "complete",
            DONE,
            _WORKER,
            "Record the interview",
            reason_required=False,
            stops=("return_home_interview",),
        ),
        Transition(
            ACCEPTED,
            "complete",
            DONE,
            _WORKER,
            "Record the interview",
            reason_required=False,
            stops=("return_home_interview",),
        ),
        Transition(DUE, "not_done", NOT_DONE, _WORKER, "Close: it could not happen"),
        Transition(OFFERED, "not_done", NOT_DONE, _WORKER, "Close: it could not happen"),
        Transition(ACCEPTED, "not_done", NOT_DONE, _WORKER, "Close: it could not happen"),
    ),
)

"""The MACE services, one function per action (see each module): meetings (`meetings`), the
agenda (`agenda`), decisions and actions (`decisions`), disruption (`disruption`), the audited
readings (`reads`) and the actions' watch (`watch`). Views and the command line call these and
nothing else."""

from safeguard.hub.mace.services import reads
from safeguard.hub.mace.services.agenda import Addition, add, build
from safeguard.hub.mace.services.decisions import Task, decide, set_action, step
from safeguard.hub.mace.services.disruption import Disrupt, record
from safeguard.hub.mace.services.meetings import Plan, change, schedule
from safeguard.hub.mace.services.watch import sweep

__all__ = [
    "Addition",
    "Disrupt",
    "Plan",
    "Task",
    "add",
    "build",
    "change",
    "decide",
    "reads",
    "record",
    "schedule",
    "set_action",
    "step",
    "sweep",
]

"""The missing-children services, one function per action (see each module): episodes
(`episodes`), return home interviews (`interviews`), strategy discussions (`tasks`), the
Philomena Protocol (`philomena`), the audited readings (`reads`) and the clocks' watch
(`watch`). Views and the command line call these and nothing else."""

from safeguard.hub.missing.services import reads
from safeguard.hub.missing.services.episodes import (
    Away,
    Found,
    cancel,
    find,
    grade,
    open_interview,
    report,
    take_delivered,
)
from safeguard.hub.missing.services.interviews import Said, step
from safeguard.hub.missing.services.philomena import (
    PartOne,
    hand_over,
    keep_part_one,
    keep_part_two,
    pack,
)
from safeguard.hub.missing.services.tasks import check_pattern, close
from safeguard.hub.missing.services.watch import sweep

__all__ = [
    "Away",
    "Found",
    "PartOne",
    "Said",
    "cancel",
    "check_pattern",
    "close",
    "find",
    "grade",
    "hand_over",
    "keep_part_one",
    "keep_part_two",
    "open_interview",
    "pack",
    "reads",
    "report",
    "step",
    "sweep",
    "take_delivered",
]

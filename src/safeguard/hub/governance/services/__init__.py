"""The review's services, one function per action (see each module): self-assessments and
their review (`assessments`), the action plan (`actions`), the Ofsted register's import
(`ofsted`), the audited readings (`reads`) and the actions' watch (`watch`). Views and the
command line call these and nothing else."""

from safeguard.hub.governance.services import reads
from safeguard.hub.governance.services.actions import Task, set_action, step
from safeguard.hub.governance.services.assessments import Statement, assess, decide
from safeguard.hub.governance.services.ofsted import Imported, import_judgements
from safeguard.hub.governance.services.watch import sweep

__all__ = [
    "Imported",
    "Statement",
    "Task",
    "assess",
    "decide",
    "import_judgements",
    "reads",
    "set_action",
    "step",
    "sweep",
]

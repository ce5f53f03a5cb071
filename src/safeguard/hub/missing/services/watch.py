"""The missing clocks' watch (run with the MASH's, every minute beside the pages): an
interview past its 72 hours alerts the provider's interviewers and the episode's home's
SPOC, a strategy discussion past its due date alerts the MASH managers; each once per due
time, each first alert a `clock_overdue` event."""

from __future__ import annotations

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import ClockOverdue, Refused
from safeguard.access.policy import Decision
from safeguard.casework import strategy
from safeguard.hub import reactions
from safeguard.hub.accounts.models import User
from safeguard.hub.alerts import queries as alert_queries
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mash import queries as mash
from safeguard.hub.mash.services.steps import attempt
from safeguard.hub.missing import queries

_WATCH = Decision(True, "the hub's own watch on its clocks")


@reactions.on(reactions.Stage.CLOCKS_CHECKED, "missing_overdue")
def sweep(caller: Caller) -> dict[str, int]:
    """Alert the owners of interviews and strategy discussions newly overdue; how many."""
    now = timezone.now()
    told = 0
    late = {f"{i.pk}:{i.due_at.isoformat()}": i for i in queries.overdue_interviews(now)}
    for key in set(late) - alert_queries.already_told("interview_overdue", list(late)):
        found = late[key]
        home = found.episode.home
        owners = mash.with_role("rhi_worker", found.provider) + (
            [home.police_spoc] if home and home.police_spoc else []
        )
        told += _tell(
            caller,
            owners,
            "interview_overdue",
            key,
            f"Overdue: the return home interview for episode {found.episode_id}",
            f"/missing/interviews/{found.pk}/",
            f"episode {found.episode_id}",
            "return_home_interview",
            found.due_at,
        )
    tasks = {f"{t.pk}:{t.due_at.isoformat()}": t for t in queries.overdue_tasks(now)}
    for key in set(tasks) - alert_queries.already_told("task_overdue", list(tasks)):
        task = tasks[key]
        told += _tell(
            caller,
            mash.with_role("mash_manager"),
            "task_overdue",
            key,
            f"Overdue: strategy discussion task {task.pk}",
            f"/missing/tasks/{task.pk}/",
            f"task {task.pk}",
            strategy.CLOCK,
            task.due_at,
        )
    return {"newly_told": told}


def _tell(
    caller: Caller,
    owners: list[User],
    kind: str,
    key: str,
    message: str,
    url: str,
    what: str,
    clock: str,
    due: object,
) -> int:
    if not owners:
        return 0
    with attempt(caller, Refused("alert an owner", what)):
        named = alerts.tell(owners, kind, key, message, url)
        if named:
            when = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
            audit.write(
                caller.actor, ClockOverdue(what, clock, when, tuple(named)), _WATCH, caller.channel
            )
            return 1
    return 0

"""Strategy discussions for a child's pattern of going missing: a return is checked against
the triggers (configuration: repeat episodes within so many days, or one away too long), and
each trigger opens one task at a time, due on the one clock, with the MASH managers alerted;
whoever holds it records the discussion, or stands it down with the reason."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.caller import Caller, Denied, RuleBroken
from safeguard.access.events import Channel, Refused, StrategyTaskClosed, StrategyTaskOpened
from safeguard.access.policy import Action, Actor, Decision, act
from safeguard.casework import episode as episodes
from safeguard.casework import strategy as table
from safeguard.hub import clocks
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mash import queries as mash
from safeguard.hub.mash.services.steps import attempt
from safeguard.hub.missing.models import Episode, StrategyTask
from safeguard.hub.missing.services.steps import keep

_PATTERN = Decision(True, "the child's pattern of going missing meets a trigger")
#: Who the audit trail names for what the hub's own rules do.
HUB = Actor.of_installation("hub rules")


def check_pattern(caller: Caller | None, found: Episode, now: dt.datetime) -> list[StrategyTask]:
    """Open a task for each trigger the child's episodes now meet (inside the caller's
    transaction); none while one for the same trigger is still open."""
    if found.person_id is None:
        return []
    rules = clocks.missing_rules()
    mine = Episode.objects.filter(person_id=found.person_id).exclude(status=episodes.CANCELLED)
    starts = list(mine.values_list("started_at", flat=True))
    longest = episodes.hours_away(found.started_at, found.returned_at, now)
    opened = []
    for trigger in episodes.triggers(
        starts, longest, rules.repeat_episodes, rules.repeat_days, rules.long_hours
    ):
        open_ = StrategyTask.objects.filter(
            person_id=found.person_id, trigger=trigger, status=table.OPEN
        )
        if open_.exists():
            continue
        detail = (
            f"{len(starts)} episodes, {rules.repeat_episodes} or more within "
            f"{rules.repeat_days} days"
            if trigger == "repeat"
            else f"away {longest:.0f} hours (over {rules.long_hours})"
        )
        task = StrategyTask.objects.create(
            person_id=found.person_id,
            trigger=trigger,
            detail=detail,
            opened_at=now,
            due_at=clocks.due(table.CLOCK, now),
            episode=found,
        )
        keep(found, "strategy_task", caller, now, f"strategy discussion recommended: {detail}")
        # the hub's own rule opened it, as a consequence of what the caller did
        event = StrategyTaskOpened(task.pk, trigger, found.person_id)
        audit.write(HUB, event, _PATTERN, Channel.JOB)
        alerts.tell(
            mash.with_role("mash_manager"),
            "strategy",
            str(task.pk),
            f"A strategy discussion is recommended (task {task.pk}: {trigger} missing)",
            f"/missing/tasks/{task.pk}/",
        )
        opened.append(task)
    return opened


def close(caller: Caller, task_id: int, action: str, outcome: str) -> StrategyTask:
    """Record that the discussion was held and what was agreed (`hold`), or stand the task
    down with the reason (`stand_down`)."""
    attempted = Refused(f"{action} a strategy discussion", f"task {task_id}")
    allowed = audit.check(caller, act(caller.actor, Action.WORK_STRATEGY), attempted)
    with attempt(caller, attempted):
        task = StrategyTask.objects.visible_to(caller.actor).select_for_update()
        found = task.filter(pk=task_id).first()
        if found is None:
            raise RuleBroken(f"no strategy discussion task {task_id} that you may see")
        step = table.MACHINE.step(found.status, action, caller.actor.roles, outcome)
        if step.transition is None:
            raise RuleBroken(step.decision.reason) if step.rule else Denied(step.decision)
        now = timezone.now()
        found.status, found.closed_at = step.transition.target, now
        found.closed_by, found.outcome = caller.actor.username, outcome.strip()
        found.save()
        event = StrategyTaskClosed(found.pk, action, outcome.strip(), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover

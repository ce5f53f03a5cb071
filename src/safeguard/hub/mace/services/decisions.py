"""What the meeting decides on an item: the discussion and the decision; the actions it sets,
each with a named owner (told at once), their agency and a due date; and each action done or
cancelled with the reason (`safeguard.casework.mace.MACHINE`): its owner marks it done, and
those who record for the meeting may mark it done or cancel it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Denied, Invalid, RuleBroken
from safeguard.access.events import ItemDecided, MaceActionSet, MaceActionStepped
from safeguard.access.policy import Action, Decision
from safeguard.casework import mace
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mace import queries
from safeguard.hub.mace.models import Item, MeetingAction
from safeguard.hub.mace.services.steps import changing


def decide(caller: Caller, item_id: int, summary: str, decision: str) -> Item:
    """Record what the meeting discussed and decided on an item (again, to correct it)."""
    with changing(caller, Item, item_id, "record a MACE decision") as (item, allowed):
        wrong = mace.decision_problems(summary, decision)
        for name, text in (("summary", summary), ("decision", decision)):
            if len(text) > MAX_TEXT:
                wrong[name] = "Keep it under 20,000 characters"
        if wrong:
            raise Invalid(wrong)
        item.summary, item.decision = summary.strip(), decision.strip()
        item.decided_by, item.decided_at = caller.actor.username, timezone.now()
        item.save()
        event = ItemDecided(item.meeting_id, item.pk, item.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        return item
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Task:
    """An action: what is to be done, who owns it (a username), their agency, when it is
    due."""

    what: str
    owner: str
    agency: str
    due_on: dt.date | None


def set_action(caller: Caller, item_id: int, task: Task) -> MeetingAction:
    """Set an action on an item; its owner is alerted."""
    with changing(caller, Item, item_id, "set a MACE action") as (item, allowed):
        owner = queries.attendee(task.owner) if task.owner else None
        wrong = mace.action_problems(
            task.what,
            owner is not None,
            task.agency,
            task.due_on,
            item.meeting.held_on,
            queries.rules(),
        )
        if len(task.what) > MAX_TEXT:
            wrong["what"] = "Keep it under 20,000 characters"
        if wrong:
            raise Invalid(wrong)
        assert owner is not None and task.due_on is not None
        found = MeetingAction.objects.create(
            item=item,
            what=task.what.strip(),
            owner=owner,
            agency=task.agency,
            due_on=task.due_on,
            set_by=caller.actor.username,
            set_at=timezone.now(),
        )
        event = MaceActionSet(
            found.pk, item.pk, owner.username, task.due_on.isoformat(), item.person_id
        )
        audit.write(caller.actor, event, allowed, caller.channel)
        alerts.tell(
            [owner],
            "mace_action",
            str(found.pk),
            f"A MACE action for you, due {queries.day(task.due_on)} (action {found.pk})",
            f"/mace/actions/{found.pk}/",
        )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def step(caller: Caller, action_id: int, move: str, reason: str) -> MeetingAction:
    """Mark an action done (`complete`: its owner, or those who record for the meeting) or
    cancel it (`cancel`), saying what was done or why."""
    with changing(
        caller, MeetingAction, action_id, f"{move} a MACE action", Action.WORK_MACE_ACTION
    ) as (found, allowed):
        taken = mace.MACHINE.step(found.status, move, caller.actor.roles, reason)
        if taken.transition is None:
            raise RuleBroken(taken.decision.reason) if taken.rule else Denied(taken.decision)
        mine = found.owner.username == caller.actor.username
        if not mine and not queries.recorder(caller.actor):
            raise Denied(
                Decision(False, f"action {found.pk} is {found.owner.username}'s to mark done")
            )
        if len(reason) > MAX_TEXT:
            raise Invalid({"reason": "Keep it under 20,000 characters"})
        found.status = taken.transition.target
        found.closed_by, found.closed_at = caller.actor.username, timezone.now()
        found.outcome = reason.strip()
        found.save()
        event = MaceActionStepped(found.pk, move, reason.strip(), found.item.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover

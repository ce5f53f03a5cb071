"""The partnership's action plan: an action on a recommendation with its owner (told at once),
their agency and a due date; started, done (with the evidence it is done) or cancelled (with
why), each step kept in its history (`safeguard.casework.review.ACTION`). An agency lead sets
and works their own agency's actions; the strategic lead, any agency's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Denied, Invalid, RuleBroken
from safeguard.access.events import ReviewActionSet, ReviewActionStepped
from safeguard.access.policy import Action, Actor, Decision
from safeguard.casework import review
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.governance import queries
from safeguard.hub.governance.models import ReviewAction
from safeguard.hub.governance.services.steps import changing, recording


@dataclass(frozen=True)
class Task:
    """An action: what is to be done, who owns it (a username), their agency, when due."""

    what: str
    owner: str
    agency: str
    due_on: dt.date | None


def _for_agency(actor: Actor, agency: str) -> Decision:
    if actor.roles & review.REVIEWERS:
        return Decision(True, "strategic lead: every agency's actions")
    if agency and agency == actor.agency:
        return Decision(True, f"your agency's action ({agency})")
    return Decision(
        False, f"this action is {agency or 'another agency'}'s; you work for {actor.agency}"
    )


def set_action(caller: Caller, recommendation: str, task: Task) -> ReviewAction:
    """Set an action on a recommendation; its owner is alerted."""
    with recording(
        caller, Action.SET_REVIEW_ACTION, "set a review action", recommendation
    ) as allowed:
        if queries.catalogue().get(recommendation) is None:
            raise RuleBroken(f"no recommendation {recommendation} in the catalogue")
        agency = task.agency or caller.actor.agency
        mine = _for_agency(caller.actor, agency)
        if not mine:
            raise Denied(mine)
        owner = queries.owner(task.owner, agency) if task.owner else None
        known = agency in queries.catalogue().agencies
        wrong = review.action_problems(task.what, owner is not None, known, task.due_on)
        if wrong:
            raise Invalid(wrong)
        assert owner is not None and task.due_on is not None
        now = timezone.now()
        found = ReviewAction.objects.create(
            recommendation=recommendation,
            what=task.what.strip(),
            owner=owner,
            agency=agency,
            due_on=task.due_on,
            set_by=caller.actor.username,
            set_at=now,
            history=[_step("set", caller, now, f"owner {owner.username}, due {task.due_on}")],
        )
        event = ReviewActionSet(found.pk, recommendation, owner.username, task.due_on.isoformat())
        audit.write(caller.actor, event, allowed, caller.channel)
        alerts.tell(
            [owner],
            "review_action",
            str(found.pk),
            f"A review action for you, due {queries.day(task.due_on)} (action {found.pk})",
            f"/governance/actions/{found.pk}/",
        )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def _step(move: str, caller: Caller, at: dt.datetime, reason: str = "") -> dict[str, str]:
    return {"step": move, "by": caller.actor.username, "at": at.isoformat(), "reason": reason}


def step(caller: Caller, action_id: int, move: str, reason: str) -> ReviewAction:
    """Start an action (`start`), mark it done with the evidence (`complete`) or cancel it
    with why (`cancel`): its owner, an agency lead of its agency, or the strategic lead."""
    with changing(
        caller, ReviewAction, action_id, f"{move} a review action", Action.WORK_REVIEW_ACTION
    ) as (found, allowed):
        taken = review.ACTION.step(found.status, move, caller.actor.roles, reason)
        if taken.transition is None:
            raise RuleBroken(taken.decision.reason) if taken.rule else Denied(taken.decision)
        mine = found.owner.username == caller.actor.username
        may = _for_agency(caller.actor, found.agency)
        if not mine and not may:
            raise Denied(may)
        if len(reason) > review.MAX_TEXT:
            raise Invalid({"reason": "Keep it under 20,000 characters"})
        now = timezone.now()
        found.status = taken.transition.target
        if found.status not in review.ACTIVE:
            found.closed_by, found.closed_at = caller.actor.username, now
            found.outcome = reason.strip()
        found.history = [*found.history, _step(move, caller, now, reason.strip())]
        found.save()
        event = ReviewActionStepped(found.pk, move, reason.strip())
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover

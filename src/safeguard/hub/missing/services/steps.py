"""What the missing-children services share: an episode locked for a change inside an
attempt (a broken rule or a refused step rolls it back, is audited as a refusal and raised),
a step of a table taken, and the episode's history kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from safeguard.access.caller import Caller, Denied, RuleBroken
from safeguard.access.events import Refused
from safeguard.access.policy import Action, Decision, act
from safeguard.hub.audit import services as audit
from safeguard.hub.mash.services.steps import attempt
from safeguard.hub.missing.models import Episode, Step
from safeguard.workflow.machine import Machine, Transition


@contextmanager
def changing(
    caller: Caller, episode_id: int, what: str, action: Action = Action.WORK_EPISODE
) -> Iterator[tuple[Episode, Decision]]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt
    on the episode (one the caller may see), locked."""
    attempted = Refused(what, f"episode {episode_id}")
    allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        found = (
            Episode.objects.visible_to(caller.actor)
            .select_for_update()
            .filter(pk=episode_id)
            .first()
        )
        if found is None:
            raise RuleBroken(f"no episode {episode_id} that you may open")
        yield found, allowed


def take(machine: Machine, state: str, action: str, caller: Caller, reason: str = "") -> Transition:
    """Take `action` on `machine` from `state`; refused otherwise (a rule, or the policy)."""
    step = machine.step(state, action, caller.actor.roles, reason)
    if step.transition is None:
        raise RuleBroken(step.decision.reason) if step.rule else Denied(step.decision)
    return step.transition


def keep(
    found: Episode,
    action: str,
    caller: Caller | None,
    at: dt.datetime,
    detail: str = "",
    reason: str = "",
) -> None:
    """Save the episode and keep the step in its history."""
    found.save()
    Step.objects.create(
        episode=found,
        action=action,
        detail=detail[:300],
        reason=reason.strip(),
        by=caller.actor.username if caller else "(delivery)",
        at=at,
    )

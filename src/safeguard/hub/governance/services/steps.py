"""What the review's services share: the policy asked first, then the body run as an attempt
(one transaction; a broken rule or a refused step rolls it back, is audited as a refusal and
raised) on an assessment or an action the caller may see, locked for the change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models

from safeguard.access.caller import Caller, RuleBroken
from safeguard.access.events import Refused
from safeguard.access.policy import Action, Decision, act
from safeguard.hub.audit import services as audit
from safeguard.hub.governance.models import Assessment, ReviewAction
from safeguard.hub.mash.services.steps import attempt

M = TypeVar("M", bound=models.Model)
_NAMES: dict[type[Any], str] = {Assessment: "assessment", ReviewAction: "review action"}


@contextmanager
def changing(
    caller: Caller, model: type[M], pk: int, what: str, action: Action
) -> Iterator[tuple[M, Decision]]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt on
    the record `pk` of `model` (one the caller may see), locked."""
    name = _NAMES[model]
    attempted = Refused(what, f"{name} {pk}")
    allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        found = (
            model.objects.visible_to(caller.actor)  # type: ignore[attr-defined]
            .select_for_update()
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise RuleBroken(f"no {name} {pk} that you may open")
        yield found, allowed


@contextmanager
def recording(caller: Caller, action: Action, what: str, where: str = "") -> Iterator[Decision]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt."""
    attempted = Refused(what, where)
    allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        yield allowed

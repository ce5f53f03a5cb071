"""What the review's services share: the policy asked first, then the body run as an attempt
(one transaction; a broken rule or a refused step rolls it back, is audited as a refusal and
raised) on an assessment or an action the caller may see, locked for the change."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, TypeVar

from django.db import models

from safeguard.access.caller import Caller
from safeguard.access.policy import Action, Decision
from safeguard.hub.governance.models import Assessment, ReviewAction
from safeguard.hub.mash.services.steps import allowed_attempt, on_record

M = TypeVar("M", bound=models.Model)
_NAMES: dict[type[Any], str] = {Assessment: "assessment", ReviewAction: "review action"}


def changing(
    caller: Caller, model: type[M], pk: int, what: str, action: Action
) -> AbstractContextManager[tuple[M, Decision]]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt on
    the record `pk` of `model` (one the caller may see), locked."""
    return on_record(caller, model, pk, what, action, _NAMES[model])


def recording(
    caller: Caller, action: Action, what: str, where: str = ""
) -> AbstractContextManager[Decision]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt."""
    return allowed_attempt(caller, action, what, where)

"""What the MACE services share: the policy asked first, then the body run as an attempt (one
transaction; a broken rule or a refused step rolls it back, is audited as a refusal and
raised) on a meeting, an item or an action the caller may see, locked for the change."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, TypeVar

from django.db import models

from safeguard.access.caller import Caller
from safeguard.access.policy import Action, Decision
from safeguard.hub.mace.models import Item, Meeting, MeetingAction
from safeguard.hub.mash.services.steps import allowed_attempt, on_record

M = TypeVar("M", bound=models.Model)
_NAMES: dict[type[Any], str] = {Meeting: "meeting", Item: "agenda item", MeetingAction: "action"}


def changing(
    caller: Caller, model: type[M], pk: int, what: str, action: Action | None = None
) -> AbstractContextManager[tuple[M, Decision]]:
    """Ask the policy whether the caller may take `action` (recording for MACE meetings, by
    default), then run the body as an attempt on the record `pk` of `model` (one the caller
    may see), locked."""
    return on_record(caller, model, pk, what, action or Action.WORK_MACE, _NAMES[model])


def recording(caller: Caller, what: str, where: str = "") -> AbstractContextManager[Decision]:
    """Ask the policy whether the caller records for MACE meetings, then run the body as an
    attempt."""
    return allowed_attempt(caller, Action.WORK_MACE, what, where)

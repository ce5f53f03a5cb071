"""Reading the children's homes register."""

from __future__ import annotations

from safeguard.access.policy import Actor, Role
from safeguard.hub.homes.models import ChildrensHome


def spoc_homes(actor: Actor, user_id: int | None) -> list[ChildrensHome]:
    """The open homes a police single point of contact (user `user_id`) is the contact for."""
    if Role.POLICE_SPOC not in actor.roles or user_id is None:
        return []
    return list(ChildrensHome.objects.filter(police_spoc_id=user_id, open=True))

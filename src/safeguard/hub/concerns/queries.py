"""Reading the public's concerns (the services read what they need; nothing else does)."""

from __future__ import annotations

from safeguard.access.policy import Actor
from safeguard.hub.concerns.models import Reporter


def reporter_of(actor: Actor, reference: str) -> Reporter | None:
    """Who reported the concern behind contact `reference`, if `actor` may know."""
    return Reporter.objects.visible_to(actor).filter(concern__contact__reference=reference).first()

"""Reading one's own alerts."""

from __future__ import annotations

from safeguard.access.policy import Actor
from safeguard.hub.alerts.models import Alert


def unread(actor: Actor, limit: int = 20) -> list[Alert]:
    """The actor's unread alerts, newest first."""
    return list(Alert.objects.visible_to(actor).filter(read_at=None)[:limit])


def recent(actor: Actor, limit: int = 100) -> list[Alert]:
    """The actor's alerts, read or not, newest first."""
    return list(Alert.objects.visible_to(actor)[:limit])

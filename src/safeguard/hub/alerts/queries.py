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


def already_told(kind: str, keys: list[str]) -> set[str]:
    """Which of `keys` someone has already been alerted of (as `kind`)."""
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        found |= set(Alert.objects.filter(kind=kind, key__in=chunk).values_list("key", flat=True))
    return found

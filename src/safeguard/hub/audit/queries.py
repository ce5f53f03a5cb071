"""Reading the audit trail: the one scoping query (`AuditEvent.objects.visible_to`) and the
filters the audit page and `safeguard audit` offer."""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.access.events import ViewedPerson
from safeguard.access.policy import Actor
from safeguard.hub.audit.models import AuditEvent, AuditQuerySet


@dataclass(frozen=True)
class Filters:
    person_id: int | None = None
    username: str = ""
    flagged: bool = False
    action: str = ""
    limit: int = 200

    def describe(self) -> str:
        parts = [
            f"person P{self.person_id}" if self.person_id is not None else "",
            f"user {self.username}" if self.username else "",
            "flagged" if self.flagged else "",
            f"action {self.action}" if self.action else "",
        ]
        return ", ".join(p for p in parts if p)


def events(actor: Actor, filters: Filters) -> AuditQuerySet:
    """The latest events `actor` may read, newest first, as `filters` ask."""
    rows = AuditEvent.objects.visible_to(actor)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.person_id is not None:
        rows = rows.filter(person_id=filters.person_id)
    if filters.username:
        rows = rows.filter(username=filters.username)
    if filters.flagged:
        rows = rows.filter(flagged=True)
    return rows[: filters.limit]


def flagged_count(actor: Actor) -> int:
    return AuditEvent.objects.visible_to(actor).filter(flagged=True).count()


def recently_viewed(actor: Actor, limit: int = 10) -> list[AuditEvent]:
    """The people `actor` looked at most recently (their own trail), one event each."""
    mine = AuditEvent.objects.filter(
        username=actor.username, action=ViewedPerson.name, allowed=True, person_id__isnull=False
    )[:100]
    seen: set[int] = set()
    out = []
    for event in mine:
        if event.person_id is not None and event.person_id not in seen:
            seen.add(event.person_id)
            out.append(event)
    return out[:limit]

"""Writing and reading the audit trail. Callers write inside their own transaction, so an event
and the thing it records commit together or not at all."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Max, QuerySet

from safeguard.access.policy import SAFEGUARDING_BASIS, Actor, Decision
from safeguard.hub.audit.models import AuditEvent


def record(
    actor: Actor | None,
    action: str,
    decision: Decision,
    *,
    username: str = "",
    person_id: int | None = None,
    target: str = "",
    why: str = "",
    channel: str = "web",
    flagged: bool = False,
) -> AuditEvent:
    """One audit event: who (`actor`, or `username` when nobody is signed in), what, the
    policy's decision and reason, the user's own reason, and the lawful basis."""
    return AuditEvent.objects.create(
        username=actor.username if actor else username,
        agency=actor.agency if actor else "",
        roles=sorted(r.value for r in actor.roles) if actor else [],
        action=action,
        person_id=person_id,
        target=target[:300],
        allowed=decision.allowed,
        reason=decision.reason,
        why=why,
        lawful_basis=decision.basis,
        flagged=decision.break_glass or flagged,
        channel=channel,
    )


def events(
    person_id: int | None = None,
    username: str = "",
    flagged: bool = False,
    limit: int = 200,
    action: str = "",
) -> QuerySet[AuditEvent]:
    """The latest events, newest first: about one person, by one user, of one action, or
    flagged for review."""
    rows = AuditEvent.objects.all()
    if action:
        rows = rows.filter(action=action)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if username:
        rows = rows.filter(username=username)
    if flagged:
        rows = rows.filter(flagged=True)
    return rows[:limit]


def searched(
    actor: Actor,
    text: str,
    shown: Sequence[int],
    channel: str = "web",
    refused: Decision | None = None,
) -> AuditEvent:
    """A search and the people whose details it showed (or its refusal), committed before
    its answer is sent."""
    decision = (
        refused
        if refused is not None
        else Decision(True, f"{len(shown)} people shown", SAFEGUARDING_BASIS)
    )
    people = ",".join(f"P{p}" for p in shown)
    with transaction.atomic():
        return record(
            actor,
            AuditEvent.Action.SEARCH,
            decision,
            target=f"q={text}" + (f" -> {people}" if people else ""),
            channel=channel,
        )


def viewed(
    actor: Actor, person_id: int, decision: Decision, target: str, channel: str = "web"
) -> AuditEvent:
    """A look at a person (allowed or refused), committed before anything about them is read."""
    with transaction.atomic():
        return record(
            actor,
            AuditEvent.Action.VIEW_PERSON,
            decision,
            person_id=person_id,
            target=target,
            channel=channel,
        )


#: The model whose changes through the admin are flagged for review.
ACCOUNTS = "accounts.User"
#: Django admin's log entry flags, as the audit trail names them.
_ADMIN_CHANGES = {1: "added", 2: "changed", 3: "deleted"}


def admin_log_mark() -> int:
    """Where Django admin's log stands now (its newest entry), for `administered`."""
    return LogEntry.objects.aggregate(mark=Max("pk"))["mark"] or 0


def administered(actor: Actor, user_id: int, mark: int) -> int:
    """Copy into the audit trail each change `actor` (user `user_id`) made through the admin
    site after `mark` (Django's own log of it: which record, added, changed or deleted, which
    fields). Changes to accounts (roles, passwords, authenticators) are flagged for an
    auditor's review. Returns how many."""
    entries = LogEntry.objects.filter(user_id=user_id, pk__gt=mark)
    made = 0
    for entry in entries.select_related("content_type").order_by("pk"):
        kind = entry.content_type.model_class() if entry.content_type else None
        what = kind._meta.label if kind else "unknown"
        change = _ADMIN_CHANGES.get(entry.action_flag, "changed")
        detail = entry.get_change_message() or change
        record(
            actor,
            AuditEvent.Action.ADMINISTER,
            Decision(True, f"administrator: {change} through the admin site"),
            target=f"{what} {entry.object_id} ({entry.object_repr}): {detail}",
            flagged=what == ACCOUNTS,
        )
        made += 1
    return made

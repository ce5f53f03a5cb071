"""The one writer of the audit trail. Every service records its typed event here, inside the
transaction of the change it records; reads are recorded (`seen`) in a short transaction of
their own, committed before anything about the person is read, so a view that cannot be
audited is not shown (on SQLite a transaction around the whole read would hold the write lock
for as long, and every page would wait for every other). Refusals are recorded and raised
(`refuse`). Each event is chained to the one before it (`chain`); checking the chain and
anchoring it outside the database (`verify`, `anchor`) are for auditors and data operators."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import NoReturn, TypeVar

from django.contrib.admin.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.db.models import Max

from safeguard.access.caller import Caller, Refusal

__all__ = ["Refusal"]
from safeguard.access.events import (
    Administered,
    AuditAnchored,
    AuditVerified,
    Channel,
    Event,
    Refused,
    ViewedAudit,
)
from safeguard.access.policy import Action, Actor, Decision, act, verify_audit
from safeguard.hub.audit import anchors, chain
from safeguard.hub.audit.models import AuditEvent, AuditHead
from safeguard.hub.audit.queries import Filters, events

T = TypeVar("T")
log = logging.getLogger(__name__)
#: Who is named when nobody is signed in.
ANONYMOUS = "(not signed in)"


def write(actor: Actor | None, event: Event, decision: Decision, channel: Channel) -> AuditEvent:
    """Record `event` with the policy's `decision`, inside the caller's transaction."""
    return _write(actor, event, decision, channel, own=False)


def _write(
    actor: Actor | None, event: Event, decision: Decision, channel: Channel, own: bool
) -> AuditEvent:
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction of what they record")
    if isinstance(event, Refused) == decision.allowed:
        raise ValueError(f"{event.name}: a refusal is recorded as `refused`, and only a refusal")
    written = AuditEvent.objects.create(
        username=actor.username if actor else ANONYMOUS,
        agency=actor.agency if actor else "",
        roles=sorted(r.value for r in actor.roles) if actor else [],
        action=event.name,
        person_id=event.about(),
        target=event.line()[:300],
        allowed=decision.allowed,
        reason=decision.reason,
        why=event.stated(),
        lawful_basis=decision.basis,
        flagged=decision.break_glass or event.flagged(),
        channel=channel.value,
    )
    _chain(own)
    return written


def _chain(own: bool) -> None:
    """Seal the event just written. In its own transaction when that is short (`own`: the
    audit's own, opened by `seen` or `refuse`) or already holds the database's lock to its end
    (SQLite); else just after it commits, so that a long transaction (a load, a linkage run)
    never holds the head's lock and no page waits behind one (PostgreSQL)."""
    if not (own or connection.vendor == "sqlite"):
        transaction.on_commit(seal, robust=True)
        return
    try:
        with transaction.atomic():
            chain.seal_batch(AuditEvent, AuditHead)
    except DatabaseError:  # the event stands; the next seal chains it, `verify` says if not
        log.exception("audit events could not be chained")


def seal() -> int:
    """Chain every committed event not yet chained, in id order, a batch per short
    transaction; how many were chained (`chain`)."""
    if not AuditEvent.objects.filter(seq__isnull=True).exists():
        return 0
    total = 0
    while True:
        with transaction.atomic():
            done = chain.seal_batch(AuditEvent, AuditHead)
        total += done
        if done < chain.BATCH:
            return total


def seen(caller: Caller, event: Event, decision: Decision) -> AuditEvent:
    """Record a read (a look at a person, a search, a list) before anything is shown."""
    own = not connection.in_atomic_block
    with transaction.atomic():
        return _write(caller.actor, event, decision, caller.channel, own)


def refuse(
    caller: Caller | None, event: Refused, decision: Decision, rule: bool = False
) -> NoReturn:
    """Record a refusal in its own transaction and raise it as `Refusal`."""
    own = not connection.in_atomic_block
    with transaction.atomic():
        _write(caller.actor if caller else None, event, decision, _channel(caller), own)
    raise Refusal(decision, rule)


def check(caller: Caller, decision: Decision, event: Refused) -> Decision:
    """`decision` when it allows; else record `event` and raise the refusal."""
    if not decision:
        refuse(caller, event, decision)
    return decision


def _channel(caller: Caller | None) -> Channel:
    return caller.channel if caller else Channel.WEB


#: The model whose changes through the admin are flagged for review.
ACCOUNTS = "accounts.User"
#: Django admin's log entry flags, as the audit trail names them.
_ADMIN_CHANGES = {1: "added", 2: "changed", 3: "deleted"}


def through_admin(caller: Caller, user_id: int, handle: Callable[[], T]) -> T:
    """Handle an admin-site request and copy each change it made (Django admin's own log of
    it: which record, added, changed or deleted, which fields) into the audit trail, in one
    transaction with the changes. Changes to accounts are flagged for an auditor's review."""
    with transaction.atomic():
        mark = LogEntry.objects.aggregate(mark=Max("pk"))["mark"] or 0
        response = handle()
        entries = LogEntry.objects.filter(user_id=user_id, pk__gt=mark)
        for entry in entries.select_related("content_type").order_by("pk"):
            kind = entry.content_type.model_class() if entry.content_type else None
            what = kind._meta.label if kind else "unknown"
            change = _ADMIN_CHANGES.get(entry.action_flag, "changed")
            detail = entry.get_change_message() or change
            write(
                caller.actor,
                Administered(
                    f"{what} {entry.object_id} ({entry.object_repr}): {detail}", what == ACCOUNTS
                ),
                Decision(True, f"administrator: {change} through the admin site"),
                caller.channel,
            )
        return response


def own_password_changed(caller: Caller) -> None:
    """An administrator changed their own password (Django's admin keeps no log entry of it)."""
    with transaction.atomic():
        write(
            caller.actor,
            Administered("accounts.User: own password changed", accounts=True),
            Decision(True, "administrator: changed their own password"),
            caller.channel,
        )


def trail(caller: Caller, filters: Filters) -> list[AuditEvent]:
    """The audit trail as `filters` ask, for an auditor; the reading is itself recorded."""
    decision = check(
        caller, act(caller.actor, Action.VIEW_AUDIT), Refused("view_audit", filters.describe())
    )
    seen(caller, ViewedAudit(filters.describe()), decision)
    return list(events(caller.actor, filters))


def verify(caller: Caller) -> chain.Verdict:
    """Chain what is waiting, then check the whole chain against its head and anchors; the
    check is itself recorded (flagged for review when the chain is broken)."""
    decision = check(caller, verify_audit(caller.actor), Refused("verify the audit trail"))
    seal()
    verdict = chain.verify()
    seen(caller, AuditVerified(verdict.line()[:300], not verdict.ok), decision)
    return verdict


def anchor(caller: Caller, now: dt.datetime) -> anchors.Anchor:
    """Chain what is waiting and write a signed anchor of the chain's head outside the
    database; `anchors.NoKey` when no key is configured. Recorded as `audit_anchored`."""
    decision = check(caller, verify_audit(caller.actor), Refused("anchor the audit trail"))
    key = anchors.required_key()
    seal()
    head = AuditHead.objects.get(pk=1)
    written = anchors.write(anchors.folder(), key, head.seq, head.hash, now)
    seen(caller, AuditAnchored(written.seq, written.hash, written.name), decision)
    return written

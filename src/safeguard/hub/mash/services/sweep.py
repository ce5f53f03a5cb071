"""The clocks' watch: every contact and check whose time ran out is put in front of a named
owner the moment it does, without anyone refreshing a page. `safeguard serve` runs the sweep
every minute beside the pages (`safeguard mash sweep` runs it once, or `--every N`).

An overdue contact alerts its owner (the practitioner who rated it) or, with none yet, the
MASH managers; a routed one, its team. An overdue check alerts the agency's workers. Each is
told once per due time, and each first telling is a `clock_overdue` event (channel job)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import ClockOverdue, Refused
from safeguard.access.policy import Decision
from safeguard.casework import check
from safeguard.casework import contact as table
from safeguard.hub.accounts.models import User
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mash import clocks, queries
from safeguard.hub.mash.models import CheckRequest, Contact
from safeguard.hub.mash.services.steps import attempt

_WATCH = Decision(True, "the hub's own watch on its clocks")


def sweep(caller: Caller) -> dict[str, Any]:
    """Alert the owners of everything overdue now (once each); what was found and told."""
    now = timezone.now()
    told = late = 0
    overdue = (
        Contact.objects.filter(status__in=table.OPEN, next_due__lt=now)
        .select_related("owner")
        .order_by("next_due")
    )
    managers = queries.with_role("mash_manager")
    for found in overdue:
        late += 1
        clock = _which(found, now)
        owners = _owners(found, managers)
        with attempt(caller, _refused(found)):
            named = alerts.tell(
                owners,
                "overdue",
                f"{found.reference}:{clock}:{found.next_due}",
                f"Overdue: {found.reference} ({clocks.clock(clock).label})",
                f"/mash/contacts/{found.reference}/",
            )
            if named:
                told += 1
                due = timezone.localtime(found.next_due).strftime("%Y-%m-%d %H:%M")
                event = ClockOverdue(found.reference or "", clock, due, tuple(named))
                audit.write(caller.actor, event, _WATCH, caller.channel)
    told += _checks(caller, now)
    resent = alerts.resend()
    return {"overdue": late, "newly_told": told, "emails_retried": resent}


def _which(found: Contact, now: object) -> str:
    """The clock that ran out: the checks clock while agencies are still asked, else the
    decision's."""
    waiting = found.checks.filter(status=check.REQUESTED).exists()
    if waiting and found.checks_due is not None and found.checks_due == found.next_due:
        return clocks.vocabulary().ratings[found.rating].clock
    return table.DECISION_CLOCK


def _owners(found: Contact, managers: list[User]) -> list[User]:
    if found.status == table.ROUTED and found.team_id is not None:
        return queries.team_members(found.team_id)
    return [found.owner] if found.owner and found.owner.is_active else managers


def _checks(caller: Caller, now: object) -> int:
    told = 0
    late = CheckRequest.objects.filter(status=check.REQUESTED, due_at__lt=now).select_related(
        "contact"
    )
    for found in late:
        with attempt(caller, _refused(found.contact)):
            named = alerts.tell(
                queries.answerers(found.agency_id),
                "check_overdue",
                f"{found.pk}:{found.due_at.isoformat() if found.due_at else ''}",
                f"Overdue: the MASH's check on {found.contact.reference}",
                f"/mash/checks/{found.pk}/",
            )
            if named:
                told += 1
                due = timezone.localtime(found.due_at).strftime("%Y-%m-%d %H:%M")
                event = ClockOverdue(
                    found.contact.reference or "", f"check {found.agency_id}", due, tuple(named)
                )
                audit.write(caller.actor, event, _WATCH, caller.channel)
    return told


def _refused(found: Contact) -> Refused:
    return Refused("alert an owner", found.reference or "")

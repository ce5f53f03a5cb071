"""The MASH's clocks' watch: every contact and check whose time ran out is put in front of a
named owner the moment it does, without anyone refreshing a page. It reacts to "clocks
checked", which `safeguard serve` runs every minute beside the pages (`safeguard watch`).

An overdue contact alerts its owner (the practitioner who rated it) or, with none yet, the
MASH managers; a routed one, its team. An overdue check alerts the agency's workers. Each is
told once per due time, and each first telling is a `clock_overdue` event (channel job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import ClockOverdue, Refused
from safeguard.access.policy import Decision
from safeguard.casework import check
from safeguard.casework import contact as table
from safeguard.hub import reactions
from safeguard.hub.accounts.models import User
from safeguard.hub.alerts import queries as alert_queries
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mash import clocks, queries
from safeguard.hub.mash.models import CheckRequest, Contact
from safeguard.hub.mash.services.steps import attempt

_WATCH = Decision(True, "the hub's own watch on its clocks")


@reactions.on(reactions.Stage.CLOCKS_CHECKED, "mash_overdue")
def sweep(caller: Caller) -> dict[str, Any]:
    """Alert the owners of everything overdue now (once each); what was found and told.

    Set-based: what is overdue, and which of it has been told already, are read in a few
    queries; only what is newly overdue takes a transaction (usually nothing, minute by
    minute)."""
    now = timezone.now()
    overdue = list(
        Contact.objects.filter(status__in=table.OPEN, next_due__lt=now)
        .select_related("owner")
        .order_by("next_due")
    )
    waiting = set(
        CheckRequest.objects.filter(
            status=check.REQUESTED, contact__status__in=table.OPEN, contact__next_due__lt=now
        ).values_list("contact_id", flat=True)
    )
    due = {
        f"{c.reference}:{clock}:{c.next_due}": (c, clock)
        for c in overdue
        for clock in [_which(c, waiting)]
    }
    told = 0
    before = alert_queries.already_told("overdue", list(due))
    fresh = [k for k in due if k not in before]
    managers = queries.with_role("mash_manager") if fresh else []
    for key in fresh:
        found, clock = due[key]
        owners = _owners(found, managers)
        if not owners:
            continue
        with attempt(caller, _refused(found)):
            named = alerts.tell(
                owners,
                "overdue",
                key,
                f"Overdue: {found.reference} ({clocks.clock(clock).label})",
                f"/mash/contacts/{found.reference}/",
            )
            if named:
                told += 1
                when = timezone.localtime(found.next_due).strftime("%Y-%m-%d %H:%M")
                event = ClockOverdue(found.reference or "", clock, when, tuple(named))
                audit.write(caller.actor, event, _WATCH, caller.channel)
    told += _checks(caller, now)
    resent = alerts.resend()
    return {"overdue": len(overdue), "newly_told": told, "emails_retried": resent}


def _which(found: Contact, waiting: set[int]) -> str:
    """The clock that ran out: the checks clock while agencies are still asked, else the
    decision's."""
    if found.pk in waiting and found.checks_due is not None and found.checks_due == found.next_due:
        return clocks.vocabulary().ratings[found.rating].clock
    return table.DECISION_CLOCK


def _owners(found: Contact, managers: list[User]) -> list[User]:
    if found.status == table.ROUTED and found.team_id is not None:
        return queries.team_members(found.team_id)
    return [found.owner] if found.owner and found.owner.is_active else managers


def _checks(caller: Caller, now: dt.datetime) -> int:
    told = 0
    late = list(
        CheckRequest.objects.filter(status=check.REQUESTED, due_at__lt=now).select_related(
            "contact"
        )
    )
    keyed = {f"{c.pk}:{c.due_at.isoformat() if c.due_at else ''}": c for c in late}
    for key in set(keyed) - alert_queries.already_told("check_overdue", list(keyed)):
        found = keyed[key]
        owners = queries.answerers(found.agency_id)
        if not owners:
            continue
        with attempt(caller, _refused(found.contact)):
            named = alerts.tell(
                owners,
                "check_overdue",
                key,
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

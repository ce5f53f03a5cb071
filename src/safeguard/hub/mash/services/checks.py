"""Agencies answering the MASH's checks, and the MASH withdrawing one it no longer needs.

An agency's worker answers only their own agency's checks (`policy.check_for`), from what
their agency holds: the answer is required, and whether the agency holds anything. When the
last check is in, the contact's owner is told, and the checks clock stops."""

from __future__ import annotations

from django.utils import timezone

from safeguard.access import policy
from safeguard.access.caller import Caller, Denied, RuleBroken
from safeguard.access.events import CheckAnswered, CheckWithdrawn, Refused
from safeguard.access.policy import Action, act
from safeguard.casework import check
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mash.models import CheckRequest, Contact
from safeguard.hub.mash.services.steps import attempt, keep


def _locked(caller: Caller, check_id: int, scope: str) -> tuple[CheckRequest, Contact]:
    checks = (
        CheckRequest.objects.visible_to(caller.actor)
        if scope == "agency"
        else CheckRequest.objects.filter(contact__in=Contact.objects.visible_to(caller.actor))
    )
    found = checks.select_for_update().filter(pk=check_id).first()
    if found is None:
        raise RuleBroken(f"no check {check_id} that you may answer")
    return found, Contact.objects.select_for_update().get(pk=found.contact_id)


def _step(caller: Caller, found: CheckRequest, action: str, reason: str = "") -> None:
    step = check.MACHINE.step(found.status, action, caller.actor.roles, reason)
    if step.transition is None:
        raise RuleBroken(step.decision.reason) if step.rule else Denied(step.decision)


def answer(caller: Caller, check_id: int, text: str, holds: bool) -> CheckRequest:
    """Answer a check for the caller's agency: what it holds (or that it holds nothing)."""
    attempted = Refused("answer a check", f"check {check_id}")
    audit.check(caller, act(caller.actor, Action.VIEW_CHECKS), attempted)
    with attempt(caller, attempted):
        found, about = _locked(caller, check_id, "agency")
        allowed = policy.check_for(caller.actor, found.agency_id)
        if not allowed:
            raise Denied(allowed)
        _step(caller, found, "answer")
        if not text.strip():
            raise RuleBroken("say what your agency holds, or that it holds nothing")
        if len(text) > MAX_TEXT:
            raise RuleBroken(f"keep the answer under {MAX_TEXT:,} characters")
        now = timezone.now()
        found.status, found.answer, found.holds = check.ANSWERED, text.strip(), holds
        found.answered_by, found.answered_at = caller.actor.username, now
        found.save()
        held = "holds information" if holds else "holds nothing"
        keep(about, "check_answered", caller, now, f"{found.agency_id} {held}")
        event = CheckAnswered(about.reference or "", found.agency_id, holds, about.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        if about.owner and not about.checks.filter(status=check.REQUESTED).exists():
            alerts.tell(
                [about.owner],
                "checks_in",
                f"{about.reference}:{now.isoformat()}",
                f"Every agency asked has answered on {about.reference}",
                f"/mash/contacts/{about.reference}/",
            )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def withdraw(caller: Caller, check_id: int, reason: str) -> CheckRequest:
    """Withdraw a check the MASH no longer needs, saying why."""
    attempted = Refused("withdraw a check", f"check {check_id}")
    allowed = audit.check(caller, act(caller.actor, Action.WORK_CONTACT), attempted)
    with attempt(caller, attempted):
        found, about = _locked(caller, check_id, "contact")
        _step(caller, found, "withdraw", reason)
        now = timezone.now()
        found.status, found.withdrawn_reason = check.WITHDRAWN, reason.strip()
        found.save()
        keep(about, "check_withdrawn", caller, now, f"{found.agency_id} withdrawn", reason)
        event = CheckWithdrawn(about.reference or "", found.agency_id, reason.strip())
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover

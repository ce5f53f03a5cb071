"""What every MASH service shares: an attempt (one transaction; a broken rule or a refused
step inside it rolls everything back, then is audited as a refusal and raised), the contact
locked for a change, a step of its table taken, and its history and clocks kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TypeVar

from django.db import models, transaction

from safeguard.access.caller import Caller, Denied, Invalid, Refusal, RuleBroken
from safeguard.access.events import Refused
from safeguard.access.policy import Action, Decision, act
from safeguard.casework import check
from safeguard.casework import contact as table
from safeguard.hub.accounts.models import User
from safeguard.hub.audit import services as audit
from safeguard.hub.mash.models import Contact, Step
from safeguard.workflow.machine import Transition

M = TypeVar("M", bound=models.Model)


@contextmanager
def attempt(caller: Caller | None, refused: Refused) -> Iterator[None]:
    """Run the body in one transaction. A broken rule or a refused step rolls it back and is
    audited as `refused` (with what was wrong) before it is raised as a `Refusal`."""
    try:
        with transaction.atomic():
            yield
    except Invalid as invalid:
        try:
            audit.refuse(
                caller, replace(refused, why=str(invalid)), Decision(False, str(invalid)), True
            )
        except Refusal as refusal:
            refusal.problems = invalid.problems
            raise
    except RuleBroken as broken:
        why = str(broken)
        audit.refuse(caller, replace(refused, why=why), Decision(False, why), rule=True)
    except Denied as denied:
        audit.refuse(caller, refused, denied.decision)


@contextmanager
def allowed_attempt(
    caller: Caller, action: Action, what: str, where: str = ""
) -> Iterator[Decision]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt;
    the policy's decision the change's event is recorded with."""
    attempted = Refused(what, where)
    allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        yield allowed


@contextmanager
def on_record(
    caller: Caller, model: type[M], pk: int, what: str, action: Action, name: str
) -> Iterator[tuple[M, Decision]]:
    """Ask the policy whether the caller may take `action`, then run the body as an attempt on
    the record `pk` of `model` (one the caller may see: its `visible_to`), locked; `name` is
    the record's kind in words, for the audit and the refusal."""
    attempted = Refused(what, f"{name} {pk}")
    allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        found = (
            model.objects.visible_to(caller.actor)  # type: ignore[attr-defined]
            .select_for_update()
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise RuleBroken(f"no {name} {pk} that you may open")
        yield found, allowed


@contextmanager
def changing(
    caller: Caller,
    reference: str,
    what: str,
    *actions: Action,
    person: int | None = None,
) -> Iterator[tuple[Contact, Decision]]:
    """Ask the policy whether the caller may take each of `actions` (working a contact, by
    default), then run the body as an attempt on the contact, locked: the contact, and the
    policy's decision the change's event is recorded with."""
    attempted = Refused(what, reference, person)
    allowed = Decision(False, "no action asked")
    for action in actions or (Action.WORK_CONTACT,):
        allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        yield locked(caller, reference), allowed


def locked(caller: Caller, reference: str) -> Contact:
    """The contact the caller asked for, locked for a change (inside an attempt)."""
    found = (
        Contact.objects.visible_to(caller.actor)
        .select_for_update()
        .filter(reference=reference)
        .first()
    )
    if found is None:
        raise RuleBroken(f"no contact {reference} that you may open")
    return found


def move(caller: Caller, found: Contact, action: str, reason: str = "") -> Transition:
    """Take `action` on the contact's table from where it stands; refused otherwise."""
    step = table.MACHINE.step(found.status, action, caller.actor.roles, reason)
    if step.transition is None:
        raise RuleBroken(step.decision.reason) if step.rule else Denied(step.decision)
    return step.transition


def keep(
    found: Contact,
    action: str,
    caller: Caller | None,
    at: dt.datetime,
    detail: str = "",
    reason: str = "",
) -> None:
    """Keep the step in the contact's history and its next due time up to date."""
    waiting = found.checks.filter(status=check.REQUESTED).exists()
    found.next_due = table.next_due(
        found.status, found.decision_due, found.checks_due if waiting else None
    )
    found.save()
    Step.objects.create(
        contact=found,
        action=action,
        state=found.status,
        detail=detail[:300],
        reason=reason.strip(),
        by=caller.actor.username if caller else "(member of the public)",
        at=at,
    )


def user(caller: Caller) -> User | None:
    """The caller's account (None for the installation or a job)."""
    return User.objects.filter(username=caller.actor.username).first()


def person_of(found: Contact) -> int | None:
    return found.person_id

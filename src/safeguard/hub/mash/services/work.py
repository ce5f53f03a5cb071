"""Working a contact, one function per action: rate it (and change the rating, always with a
reason), send it to the allocated worker's team or take it back, say who a named person is,
add information, ask agencies what they hold, withdraw a check, and decide or reopen it.

Each asks the policy, takes its step of the contact's table (`safeguard.casework.contact`),
keeps the step in the contact's history, moves its clocks, and writes its typed audit event,
all in one transaction; whoever must act next is alerted once it commits.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.caller import Caller, RuleBroken
from safeguard.access.events import (
    ChecksRequested,
    ContactDecided,
    ContactNoted,
    ContactRated,
    ContactReopened,
    ContactRouted,
    SubjectLinked,
)
from safeguard.access.policy import Action
from safeguard.casework import check
from safeguard.casework import contact as table
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.accounts.models import Team
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.deliveries.models import Agency
from safeguard.hub.mash import clocks, queries
from safeguard.hub.mash.models import CheckRequest, Contact, Note
from safeguard.hub.mash.services.intake import _known, open_case
from safeguard.hub.mash.services.steps import changing, keep, move, user


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M on %a %d %b") if moment else "soon"


def _url(found: Contact) -> str:
    return f"/mash/contacts/{found.reference}/"


def rate(caller: Caller, reference: str, rating: str, reason: str) -> Contact:
    """Rate the contact (or change its rating), with the reason; starts the rating's clock
    for agencies' checks. A Red rating alerts the MASH managers and the contact's owner."""
    v = clocks.vocabulary()
    with changing(caller, reference, "rate a contact") as (found, allowed):
        if rating not in v.ratings:
            raise RuleBroken(f"choose a rating ({', '.join(v.ratings)})")
        if rating == found.rating and found.status != table.RECEIVED:
            raise RuleBroken(f"{reference} is already rated {v.ratings[rating].label}")
        t = move(caller, found, "rate", reason)
        now, previous = timezone.now(), found.rating
        found.status, found.rating, found.rated_at = t.target, rating, now
        if found.owner_id is None:
            found.owner = user(caller)
        clock = v.ratings[rating].clock
        found.checks_due = clocks.due(clock, now) if clock else None
        found.checks.filter(status=check.REQUESTED).update(due_at=found.checks_due)
        label = v.ratings[rating].label
        was = f" (was {v.ratings[previous].label})" if previous in v.ratings else ""
        keep(found, "rate", caller, now, f"rated {label}{was}", reason)
        event = ContactRated(reference, rating, reason.strip(), previous, found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        if rating == "red":
            owners = queries.with_role("mash_manager") + ([found.owner] if found.owner else [])
            due = (
                timezone.localtime(found.checks_due).strftime("%H:%M on %a %d %b")
                if found.checks_due
                else ""
            )
            alerts.tell(
                owners,
                "red",
                f"{reference}:{now.isoformat()}",
                f"Red contact {reference}: agencies share what they hold by {due}",
                _url(found),
            )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def route(caller: Caller, reference: str, reason: str) -> Contact:
    """Send the contact to the team holding the child's open case."""
    with changing(caller, reference, "send a contact to a team") as (found, allowed):
        t = move(caller, found, "route", reason)
        case = queries.open_allocation(found.person_id)
        if case is None:
            raise RuleBroken("the child has no open case: rate the contact instead")
        now = timezone.now()
        found.status, found.team = t.target, case.team
        keep(found, "route", caller, now, f"sent to {case.team}", reason)
        event = ContactRouted(reference, str(case.team), reason.strip(), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        alerts.tell(
            queries.team_members(case.team_id),
            "routed",
            reference,
            f"Contact {reference} about a child your team holds the case for",
            _url(found),
        )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def take_back(caller: Caller, reference: str, reason: str) -> Contact:
    """Take a routed contact back into the MASH, to be rated there."""
    with changing(caller, reference, "take a contact back") as (found, allowed):
        t = move(caller, found, "take_back", reason)
        was = str(found.team) if found.team else ""
        found.status, found.team = t.target, None
        keep(found, "take_back", caller, timezone.now(), f"taken back from {was}", reason)
        event = ContactRouted(reference, "MASH", reason.strip(), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def link(caller: Caller, reference: str, subject_id: int, person_id: int) -> Contact:
    """Say that a person the contact names is a person the hub knows (found by search)."""
    with changing(
        caller,
        reference,
        "say who a named person is",
        Action.WORK_CONTACT,
        Action.DECIDE_LINK,
        person=person_id,
    ) as (found, allowed):
        subject = found.subjects.filter(pk=subject_id).first()
        if subject is None:
            raise RuleBroken(f"{reference} names no person {subject_id}")
        person = queries.current_person(person_id)
        if person is None:
            raise RuleBroken(f"there is no person P{person_id}")
        now = timezone.now()
        subject.person_id, subject.linked_by, subject.linked_at = (
            person,
            caller.actor.username,
            now,
        )
        subject.save(update_fields=["person", "linked_by", "linked_at"])
        keep(found, "link", caller, now, f"{subject.name or 'a named person'} is P{person}")
        audit.write(
            caller.actor, SubjectLinked(reference, subject.pk, person), allowed, caller.channel
        )
        if subject.main:
            _known(caller, found, person, now)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def note(caller: Caller, reference: str, text: str) -> Contact:
    """Add information to the contact (it stays in its history, whatever its state)."""
    with changing(caller, reference, "add information", Action.VIEW_CONTACTS) as (found, allowed):
        if not text.strip():
            raise RuleBroken("write the information to add")
        if len(text) > MAX_TEXT:
            raise RuleBroken(f"keep it under {MAX_TEXT:,} characters")
        now = timezone.now()
        Note.objects.create(contact=found, text=text.strip(), by=caller.actor.username, at=now)
        keep(found, "note", caller, now, "information added")
        audit.write(caller.actor, ContactNoted(reference, found.person_id), allowed, caller.channel)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def ask(
    caller: Caller,
    reference: str,
    agencies: list[str],
    basis: str,
    question: str = "",
    consent_reason: str = "",
) -> Contact:
    """Ask agencies what they hold about the contact's people (a share, with its lawful
    basis): each check is due when the rating's clock runs out, and the agency is alerted."""
    v = clocks.vocabulary()
    with changing(caller, reference, "ask agencies") as (found, allowed):
        move(caller, found, "request_checks")
        if not found.rating or not v.ratings[found.rating].clock:
            raise RuleBroken("rate the contact Red, Amber or Green before asking agencies")
        wanted = list(dict.fromkeys(a for a in agencies if a))
        if not wanted:
            raise RuleBroken("choose at least one agency to ask")
        known = set(Agency.objects.filter(code__in=wanted).values_list("code", flat=True))
        if unknown := [a for a in wanted if a not in known]:
            raise RuleBroken(f"no agency {', '.join(unknown)}")
        if basis not in v.bases:
            raise RuleBroken(f"choose the lawful basis ({', '.join(v.bases)})")
        if basis == "consent" and found.consent != Contact.Consent.GIVEN:
            raise RuleBroken("consent was not given: choose another lawful basis")
        if consent_reason.strip():
            found.consent_reason = consent_reason.strip()
        if found.consent != Contact.Consent.GIVEN and not found.consent_reason:
            raise RuleBroken("say why agencies are asked without consent: it is kept")
        waiting = found.checks.filter(status=check.REQUESTED)
        asked = {str(a) for a in waiting.values_list("agency_id", flat=True)}
        new = [a for a in wanted if a not in asked]
        if not new:
            raise RuleBroken("every agency chosen has already been asked")
        now = timezone.now()
        CheckRequest.objects.bulk_create(
            CheckRequest(
                contact=found,
                agency_id=a,
                question=question.strip(),
                basis=basis,
                requested_by=caller.actor.username,
                requested_at=now,
                due_at=found.checks_due,
            )
            for a in new
        )
        found.status = table.CHECKING
        keep(found, "request_checks", caller, now, f"asked {', '.join(new)}", question)
        event = ChecksRequested(reference, tuple(new), basis, found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        for agency in new:
            alerts.tell(
                queries.answerers(agency),
                "check",
                f"{reference}:{agency}",
                f"The MASH asks what your agency holds ({reference})",
                "/mash/checks/",
            )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def decide(
    caller: Caller,
    reference: str,
    outcomes: list[str],
    reason: str,
    basis: str,
    feedback: str = "",
    team_id: int | None = None,
) -> Contact:
    """Decide the contact: its outcomes, the reasons, the lawful basis for sharing the
    decision, and what the referrer is told. An outcome that allocates the child's case
    (assessment, strategy discussion) names the team that takes it."""
    v = clocks.vocabulary()
    with changing(caller, reference, "decide a contact") as (found, allowed):
        routed = found.status == table.ROUTED
        move(caller, found, "decide", reason)
        if problem := table.outcomes_problem(outcomes, v):
            raise RuleBroken(problem)
        if basis not in v.bases:
            raise RuleBroken(f"choose the lawful basis ({', '.join(v.bases)})")
        now = timezone.now()
        chosen = list(dict.fromkeys(outcomes))
        if table.allocates(chosen, v) and not routed:
            _allocate(caller, found, team_id, now)
        labels = [v.outcomes[o].label for o in chosen]
        found.status, found.outcomes = table.DECIDED, chosen
        found.decided_at, found.decided_by = now, caller.actor.username
        found.decision_reason, found.basis = reason.strip(), basis
        found.feedback = feedback.strip() or "The MASH has decided: " + "; ".join(labels) + "."
        keep(found, "decide", caller, now, "decided: " + "; ".join(labels), reason)
        event = ContactDecided(reference, tuple(chosen), reason.strip(), found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        referrer = queries.by_username(found.referrer_username)
        if referrer is not None:
            alerts.tell(
                [referrer],
                "feedback",
                f"{reference}:{now.isoformat()}",
                f"The MASH has decided on your contact {reference}",
                "/mash/mine/",
            )
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def _allocate(caller: Caller, found: Contact, team_id: int | None, now: dt.datetime) -> None:
    """The team named takes the child's case: an open case once the child is a person the
    hub knows (now, or when the MASH says who they are)."""
    team = Team.objects.filter(pk=team_id).first() if team_id else None
    if team is None:
        raise RuleBroken("choose the team that takes the child's case")
    found.team = team
    open_case(found, caller.actor.username, now)


def reopen(caller: Caller, reference: str, reason: str) -> Contact:
    """Reopen a decided contact (new information): its decision clock starts again."""
    with changing(caller, reference, "reopen a contact") as (found, allowed):
        t = move(caller, found, "reopen", reason)
        now = timezone.now()
        found.status = t.target
        found.decision_due = clocks.due(table.DECISION_CLOCK, now)
        found.outcomes, found.decided_at, found.decided_by = [], None, ""
        keep(found, "reopen", caller, now, "reopened", reason)
        audit.write(
            caller.actor,
            ContactReopened(reference, reason.strip(), found.person_id),
            allowed,
            caller.channel,
        )
        return found
    raise AssertionError("unreachable")  # pragma: no cover

"""Reading the MASH, each reading audited before anything is shown: a contact, the queue,
an agency's checks and one check, what a professional sent, and the manager's load and
breaches. Lists record which children they named."""

from __future__ import annotations

from django.utils import timezone

from safeguard.access import policy
from safeguard.access.caller import Caller
from safeguard.access.events import Refused, ViewedContact, ViewedList
from safeguard.access.policy import Action, Decision, act
from safeguard.hub.audit import services as audit
from safeguard.hub.mash import queries
from safeguard.hub.mash.models import CheckRequest, Contact


def contact(caller: Caller, reference: str) -> queries.ContactView:
    """A contact as the caller may see it: refused unless they are the MASH or it is
    routed to their team."""
    refused = Refused("view a contact", reference)
    audit.check(caller, act(caller.actor, Action.VIEW_CONTACTS), refused)
    found = (
        Contact.objects.filter(reference=reference).select_related("owner", "team__agency").first()
    )
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no contact {reference}"), rule=True)
    decision = policy.on_contact(caller.actor, found.team_id)
    if not decision:
        audit.refuse(caller, Refused("view a contact", reference, found.person_id), decision)
    audit.seen(caller, ViewedContact(reference, found.person_id), decision)
    return queries.contact_view(caller.actor, found, timezone.now())


def queue(caller: Caller, filters: queries.QueueFilters) -> tuple[int, list[queries.Row]]:
    """A page of the queue as `filters` ask; the children it names are recorded."""
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_CONTACTS), Refused("list", filters.describe())
    )
    total, rows = queries.queue(caller.actor, filters, timezone.now())
    named = tuple(sorted({r.person_id for r in rows if r.person_id}))
    audit.seen(caller, ViewedList(filters.describe(), named), allowed)
    return total, rows


def checks(caller: Caller, filters: queries.CheckFilters) -> list[queries.CheckRow]:
    """The checks asked of the caller's agency."""
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_CHECKS), Refused("list", filters.describe())
    )
    rows = queries.checks(caller.actor, filters, timezone.now())
    named = tuple(sorted({r.person_id for r in rows if r.person_id}))
    audit.seen(caller, ViewedList(filters.describe(), named), allowed)
    return rows


def one_check(caller: Caller, check_id: int) -> tuple[CheckRequest, queries.ContactView]:
    """A check asked of the caller's agency, with the contact it is about (what was reported
    and who is named; the child's record opens within need to know)."""
    refused = Refused("view a check", f"check {check_id}")
    audit.check(caller, act(caller.actor, Action.VIEW_CHECKS), refused)
    found = CheckRequest.objects.select_related("contact", "agency").filter(pk=check_id).first()
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no check {check_id}"), rule=True)
    decision = policy.check_for(caller.actor, found.agency_id)
    if not decision:
        audit.refuse(caller, refused, decision)
    about = found.contact
    audit.seen(caller, ViewedContact(about.reference or "", about.person_id), decision)
    return found, queries.contact_view(caller.actor, about, timezone.now())


def mine(caller: Caller) -> list[Contact]:
    """The contacts the caller made, with what became of them."""
    allowed = audit.check(
        caller, act(caller.actor, Action.RAISE_CONTACT), Refused("list", "contacts you made")
    )
    found = queries.raised_by(caller.actor)
    named = tuple(sorted({c.person_id for c in found if c.person_id}))
    audit.seen(caller, ViewedList("contacts you made", named), allowed)
    return found


def load(caller: Caller) -> queries.Load:
    """The front door's open work and breaches, for MASH managers."""
    allowed = audit.check(
        caller, act(caller.actor, Action.MANAGE_MASH), Refused("list", "MASH load and breaches")
    )
    found = queries.load(timezone.now())
    named = tuple(sorted({r.person_id for r in found.overdue if r.person_id}))
    audit.seen(caller, ViewedList("MASH load and breaches", named), allowed)
    return found


def raised(caller: Caller, reference: str) -> Contact:
    """One contact the caller made, to see what became of it (what an agency's system asks
    through the API)."""
    refused = Refused("view a contact", reference)
    allowed = audit.check(caller, act(caller.actor, Action.RAISE_CONTACT), refused)
    found = Contact.objects.raised_by(caller.actor).filter(reference=reference).first()
    if found is None:
        why = Decision(False, f"no contact {reference} made by {caller.actor.username}")
        audit.refuse(caller, refused, why, rule=True)
    audit.seen(caller, ViewedContact(reference, found.person_id), allowed)
    return found

"""Contacts arriving: from the web form, the JSON API, an agency's delivery or the public. All
land in one queue the same way (`receive`): checked field by field, the people it names found
among the people the hub knows (or kept as described, to be linked later), flagged as a
re-referral when another contact about the child came within 12 months, sent straight to the
allocated worker's team when the child has an open case, and put on its decision clock.

Two reactions keep contacts in step with the stages: after a delivery loads, the contacts
agencies delivered that are still new work join the queue; after people are linked, the
people contacts name follow their records into people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from safeguard.access.caller import Caller, Invalid, Refusal
from safeguard.access.events import Channel, ContactReceived, ContactRouted, Refused
from safeguard.access.policy import Action, Actor, Decision, act
from safeguard.casework import contact as table
from safeguard.casework.intake import Intake, Named, problems
from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.hub import reactions
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.deliveries.queries import current_of_kind, described, when
from safeguard.hub.mash import clocks, queries
from safeguard.hub.mash.models import Allocation, Contact, Subject
from safeguard.hub.mash.services.steps import attempt, keep
from safeguard.hub.people.models import PersonRecord

#: Who may send a contact by each route (the public's route is public).
_RAISE = {
    Contact.Route.WEB: Action.RAISE_CONTACT,
    Contact.Route.API: Action.RAISE_CONTACT,
    Contact.Route.DELIVERY: Action.RUN_STAGE,
}


def receive(caller: Caller, intake: Intake) -> Contact:
    """Put a contact in the queue (see the module's description); refused with every problem,
    field by field, when it is not valid."""
    attempted = Refused("send a contact", f"by {intake.route}")
    action = _RAISE.get(Contact.Route(intake.route))
    if action is None:
        raise ValueError("the public's reports arrive through the concerns service")
    allowed = audit.check(caller, act(caller.actor, action), attempted)
    with attempt(caller, attempted):
        return land(caller, intake, allowed)
    raise AssertionError("unreachable")  # pragma: no cover - attempt returns or raises


def land(
    caller: Caller | None, intake: Intake, allowed: Decision, announce: bool = True
) -> Contact:
    """Check and create the contact, inside the caller's attempt; its `contact_received`
    event unless the caller records its own (`announce`: the public's concern)."""
    now = timezone.now()
    wrong = problems(intake, clocks.vocabulary(), now, COUNCIL_AREAS)
    if wrong:
        raise Invalid(wrong)
    found = _create(caller, intake, now)
    if announce:
        audit.write(
            caller.actor if caller else None,
            ContactReceived(found.reference or "", intake.route, intake.source, found.person_id),
            allowed,
            caller.channel if caller else Channel.WEB,
        )
    return found


def _create(caller: Caller | None, intake: Intake, now: dt.datetime) -> Contact:
    received = intake.received_at
    by_hub_user = caller is not None and intake.route in (Contact.Route.WEB, Contact.Route.API)
    found = Contact.objects.create(
        received_at=received,
        route=intake.route,
        source=intake.source,
        referrer_username=caller.actor.username if by_hub_user and caller else "",
        referrer_agency=intake.referrer_agency,
        referrer_name=intake.referrer_name.strip(),
        referrer_role=intake.referrer_role.strip(),
        referrer_phone=intake.referrer_phone.strip(),
        referrer_email=intake.referrer_email.strip(),
        anonymity=intake.anonymity,
        council_area=intake.council_area,
        factors=list(dict.fromkeys(intake.factors)),
        summary=intake.summary.strip(),
        seen=intake.seen.strip(),
        told=intake.told.strip(),
        parents_aware=intake.parents_aware,
        consent=intake.consent,
        consent_reason=intake.consent_reason.strip(),
        decision_due=clocks.due(table.DECISION_CLOCK, received),
        source_record=intake.source_record,
    )
    found.reference = table.reference(found.pk, timezone.localtime(received))
    subjects = [_subject(found, n) for n in intake.named]
    Subject.objects.bulk_create(subjects)
    main = next(s for s in subjects if s.main)
    found.child_name = main.name or ", ".join(
        p for p in ("Not named", main.age or (f"P{main.person_id}" if main.person_id else "")) if p
    )
    keep(found, "received", caller, now, f"by {Contact.Route(intake.route).label}")
    if main.person_id is not None:
        _known(caller, found, main.person_id, now)
    return found


def _subject(found: Contact, named: Named) -> Subject:
    person = queries.current_person(named.person) if named.person else None
    if named.person and person is None:
        raise Invalid({"named": f"there is no person P{named.person}"})
    said: dict[str, str] = {}
    if named.record:
        row = PersonRecord.objects.filter(unique_id=named.record).values_list("person_id").first()
        person = person or (row[0] if row else None)
        said = described(named.record)  # what the delivering agency's own record says
    dob = named.dob or _date(said.get("dob", ""))
    return Subject(
        contact=found,
        main=named.main,
        kind=named.kind,
        relationship=named.relationship.strip(),
        name=named.name.strip() or said.get("name", ""),
        dob=dob,
        age=named.age.strip(),
        address=named.address.strip() or said.get("address", ""),
        postcode=(named.postcode.strip() or said.get("postcode", "")).upper(),
        description=named.description.strip(),
        person_id=person,
        record=named.record,
        linked_by="(linkage)" if named.record and person else "",
        linked_at=timezone.now() if person else None,
    )


def _date(text: str) -> dt.date | None:
    """A delivered date of birth when it is a whole one (a partial date stays unknown)."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def open_case(found: Contact, by: str, now: dt.datetime) -> None:
    """A decided contact's team holds the child's case (when the child is known)."""
    if found.person_id is None or found.team_id is None:
        return
    held = Allocation.objects.filter(person_id=found.person_id, team_id=found.team_id)
    if not held.filter(closed_at=None).exists():
        Allocation.objects.create(
            person_id=found.person_id,
            team_id=found.team_id,
            opened_at=now,
            reason=f"decided on {found.reference}",
            by=by,
            contact=found,
        )


def _known(caller: Caller | None, found: Contact, person: int, now: dt.datetime) -> None:
    """The child is a person the hub knows: note a re-referral, send the contact to the
    allocated worker's team when the child has an open case, and, once decided, open the
    case with the team the decision named."""
    found.person_id = person
    if found.status == table.DECIDED:
        if table.allocates(found.outcomes, clocks.vocabulary()):
            open_case(found, caller.actor.username if caller else "(linkage)", now)
        found.save()
        return
    earlier = queries.earlier_contacts(person, found.received_at, found.pk, found.source_record)
    months = clocks.vocabulary().re_referral_months
    latest = table.re_referral(found.received_at, [at for at, _ in earlier], months)
    if latest is not None:
        found.previous_at = latest
        found.previous = next(ref for at, ref in earlier if at == latest)
        keep(found, "re_referral", caller, now, f"re-referral: {found.previous}")
    case = queries.open_allocation(person)
    if case is not None and found.status == table.RECEIVED:
        found.status, found.team = table.ROUTED, case.team
        keep(found, "route", caller, now, f"open case: sent to {case.team}")
        # the hub's own rule routed it, as a consequence of what the caller sent
        event = ContactRouted(found.reference or "", str(case.team), "open case", person)
        audit.write(
            Actor.of_installation("hub rules"),
            event,
            Decision(True, "the child has an open case: the allocated team's contact"),
            Channel.JOB,
        )
        alerts.tell(
            queries.team_members(case.team_id),
            "routed",
            found.reference or "",
            f"Contact {found.reference} about a child your team holds the case for",
            f"/mash/contacts/{found.reference}/",
        )
    found.save()


# --- the stages' reactions ---


@reactions.on(reactions.Stage.DELIVERY_LOADED, "mash_contacts")
def take_delivered(caller: Caller) -> dict[str, Any]:
    """Delivered contacts received at most `intake_days` ago join the queue (once each);
    older ones are the child's history."""
    v = clocks.vocabulary()
    now = timezone.now()
    since = timezone.localtime(now - dt.timedelta(days=v.intake_days))
    taken = refused = 0
    for record in current_of_kind("contacts", since.strftime("%Y-%m-%dT%H:%M:%S")):
        unique = f"{record.agency.code}:{record.record_id}"
        received = when(record.occurred_at)
        if received is None or not table.live(received, now, v.intake_days):
            continue
        if Contact.objects.filter(source_record=unique).exists():
            continue
        try:
            receive(caller, delivered(record.agency.code, record.record_id, record.data, received))
            taken += 1
        except Refusal:  # audited with what was wrong; the rest still join the queue
            refused += 1
    return {"taken": taken, "refused": refused}


def delivered(agency: str, record_id: str, data: dict[str, Any], received: dt.datetime) -> Intake:
    """A delivered `contacts` record as an intake (the contract's words as census codes)."""
    v = clocks.vocabulary()
    categories = _codes(data.get("concern_categories"))
    factors = tuple(dict.fromkeys(v.delivered_categories.get(c, "20") for c in categories))
    adults = _codes(data.get("other_person_ids"))
    referrer = str(data.get("referrer_agency") or "").strip().lower()
    return Intake(
        received_at=received,
        route=Contact.Route.DELIVERY,
        source=v.delivered_sources.get(referrer, "8"),
        summary=str(data.get("text") or "").strip() or "(the delivery gave no words)",
        factors=factors or ("20",),
        named=(
            Named(kind="child", main=True, record=f"{agency}:{data.get('person_id')}"),
            *(Named(kind="adult", record=f"{agency}:{p}", relationship="named") for p in adults),
        ),
        anonymity="anonymous" if referrer == "anonymous" else "named",
        referrer_agency=agency,
        council_area=v.delivered_areas.get(agency, ""),
        referrer_role=str(data.get("referrer_role") or ""),
        referrer_name=referrer,
        source_record=f"{agency}:{record_id}",
    )


def _codes(value: Any) -> list[str]:
    """A delivered list (as landed: a list; as written in a file: "a;b")."""
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [v for v in str(value or "").split(";") if v]


@reactions.on(reactions.Stage.PEOPLE_LINKED, "mash_people")
def follow_people(caller: Caller) -> dict[str, Any]:
    """The people contacts name follow their records (a delivered record's person) and merges
    (a person merged into another); a child newly known is checked for re-referral and for an
    open case."""
    now = timezone.now()
    moved = newly = 0
    owner = PersonRecord.objects.filter(unique_id=OuterRef("record")).values("person_id")[:1]
    with attempt(caller, Refused("follow people", "mash contacts")):
        changed = (
            Subject.objects.exclude(record="")
            .annotate(now_person=Subquery(owner))
            .filter(now_person__isnull=False)
            .exclude(person_id=F("now_person"))
        )
        for subject in changed:
            moved += 1
            newly += _relink(caller, subject, subject.now_person, now)
    return {"moved": moved, "newly_known": newly}


def _relink(caller: Caller, subject: Subject, person: int, now: dt.datetime) -> int:
    was = subject.person_id
    subject.person_id, subject.linked_by, subject.linked_at = person, "(linkage)", now
    subject.save(update_fields=["person", "linked_by", "linked_at"])
    if not subject.main:
        return 0
    found = Contact.objects.select_for_update().get(pk=subject.contact_id)
    found.person_id = person
    if was is None:
        _known(caller, found, person, now)
        return 1
    found.save(update_fields=["person"])
    return 0

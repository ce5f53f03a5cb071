"""The MASH endpoints of the JSON API: an agency's system sends a contact, and asks what
became of the contacts it sent, through the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from safeguard.access.caller import Refusal
from safeguard.access.events import ContactReceived, ViewedContact
from safeguard.casework.intake import Intake, Named
from safeguard.hub.mash import clocks, services
from safeguard.hub.mash.views import ROLE_SOURCE
from safeguard.hub.web.adapter import api_caller, marks
from safeguard.hub.web.answers import answers

router = Router()


class Problem(Schema):
    detail: str
    problems: dict[str, str] = Field(default_factory=dict)


class PersonIn(Schema):
    kind: str = Field("child", description="child or adult")
    main: bool = Field(False, description="The child the contact is about (exactly one)")
    name: str = ""
    date_of_birth: dt.date | None = None
    age: str = ""
    relationship: str = ""
    address: str = ""
    postcode: str = ""
    description: str = ""
    person_id: int | None = Field(None, description="A person the hub knows (P number)")
    record: str = Field("", description="agency:record_id of your own people record")


class Referrer(Schema):
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""


class ContactIn(Schema):
    summary: str = Field(description="The concern, in the referrer's words")
    factors: list[str] = Field(description="Children in Need census factor codes, e.g. 11A")
    people: list[PersonIn]
    source: str | None = Field(None, description="Census referral source; default by role")
    received_at: dt.datetime | None = None
    seen: str = ""
    told: str = ""
    council_area: str = ""
    parents_aware: str = "unknown"
    consent: str = "not_sought"
    consent_reason: str = ""
    anonymity: str = "named"
    referrer: Referrer = Field(default_factory=Referrer)


class ContactOut(Schema):
    reference: str
    status: str
    received_at: dt.datetime
    decision_due: dt.datetime
    decided_at: dt.datetime | None
    outcomes: list[str]
    feedback: str


def _out(found: Any) -> dict[str, Any]:
    v = clocks.vocabulary()
    return {
        "reference": found.reference,
        "status": "decided" if found.status == "decided" else "with the MASH",
        "received_at": found.received_at,
        "decision_due": found.decision_due,
        "decided_at": found.decided_at,
        "outcomes": [v.outcomes[o].label for o in found.outcomes if o in v.outcomes],
        "feedback": found.feedback if found.status == "decided" else "",
    }


@router.post(
    "",
    response=answers({201: ContactOut, 400: Problem, 403: Problem}),
    url_name="contact_create",
    summary="Send a contact to the MASH",
)
@marks(POST=ContactReceived)
def create(request: HttpRequest, body: ContactIn) -> Status[Any]:
    """A contact lands in the MASH queue as one from the web form would; every problem is
    returned by field (`people.0.name`, `factors`, ...) and nothing is kept."""
    caller = api_caller(request)
    source = body.source or next(
        (ROLE_SOURCE[r] for r in sorted(caller.actor.roles) if r in ROLE_SOURCE), "8"
    )
    intake = Intake(
        received_at=body.received_at or timezone.now(),
        route="api",
        source=source,
        summary=body.summary,
        factors=tuple(body.factors),
        named=tuple(
            Named(
                kind=p.kind,
                main=p.main,
                name=p.name,
                dob=p.date_of_birth,
                age=p.age,
                relationship=p.relationship,
                address=p.address,
                postcode=p.postcode,
                description=p.description,
                person=p.person_id,
                record=p.record,
            )
            for p in body.people
        ),
        anonymity=body.anonymity,
        council_area=body.council_area,
        seen=body.seen,
        told=body.told,
        parents_aware=body.parents_aware,
        consent=body.consent,
        consent_reason=body.consent_reason,
        referrer_agency=caller.actor.agency,
        referrer_name=body.referrer.name,
        referrer_role=body.referrer.role,
        referrer_phone=body.referrer.phone,
        referrer_email=body.referrer.email,
    )
    try:
        found = services.receive(caller, intake)
    except Refusal as refusal:
        problems = {
            "people" + k.removeprefix("named") if k.startswith("named") else k: v
            for k, v in refusal.problems.items()
        }
        detail = {"detail": refusal.reason, "problems": problems}
        return Status(400 if refusal.rule else 403, detail)
    return Status(201, _out(found))


@router.get(
    "/{reference}",
    response=answers({200: ContactOut, 403: Problem, 404: Problem}),
    url_name="contact_status",
    summary="What became of a contact you sent",
)
@marks(GET=ViewedContact)
def status(request: HttpRequest, reference: str) -> Status[Any]:
    """A contact the token's account sent: whether it is decided, the outcomes and the
    feedback for the referrer."""
    try:
        found = services.raised(api_caller(request), reference)
    except Refusal as refusal:
        return Status(404 if refusal.rule else 403, {"detail": refusal.reason})
    return Status(200, _out(found))

"""The public's concerns: report one, add to it later with the code, see whether it was
followed up; and, for the MASH only, read who reported it.

A report becomes a contact in the MASH queue (`mash.services.land`) in the same transaction
as the concern, its code's digest and, kept apart, the reporter's details when they chose to
give them. No caller, IP address or browser detail is kept: the audit trail records that a
member of the public reported or added, and nothing about them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid, RuleBroken
from safeguard.access.events import (
    Channel,
    ConcernAddedTo,
    ConcernReported,
    Refused,
    ViewedReporter,
)
from safeguard.access.policy import Action, Decision, act
from safeguard.casework import contact as table
from safeguard.casework.intake import MAX_LINE, MAX_TEXT, Intake, Named
from safeguard.hub.audit import services as audit
from safeguard.hub.concerns.models import Concern, Reporter
from safeguard.hub.mash.models import Contact, Note
from safeguard.hub.mash.services import land
from safeguard.hub.mash.services.steps import attempt, keep

#: Codes use letters and digits that cannot be mistaken for each other (no O/0, I/1).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PUBLIC = Decision(True, "the public's report (no account needed)")
#: What a member of the public is told about their concern.
RECEIVED, FOLLOWED_UP = "received", "followed up"


def digest(code: str) -> str:
    """What is kept of a code: its SHA-256, whatever spacing or case it is typed in."""
    tidy = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(tidy.encode()).hexdigest()


def new_code() -> str:
    """A code to keep: 12 characters (60 bits), in groups of four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class Report:
    """What a member of the public tells us (everything but `what` is optional)."""

    what: str
    concerns: tuple[str, ...] = ()
    child_name: str = ""
    child_age: str = ""
    child_description: str = ""
    where: str = ""
    when: str = ""
    others: str = ""
    reporter_name: str = ""
    relationship: str = ""
    phone: str = ""
    email: str = ""
    may_contact: bool = False
    safe_contact: str = ""

    @property
    def named(self) -> bool:
        return bool(self.reporter_name.strip() or self.phone.strip() or self.email.strip())


#: Plain-English concerns as census factors.
CONCERNS = {
    "exploitation": "11A",
    "missing": "10A",
    "crime": "24A",
    "sexual_abuse": "19A",
    "physical_abuse": "18A",
    "neglect": "16A",
    "other": "20",
}
RELATIONSHIPS = ("1A", "1B", "1C", "1D")


def problems(report: Report) -> dict[str, str]:
    """What is wrong with a report, by field, in plain words."""
    found: dict[str, str] = {}
    if not report.what.strip():
        found["what"] = "Tell us what happened"
    for name in ("what", "child_description", "others", "where", "when"):
        if len(getattr(report, name)) > MAX_TEXT:
            found[name] = "This is too long. Please make it shorter"
    for name in ("child_name", "child_age", "reporter_name", "phone", "email", "safe_contact"):
        if len(getattr(report, name)) > MAX_LINE:
            found[name] = "This is too long. Please make it shorter"
    if unknown := [c for c in report.concerns if c not in CONCERNS]:
        found["concerns"] = f"We do not know {', '.join(unknown)}"
    if report.named and report.relationship not in RELATIONSHIPS:
        found["relationship"] = "Tell us how you know the child"
    if report.may_contact and not (report.phone.strip() or report.email.strip()):
        found["phone"] = "Give a phone number or email so we can contact you"
    return found


def report(concern: Report, form_token: str) -> tuple[Contact, str]:
    """Record a report; its contact and the code the person keeps (shown once, never stored).
    A form sent twice (the same `form_token`) is refused as already received."""
    attempted = Refused("report a concern", "the public's form")
    with attempt(None, attempted):
        wrong = problems(concern)
        if wrong:
            raise Invalid(wrong)
        if Concern.objects.filter(form_digest=digest(form_token)).exists():
            raise RuleBroken("we already have this report")
        now, code = timezone.now(), new_code()
        found = land(None, _intake(concern, now), PUBLIC, announce=False)
        kept = Concern.objects.create(
            contact=found, code_digest=digest(code), form_digest=digest(form_token), created_at=now
        )
        if concern.named:
            Reporter.objects.create(
                concern=kept,
                name=concern.reporter_name.strip(),
                relationship=concern.relationship,
                phone=concern.phone.strip(),
                email=concern.email.strip(),
                may_contact=concern.may_contact,
                safe_contact=concern.safe_contact.strip(),
            )
        event = ConcernReported(found.reference or "", concern.named)
        audit.write(None, event, PUBLIC, Channel.WEB)
        return found, code
    raise AssertionError("unreachable")  # pragma: no cover


def _intake(concern: Report, now: object) -> Intake:
    where = [f"Where: {concern.where.strip()}"] if concern.where.strip() else []
    when = [f"When: {concern.when.strip()}"] if concern.when.strip() else []
    child = Named(
        kind="child",
        main=True,
        name=concern.child_name,
        age=concern.child_age,
        description=concern.child_description or ("" if concern.child_name else "Not described"),
    )
    others = (
        (Named(kind="adult", relationship="named by the public", description=concern.others),)
        if concern.others.strip()
        else ()
    )
    return Intake(
        received_at=now,  # type: ignore[arg-type]
        route=Contact.Route.PUBLIC,
        source=concern.relationship if concern.named else "9",
        summary="\n".join([concern.what.strip(), *where, *when]),
        factors=tuple(dict.fromkeys(CONCERNS[c] for c in concern.concerns)) or ("20",),
        named=(child, *others),
        anonymity="confidential" if concern.named else "anonymous",
    )


def status(code: str) -> tuple[Concern, str] | None:
    """The concern a code is for, and what its reporter may know: received or followed up."""
    kept = Concern.objects.select_related("contact").filter(code_digest=digest(code)).first()
    if kept is None:
        return None
    return kept, FOLLOWED_UP if kept.contact.status == table.DECIDED else RECEIVED


def add(code: str, text: str) -> Concern:
    """Add information to a concern with its code; the MASH sees it on the contact."""
    attempted = Refused("add to a concern", "the public's form")
    with attempt(None, attempted):
        if not text.strip():
            raise Invalid({"text": "Tell us what you want to add"})
        if len(text) > MAX_TEXT:
            raise Invalid({"text": "This is too long. Please make it shorter"})
        kept = Concern.objects.select_related("contact").filter(code_digest=digest(code)).first()
        if kept is None:
            raise Invalid({"code": "We could not find that code. Check it and try again"})
        now = timezone.now()
        about = Contact.objects.select_for_update().get(pk=kept.contact_id)
        by = "(the person who reported it)"
        Note.objects.create(contact=about, text=text.strip(), by=by, at=now)
        keep(about, "note", None, now, "the person who reported it added information")
        audit.write(None, ConcernAddedTo(about.reference or ""), PUBLIC, Channel.WEB)
        return kept
    raise AssertionError("unreachable")  # pragma: no cover


def reporter(caller: Caller, reference: str, why: str) -> Reporter | None:
    """Who reported a public concern (None when they stayed anonymous), for the MASH, with
    the reason they need it; every reading is recorded."""
    refused = Refused("see who reported a concern", reference)
    allowed = audit.check(caller, act(caller.actor, Action.VIEW_REPORTER), refused)
    kept = Concern.objects.select_related("contact").filter(contact__reference=reference).first()
    if kept is None:
        audit.refuse(caller, refused, Decision(False, f"{reference} is not a public concern"), True)
    if len(why.strip()) < 10:
        audit.refuse(caller, refused, Decision(False, "say why you need to know who it was"), True)
    audit.seen(caller, ViewedReporter(reference, why.strip()), allowed)
    return Reporter.objects.visible_to(caller.actor).filter(concern=kept).first()

"""What a contact says when it arrives, and what is wrong with it: the same rules for the web
form, the JSON API, an agency's delivery and the public's report. Each problem is named by the
field it is in, so a form can show it beside that field and an API can return it. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard.casework.vocabulary import Vocabulary

#: The longest free text kept in one field (a long statement fits; a pasted file does not).
MAX_TEXT = 20_000
MAX_LINE = 200
ANONYMITY = ("named", "confidential", "anonymous")
AWARE = ("yes", "no", "unknown")
CONSENT = ("given", "refused", "not_sought")


@dataclass(frozen=True)
class Named:
    """A person a contact names: the child it is about (`main`), other children, adults."""

    kind: str = "child"
    main: bool = False
    name: str = ""
    dob: dt.date | None = None
    age: str = ""
    relationship: str = ""
    address: str = ""
    postcode: str = ""
    description: str = ""
    person: int | None = None
    """A person the hub knows, when the referrer picked them from a search."""
    record: str = ""
    """`agency:record_id`: the agency's own people record (deliveries)."""


@dataclass(frozen=True)
class Intake:
    received_at: dt.datetime
    route: str
    source: str
    summary: str
    factors: tuple[str, ...]
    named: tuple[Named, ...]
    anonymity: str = "named"
    council_area: str = ""
    seen: str = ""
    told: str = ""
    parents_aware: str = "unknown"
    consent: str = "not_sought"
    consent_reason: str = ""
    referrer_agency: str = ""
    referrer_name: str = ""
    referrer_role: str = ""
    referrer_phone: str = ""
    referrer_email: str = ""
    source_record: str | None = None


def problems(
    intake: Intake, vocabulary: Vocabulary, now: dt.datetime, areas: tuple[str, ...]
) -> dict[str, str]:
    """What is wrong with `intake`, by field ({} when nothing is)."""
    found: dict[str, str] = {}
    if intake.received_at > now + dt.timedelta(minutes=5):
        found["received_at"] = "A contact cannot arrive in the future"
    if intake.source not in vocabulary.sources:
        found["source"] = f"Choose who made the contact ({intake.source!r} is not a source)"
    if not intake.summary.strip():
        found["summary"] = "Say what the concern is"
    unknown = [f for f in intake.factors if f not in vocabulary.factors]
    if not intake.factors:
        found["factors"] = "Choose at least one thing the concern is about"
    elif unknown:
        found["factors"] = f"Unknown concern {', '.join(unknown)}"
    for name, allowed, value in (
        ("anonymity", ANONYMITY, intake.anonymity),
        ("parents_aware", AWARE, intake.parents_aware),
        ("consent", CONSENT, intake.consent),
    ):
        if value not in allowed:
            found[name] = f"Choose one of: {', '.join(allowed)}"
    if intake.council_area and intake.council_area not in areas:
        found["council_area"] = f"Choose a council area ({intake.council_area!r} is not one)"
    for name in ("summary", "seen", "told", "consent_reason"):
        if len(getattr(intake, name)) > MAX_TEXT:
            found[name] = f"Keep this under {MAX_TEXT:,} characters"
    for name in ("referrer_name", "referrer_role", "referrer_phone", "referrer_email"):
        if len(getattr(intake, name)) > MAX_LINE:
            found[name] = f"Keep this under {MAX_LINE} characters"
    found.update(_named_problems(intake.named, now.date()))
    return found


def _named_problems(named: tuple[Named, ...], today: dt.date) -> dict[str, str]:
    found: dict[str, str] = {}
    mains = [n for n in named if n.main]
    if len(mains) != 1 or mains[0].kind != "child":
        found["named"] = "Name the one child the concern is about"
    for i, n in enumerate(named):
        where = f"named.{i}"
        if n.kind not in ("child", "adult"):
            found[f"{where}.kind"] = "A person named is a child or an adult"
        if not (n.name.strip() or n.description.strip() or n.person or n.record):
            found[f"{where}.name"] = "Give a name, or describe the person"
        if n.dob is not None and n.dob > today:
            found[f"{where}.dob"] = "A date of birth cannot be in the future"
        for attr in ("name", "age", "relationship", "address", "postcode"):
            if len(getattr(n, attr)) > MAX_LINE:
                found[f"{where}.{attr}"] = f"Keep this under {MAX_LINE} characters"
        if len(n.description) > MAX_TEXT:
            found[f"{where}.description"] = f"Keep this under {MAX_TEXT:,} characters"
    return found

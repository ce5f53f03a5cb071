"""The rows of the SSD tables the hub can fill, read set-based (a few columns per record,
streamed): contacts, the referrals among them (a decision giving the case to a team), and
missing episodes with their return home interviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from safeguard.governance.ssd import Mapping
from safeguard.hub.mash.clocks import vocabulary
from safeguard.hub.mash.models import Contact
from safeguard.hub.missing.models import Episode


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _since(since: dt.date | None, field: str) -> dict[str, Any]:
    return {f"{field}__date__gte": since} if since else {}


def _contacts(since: dt.date | None) -> Any:
    return (
        Contact.objects.filter(**_since(since, "received_at"))
        .order_by("received_at", "pk")
        .values_list("pk", "reference", "person_id", "received_at", "source", "outcomes",
                     "team__name")
    )  # fmt: skip


def contacts(found: Mapping, since: dt.date | None) -> Iterator[list[Any]]:
    sources = vocabulary().sources
    for pk, reference, person, received, source, outcomes, _ in _contacts(since).iterator():
        yield [
            reference or pk, person or "", _when(received), source,
            sources.get(source, ""), found.contact_flags(outcomes or []),
        ]  # fmt: skip


def referrals(found: Mapping, since: dt.date | None) -> Iterator[list[Any]]:
    """Contacts decided with an outcome that gives the case to a team."""
    vocab = vocabulary()
    allocate = {code for code, o in vocab.outcomes.items() if o.allocate}
    for pk, reference, person, received, source, outcomes, team in _contacts(since).iterator():
        if not allocate & set(outcomes or []):
            continue
        yield [
            reference or pk, person or "", _when(received), "", source,
            vocab.sources.get(source, ""), found.referral_flags(outcomes), "N", "", "",
            team or "", "",
        ]  # fmt: skip


def missing(since: dt.date | None) -> Iterator[list[Any]]:
    episodes = (
        Episode.objects.filter(**_since(since, "started_at"))
        .exclude(status="cancelled")
        .order_by("started_at", "pk")
        .values_list("pk", "person_id", "started_at", "kind", "returned_at",
                     "interview__offered_at", "interview__accepted_at",
                     "interview__status")
    )  # fmt: skip
    for pk, person, start, kind, end, offered, accepted, status in episodes.iterator():
        yes_no = "Y" if accepted else "N" if status == "declined" else ""
        yield [
            pk, person or "", _when(start), kind.replace("_", " ").capitalize(), _when(end),
            "Y" if offered else "N", yes_no,
        ]  # fmt: skip

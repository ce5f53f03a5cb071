"""Data subjects' rights and retention, as services: a subject-access export of one person
(auditors: the information governance function; flagged for review), and the retention job
(the data operator's scheduled run) that lists, or removes in one transaction, what is past
the retention schedule. Both asked of the policy and audited; the audit trail itself is never
removed (docs/security.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import (
    Refused,
    RetentionApplied,
    RetentionChecked,
    SubjectAccessExported,
)
from safeguard.access.policy import Action, Decision, act
from safeguard.casework import contact, episode, mace
from safeguard.governance import retention as schedule
from safeguard.hub.audit import services as audit
from safeguard.hub.concerns.models import Concern, Reporter
from safeguard.hub.deliveries.models import QuarantinedRow, SourceRecord
from safeguard.hub.mace.models import Disruption, Item, MeetingAction
from safeguard.hub.mash.models import Allocation, CheckRequest, Contact, Note, Subject
from safeguard.hub.mash.models import Step as ContactStep
from safeguard.hub.missing.models import (
    Episode,
    Handover,
    Interview,
    Report,
    Sighting,
    StrategyTask,
)
from safeguard.hub.missing.models import Step as EpisodeStep
from safeguard.hub.subjects import document, pruning, queries
from safeguard.hub.subjects.retention import (
    CONTACT,
    EPISODE,
    MACE_ITEM,
    QUARANTINE,
    Due,
    Tally,
    due,
    held_people,
)
from safeguard.settings import get_settings

BATCH = 500
T = TypeVar("T")


def subject_access(caller: Caller, person: int, folder: Path) -> tuple[list[Path], dict[str, int]]:
    """Write everything the hub holds about `person` into `folder` (JSON and HTML), third
    parties redacted; the files and the rows per section. Audited (flagged) before it is
    written; a person the hub does not hold is refused as a rule of the work."""
    attempted = Refused("subject access", f"P{person}")
    allowed = audit.check(caller, act(caller.actor, Action.SUBJECT_ACCESS), attempted)
    if not queries.exists(person):
        audit.refuse(caller, attempted, Decision(False, f"the hub holds no person P{person}"), True)
    held = queries.holdings(person)
    held["made_at"] = timezone.now().isoformat(timespec="seconds")
    counts = queries.counts(held)
    line = ", ".join(f"{k}={v}" for k, v in counts.items())
    audit.seen(caller, SubjectAccessExported(person, line), allowed)
    return document.write(folder, held), counts


@dataclass(frozen=True)
class Outcome:
    """A retention run: counts by type, versions of agency records removed, applied or not,
    and rows pruned from the landed deliveries (`pruning`)."""

    tallies: dict[str, Tally]
    versions: int
    applied: bool
    schedule: str
    landed: int = 0


def loaded() -> schedule.Schedule:
    """The configured schedule (SAFEGUARD_RETENTION), or the default."""
    return schedule.load(get_settings().retention)


def retention(caller: Caller, apply: bool = False, today: dt.date | None = None) -> Outcome:
    """What is past the retention schedule on `today` (counts by type, audited); with `apply`,
    remove it all in one transaction with its audit event, or none of it, then the same records
    from the landed deliveries (`pruning`, which also finishes a run killed before it could)."""
    attempted = Refused("apply retention" if apply else "check retention", "")
    allowed = audit.check(caller, act(caller.actor, Action.APPLY_RETENTION), attempted)
    rules = loaded()
    day = today or timezone.localdate()
    name = f"{rules.name} {rules.version}".strip()
    if not apply:
        found = due(rules, day)
        audit.seen(caller, RetentionChecked(_line(found.tallies, "past")), allowed)
        return Outcome(dict(found.tallies), _versions(found), False, name)
    # judged before the transaction, so SQLite's write lock is held only to remove; a hold
    # that began meanwhile has it judged again inside, where nothing can change under it
    holds = held_people()
    found = due(rules, day, holds)
    with transaction.atomic():
        if held_people() != holds:
            found = due(rules, day)
        versions = _remove_records(found)
        _settle(found.tallies[CONTACT], _remove_contacts(found.contacts))
        _settle(found.tallies[EPISODE], _remove_episodes(found.episodes))
        if found.mace_items:
            _settle(found.tallies[MACE_ITEM], _remove_mace_items(found.mace_items))
        if found.quarantine:
            _settle(found.tallies[QUARANTINE], _remove_quarantine(found.quarantine))
        pruning.record(found.records)  # the landed copies follow once this commits
        line = _line(found.tallies, "removed")
        audit.write(caller.actor, RetentionApplied(line), allowed, caller.channel)
    return Outcome(
        dict(found.tallies), versions, True, name, pruning.settle() + pruning.settle_quarantine()
    )


def _line(tallies: dict[str, Tally], verb: str) -> str:
    gone = ", ".join(f"{k}={t.past}" for k, t in sorted(tallies.items()) if t.past)
    held = sum(t.held for t in tallies.values())
    return f"{verb} {gone or 'nothing'}; held {held}"


def _versions(found: Due) -> int:
    return sum(
        SourceRecord.objects.filter(agency_id=a, kind=k, record_id__in=chunk).count()
        for (a, k), ids in found.records.items()
        for chunk in _batches(ids)
    )


def _remove_records(found: Due) -> int:
    removed = 0
    for (agency, kind), ids in found.records.items():
        for chunk in _batches(ids):
            n, _ = SourceRecord.objects.filter(
                agency_id=agency, kind=kind, record_id__in=chunk
            ).delete()
            removed += n
    return removed


def _settle(tally: Tally, removed: int) -> None:
    """A case reopened since it was judged was kept: count it held, not removed."""
    tally.held += tally.past - removed
    tally.past = removed


def _remove_contacts(pks: list[int]) -> int:
    removed = 0
    for chunk in _batches(pks):
        chunk = _still_closed(Contact, chunk, status__in=contact.OPEN)
        Reporter.objects.filter(concern__contact_id__in=chunk).delete()
        Concern.objects.filter(contact_id__in=chunk).delete()
        for model in (Subject, ContactStep, Note, CheckRequest):
            model.objects.filter(contact_id__in=chunk).delete()
        Allocation.objects.filter(contact_id__in=chunk).update(contact=None)  # the case stays
        removed += Contact.objects.filter(pk__in=chunk).delete()[0]
    return removed


def _remove_mace_items(pks: list[int]) -> int:
    """Agenda items with their actions (none open when judged; one opened since keeps its
    item); their disruptions stay, as counts, no longer tied to them."""
    removed = 0
    for chunk in _batches(pks):
        chunk = _still_closed(Item, chunk, actions__status=mace.OPEN)
        Disruption.objects.filter(item_id__in=chunk).update(item=None)
        MeetingAction.objects.filter(item_id__in=chunk).delete()
        removed += Item.objects.filter(pk__in=chunk).delete()[0]
    return removed


def _remove_quarantine(deliveries: list[int]) -> int:
    """The quarantined rows of `deliveries`; the deliveries and their counts stay (the record
    of what each agency sent)."""
    return sum(
        QuarantinedRow.objects.filter(delivery_id__in=chunk).delete()[0]
        for chunk in _batches(deliveries)
    )


def _remove_episodes(pks: list[int]) -> int:
    removed = 0
    for chunk in _batches(pks):
        chunk = _still_closed(Episode, chunk, status=episode.AWAY)
        for model in (Report, EpisodeStep, Interview, Sighting, Handover, StrategyTask):
            model.objects.filter(episode_id__in=chunk).delete()
        removed += Episode.objects.filter(pk__in=chunk).delete()[0]
    return removed


def _still_closed(model: type[Model], pks: list[int], **opened: object) -> list[int]:
    """Of `pks`, judged closed, those still closed: one reopened since (`opened` says how it
    would look; it would be a hold now) is kept."""
    found = model._default_manager.filter(pk__in=pks).exclude(**opened)
    return list(found.values_list("pk", flat=True).distinct())


def _batches(items: list[T]) -> list[list[T]]:
    return [items[i : i + BATCH] for i in range(0, len(items), BATCH)]


__all__ = ["CONTACT", "EPISODE", "Outcome", "loaded", "retention", "subject_access"]

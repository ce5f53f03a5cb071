"""The hub's side of linkage: decisions in, people and their history out.

`decisions()` and `current_people()` give linkage what it honours and keeps; `record_run()`
writes what a run decided in one transaction: the run, new people, retired people, each record's
person where it changed, and every merge, split and move with its reason. `decide()` and
`split()` store practitioners' decisions, refusing those that contradict earlier ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from safeguard.hub.people.models import (
    IdentityEvent,
    LinkDecision,
    LinkRun,
    Person,
    PersonRecord,
)
from safeguard.linkage import identity, run
from safeguard.linkage.backend import DEFAULT_BACKEND, Backend
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.records import PeopleFile
from safeguard.linkage.run import RunSummary

BATCH = 5_000


class DecisionRefused(ValueError):
    """A decision that cannot be recorded as asked; the message says why."""


def _decision(row: LinkDecision) -> identity.Decision:
    return identity.Decision(row.left, row.right, row.same, row.reason, row.decided_by, row.pk)


def decisions() -> list[identity.Decision]:
    """Every current decision (a later decision on a pair supersedes the earlier)."""
    rows = LinkDecision.objects.filter(current=True).order_by("pk")
    return [_decision(row) for row in rows]


def current_people() -> pa.Table:
    """Each linked record's person now (`unique_id`, `person_id`)."""
    rows = list(PersonRecord.objects.values_list("unique_id", "person_id").iterator(BATCH))
    return pa.table(
        {
            "unique_id": pa.array([r[0] for r in rows], pa.string()),
            "person_id": pa.array([r[1] for r in rows], pa.int64()),
        }
    )


def former_people() -> pa.Table:
    """For each record ever merged away from a person, that (now retired) person: the last
    merge wins. Linkage gives the id back if the records are split off again."""
    last: dict[str, int] = {}
    for other, records in (
        IdentityEvent.objects.filter(kind=IdentityEvent.Kind.MERGED)
        .order_by("pk")
        .values_list("other_id", "records")
    ):
        for uid in records:
            last[uid] = other
    return pa.table(
        {
            "unique_id": pa.array(list(last), pa.string()),
            "person_id": pa.array(list(last.values()), pa.int64()),
        }
    )


def next_person_id() -> int:
    """The next unused person id (ids are never reused, retired people included)."""
    top = Person.objects.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def person_of(unique_id: str) -> int | None:
    """The person a record belongs to now, if it has been linked."""
    row = PersonRecord.objects.filter(unique_id=unique_id).values_list("person_id").first()
    return None if row is None else int(row[0])


_CHANGED = """
select n.unique_id, n.person_id, p.person_id is null as is_new
from people n left join previous p using (unique_id)
where p.person_id is distinct from n.person_id
order by n.person_id, n.unique_id
"""


@transaction.atomic
def record_run(
    summary: RunSummary,
    started: dt.datetime,
    assignment: identity.Assignment,
    previous: pa.Table,
    refusals: Sequence[identity.Refusal] = (),
) -> LinkRun:
    """Store a run's outcome: new and retired people, changed memberships, events."""
    run = LinkRun.objects.create(
        mode=summary.mode,
        started_at=started,
        records=summary.records,
        people=summary.people,
        summary={**asdict(summary), "refusals": [str(r) for r in refusals]},
    )
    Person.objects.bulk_create(
        (Person(pk=pid, created_run=run) for pid in assignment.new_people), batch_size=BATCH
    )
    Person.objects.filter(pk__in=assignment.revived).update(retired_run=None, merged_into=None)
    merged_into = {e.other: e.person for e in assignment.events if e.kind == "merged"}
    for pid in assignment.retired:
        Person.objects.filter(pk=pid).update(retired_run=run, merged_into=merged_into.get(pid))
    con = duckdb.connect()
    try:
        con.register("people", assignment.people)
        con.register("previous", previous.select(["unique_id", "person_id"]))
        changed = con.sql(_CHANGED).fetchall()
    finally:
        con.close()
    PersonRecord.objects.bulk_create(
        (
            PersonRecord(
                unique_id=uid,
                agency=uid.partition(":")[0],
                record_id=uid.partition(":")[2],
                person_id=pid,
                run=run,
            )
            for uid, pid, is_new in changed
            if is_new
        ),
        batch_size=BATCH,
    )
    moved: dict[int, list[str]] = {}
    for uid, pid, is_new in changed:
        if not is_new:
            moved.setdefault(pid, []).append(uid)
    for pid, uids in moved.items():
        for start in range(0, len(uids), BATCH):
            PersonRecord.objects.filter(unique_id__in=uids[start : start + BATCH]).update(
                person_id=pid, run=run
            )
    IdentityEvent.objects.bulk_create(
        (
            IdentityEvent(
                run=run,
                kind=e.kind,
                person_id=e.person,
                other_id=e.other,
                records=list(e.records),
                reason=e.reason,
            )
            for e in assignment.events
        ),
        batch_size=BATCH,
    )
    return run


def link_people(
    files: list[PeopleFile],
    folder: Path,
    config: LinkageConfig,
    retrain: bool = False,
    full: bool = False,
    backend: Backend = DEFAULT_BACKEND,
) -> tuple[run.Result, LinkRun]:
    """Link `files` (see `safeguard.linkage.run.link`) under the current decisions, keeping
    the current people's ids, and record the outcome."""
    started = timezone.now()
    previous = current_people()
    result = run.link(
        files,
        folder,
        config,
        retrain=retrain,
        full=full,
        decisions=decisions(),
        previous=previous,
        next_person=next_person_id(),
        former=former_people(),
        backend=backend,
    )
    return result, record_run(result.summary, started, result.assignment, previous, result.refusals)


def relink_people(folder: Path, config: LinkageConfig) -> tuple[run.Result, LinkRun]:
    """Resolve the last run's pairs again under the current decisions, and record it."""
    started = timezone.now()
    previous = current_people()
    result = run.relink(folder, decisions(), previous, next_person_id(), config, former_people())
    return result, record_run(result.summary, started, result.assignment, previous, result.refusals)


def _ordered(a: str, b: str) -> tuple[str, str]:
    if a == b:
        raise DecisionRefused(f"{a}: a record is always the same person as itself")
    return (a, b) if a < b else (b, a)


def _known(unique_ids: Iterable[str]) -> None:
    ids = set(unique_ids)
    found = set(PersonRecord.objects.filter(unique_id__in=ids).values_list("unique_id", flat=True))
    missing = sorted(ids - found)
    if missing:
        raise DecisionRefused(
            f"no linked record {', '.join(missing)} (ids are agency:record_id, as "
            "`safeguard review list` shows them; run `safeguard link` after ingesting)"
        )


def _conflict(
    same: tuple[str, str], apart: Sequence[identity.Decision]
) -> identity.Decision | None:
    """The "different people" decision that joining the `same` pair, with the people as they
    are now, would contradict, if any."""
    people: dict[str, int] = {}
    rows = PersonRecord.objects.filter(
        person_id__in=PersonRecord.objects.filter(unique_id__in=same).values("person_id")
    ).values_list("unique_id", "person_id")
    for uid, pid in rows:
        people[uid] = pid
    joined = {people[same[0]], people[same[1]]}
    for d in apart:
        if people.get(d.left) in joined and people.get(d.right) in joined:
            return d
    return None


@transaction.atomic
def decide(left: str, right: str, same: bool, reason: str, by: str) -> LinkDecision:
    """Record that two linked records are (or are not) the same person; it supersedes any
    earlier decision on the pair. A "same" decision that would join two people with records
    someone decided are different people is refused, naming that decision."""
    left, right = _ordered(left.strip(), right.strip())
    if not reason.strip():
        raise DecisionRefused("give a reason: it is kept with the decision")
    if not by.strip():
        raise DecisionRefused("say who decides: it is kept with the decision")
    _known([left, right])
    earlier = list(
        LinkDecision.objects.filter(left=left, right=right, current=True).values_list(
            "pk", flat=True
        )
    )
    if same:
        apart = [d for d in decisions() if not d.same and (d.left, d.right) != (left, right)]
        blocking = _conflict((left, right), apart)
        if blocking is not None:
            raise DecisionRefused(
                f"refused: joining {left} and {right} would make one person of "
                f"{blocking.left} and {blocking.right}, contradicting {blocking.describe()}. "
                "Change that decision first if it was wrong."
            )
    LinkDecision.objects.filter(pk__in=earlier).update(current=False)
    decision = LinkDecision.objects.create(
        left=left, right=right, same=same, reason=reason.strip(), decided_by=by.strip()
    )
    LinkDecision.objects.filter(pk__in=earlier).update(superseded_by=decision)
    return decision


@transaction.atomic
def split(person: int, records: Sequence[str], reason: str, by: str) -> list[LinkDecision]:
    """Split `records` off `person`: each is decided a different person from each of the
    person's other records (so no re-run joins them again). They stay together only if the
    model links them to each other."""
    if not records:
        raise DecisionRefused("name the records to split off")
    members = set(PersonRecord.objects.filter(person_id=person).values_list("unique_id", flat=True))
    if not members:
        raise DecisionRefused(f"no person P{person} with linked records")
    leaving = {r.strip() for r in records}
    strangers = sorted(leaving - members)
    if strangers:
        raise DecisionRefused(f"not records of P{person}: {', '.join(strangers)}")
    staying = members - leaving
    if not staying:
        raise DecisionRefused(
            f"that is every record of P{person}; name the records to split off, not all"
        )
    return [decide(a, b, False, reason, by) for a in sorted(leaving) for b in sorted(staying)]


def history(person: int) -> dict[str, Any]:
    """A person's records and every event that changed them, for the CLI and pages."""
    row = Person.objects.filter(pk=person).first()
    if row is None:
        raise KeyError(f"no person P{person}")
    records = list(
        PersonRecord.objects.filter(person_id=person)
        .order_by("unique_id")
        .values_list("unique_id", flat=True)
    )
    events = [
        {
            "run": e.run_id,
            "at": e.run.finished_at.isoformat(),
            "kind": e.kind,
            "person": e.person_id,
            "other": e.other_id,
            "records": e.records,
            "reason": e.reason,
        }
        for e in IdentityEvent.objects.filter(Q(person_id=person) | Q(other_id=person))
        .select_related("run")
        .order_by("pk")
    ]
    return {
        "person": person,
        "retired": row.retired_run_id is not None,
        "merged_into": row.merged_into_id,
        "records": records,
        "events": events,
    }

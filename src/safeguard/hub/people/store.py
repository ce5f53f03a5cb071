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
    SearchEntry,
)
from safeguard.linkage import identity, run
from safeguard.linkage.backend import DEFAULT_BACKEND, Backend
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.records import PeopleFile
from safeguard.linkage.run import RunSummary
from safeguard.linkage.saved import Saved

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
    recorded = record_run(result.summary, started, result.assignment, previous, result.refusals)
    refresh_search(folder)
    return result, recorded


def relink_people(folder: Path, config: LinkageConfig) -> tuple[run.Result, LinkRun]:
    """Resolve the last run's pairs again under the current decisions, and record it."""
    started = timezone.now()
    previous = current_people()
    result = run.relink(folder, decisions(), previous, next_person_id(), config, former_people())
    recorded = record_run(result.summary, started, result.assignment, previous, result.refusals)
    refresh_search(folder)
    return result, recorded


SEARCH_COLUMNS = [
    "agency",
    "record_hash",
    "forename1",
    "forename_key",
    "surname",
    "dob",
    "dob_swapped",
    "nhs_number",
    "postcode",
]

_SEARCH_DIFF = """
with wanted as (
    select r.*, p.person_id from records r join people p using (unique_id))
select w.* from wanted w left join existing e using (unique_id)
where e.unique_id is null or e.person_id <> w.person_id
   or e.record_hash is distinct from coalesce(w.record_hash, '')
"""


@transaction.atomic
def refresh_search(folder: Path) -> tuple[int, int]:
    """Bring the search entries in step with the linkage folder's prepared records and the
    current people: write the new and changed, remove those whose record has gone. Returns
    (written, removed)."""
    saved = Saved(folder)
    if not saved.linked():
        return 0, 0
    records = saved.records(SEARCH_COLUMNS)
    people = current_people()
    existing = pa.Table.from_pylist(
        [
            {"unique_id": u, "person_id": p, "record_hash": h}
            for u, p, h in SearchEntry.objects.values_list("unique_id", "person_id", "record_hash")
        ],
        schema=pa.schema(
            [("unique_id", pa.string()), ("person_id", pa.int64()), ("record_hash", pa.string())]
        ),
    )
    con = duckdb.connect()
    try:
        con.register("records", records)
        con.register("people", people.select(["unique_id", "person_id"]))
        con.register("existing", existing)
        diff = con.execute(_SEARCH_DIFF)
        columns = [d[0] for d in diff.description]
        changed = diff.fetchall()
        gone = [
            r[0]
            for r in con.sql(
                "select unique_id from existing where unique_id not in "
                "(select unique_id from records r join people p using (unique_id))"
            ).fetchall()
        ]
    finally:
        con.close()
    rows = [dict(zip(columns, r, strict=True)) for r in changed]
    ids = [r["unique_id"] for r in rows]
    for start in range(0, len(ids), BATCH):
        SearchEntry.objects.filter(unique_id__in=ids[start : start + BATCH]).delete()
    for start in range(0, len(gone), BATCH):
        SearchEntry.objects.filter(unique_id__in=gone[start : start + BATCH]).delete()
    SearchEntry.objects.bulk_create((_entry(r) for r in rows), batch_size=BATCH)
    return len(rows), len(gone)


def _entry(r: dict[str, Any]) -> SearchEntry:
    forename, surname = r["forename1"] or "", r["surname"] or ""
    return SearchEntry(
        unique_id=r["unique_id"],
        person_id=r["person_id"],
        agency=r["agency"],
        record_hash=r["record_hash"] or "",
        display_name=" ".join(p.title() for p in (forename, surname) if p) or "(no name)",
        forename=forename[:100],
        forename_key=(r["forename_key"] or "")[:100],
        surname=surname[:100],
        dob=r["dob"] or "",
        dob_swapped=r["dob_swapped"] or "",
        nhs_number=r["nhs_number"] or "",
        postcode=r["postcode"] or "",
    )


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

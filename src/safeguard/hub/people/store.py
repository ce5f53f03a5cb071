"""How linkage's outcome is written to the hub: `record_run` stores what a run decided - the
run, new people, retired people, each record's person where it changed, and every merge, split
and move with its reason - and `refresh_search` brings the search index in step. Both run in
their caller's transaction (`safeguard.hub.people.services`)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.db import connection
from django.db.models import Field, Model

from safeguard.hub.people.models import IdentityEvent, LinkRun, Person, PersonRecord, SearchEntry
from safeguard.hub.people.queries import current_people
from safeguard.linkage import identity
from safeguard.linkage.run import RunSummary
from safeguard.linkage.saved import Saved

BATCH = 5_000

_CHANGED = """
select n.unique_id, n.person_id, p.person_id is null as is_new
from people n left join previous p using (unique_id)
where p.person_id is distinct from n.person_id
order by n.person_id, n.unique_id
"""


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
    _insert(
        PersonRecord,
        ("unique_id", "agency", "record_id", "person", "run"),
        (
            (uid, uid.partition(":")[0], uid.partition(":")[2], pid, run.pk)
            for uid, pid, is_new in changed
            if is_new
        ),
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
    _insert(SearchEntry, _ENTRY, (_entry(r) for r in rows))
    return len(rows), len(gone)


Row = tuple[str | int | None, ...]

_ENTRY = (
    "unique_id",
    "person",
    "agency",
    "record_hash",
    "display_name",
    "forename",
    "forename_key",
    "surname",
    "dob",
    "dob_swapped",
    "nhs_number",
    "postcode",
)


def _entry(r: dict[str, Any]) -> Row:
    """A search entry's values, in `_ENTRY`'s order."""
    forename, surname = r["forename1"] or "", r["surname"] or ""
    return (
        r["unique_id"],
        r["person_id"],
        r["agency"],
        r["record_hash"] or "",
        " ".join(p.title() for p in (forename, surname) if p) or "(no name)",
        forename[:100],
        (r["forename_key"] or "")[:100],
        surname[:100],
        r["dob"] or "",
        r["dob_swapped"] or "",
        r["nhs_number"] or "",
        r["postcode"] or "",
    )


def _insert(model: type[Model], fields: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert plain rows (values in `fields` order) in batches with the driver's executemany;
    how many. At a million rows Django's bulk_create spent most of the hub's write making and
    preparing model objects (bench/README.md, "the hub at a million person records")."""
    meta = model._meta
    name = connection.ops.quote_name
    columns = ", ".join(name(_column(meta.get_field(f))) for f in fields)
    places = ", ".join(["%s"] * len(fields))
    # only the model's own table and column names are interpolated, quoted
    sql = f"INSERT INTO {name(meta.db_table)} ({columns}) VALUES ({places})"  # noqa: S608
    written = 0
    batches = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(batches, BATCH)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _column(field: object) -> str:
    assert isinstance(field, Field) and field.column, field
    return str(field.column)

"""The audit trail's hash chain: each event, once committed, is given the next place (`seq`),
the hash of the event before it (`prev_hash`) and its own hash: SHA-256 over the previous hash,
its place and a canonical form of every stored field. Changing, deleting or reordering an
event breaks the chain at that event; `verify` walks it and names the first broken link.

Sealing (`seal_batch`, in a transaction `services.seal` opens) chains the events not yet
chained, oldest id first, under a lock on the one head row, so two writers never take the
same place. On SQLite a writing transaction already
holds the database's write lock to its end (`transaction_mode` IMMEDIATE), so an event is
sealed inside the transaction that writes it; on PostgreSQL a long transaction (a load, a
linkage run) must not hold the head's lock to its end, so an event is sealed just after its
transaction commits, in a short transaction of its own (events that no seal reached, after a
crash, are chained by the next one).

A database user who can also drop the triggers and recompute every hash after a change can
rewrite the chain from there on; the signed anchors written outside the database
(`anchors`) are what catch that, and a deleted tail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, models

from safeguard.hub.audit import anchors
from safeguard.hub.audit.models import AuditEvent, AuditHead

#: The hash before the first event.
GENESIS = "0" * 64
#: Every stored field of an event the hash covers; the chain's own columns are `CHAIN`. A test
#: fails when the model gains a field that is in neither.
FIELDS = (
    "id",
    "at",
    "username",
    "agency",
    "roles",
    "action",
    "person_id",
    "target",
    "allowed",
    "reason",
    "why",
    "lawful_basis",
    "flagged",
    "channel",
)
CHAIN = ("seq", "prev_hash", "hash")
#: Events chained per transaction when many wait (after an upgrade).
BATCH = 2000
_VERSION = "safeguard-audit-v1"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def canonical(row: Mapping[str, Any]) -> bytes:
    """The event's stored fields as the hash reads them: JSON, keys sorted, times in UTC."""
    values = {field: _plain(row[field]) for field in FIELDS}
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(row: Mapping[str, Any], seq: int, prev_hash: str) -> str:
    """The hash of the event `row` at place `seq` after the event whose hash is `prev_hash`."""
    text = hashlib.sha256(f"{_VERSION}\n{seq}\n{prev_hash}\n".encode())
    text.update(canonical(row))
    return text.hexdigest()


def seal_batch(events: type[models.Model], head: type[models.Model]) -> int:
    """Chain up to `BATCH` committed events not yet chained, in id order, inside the caller's
    transaction (it holds the head's lock to its end); how many. `services.seal` calls it
    with the hub's models, the migration that adds the chain with its own. The head and the
    places are read and written in plain SQL: this runs with every event written."""
    seq, prev = _locked_head(events, head)
    rows = (
        events.objects.filter(seq__isnull=True)  # type: ignore[attr-defined]
        .order_by("id")
        .values(*FIELDS)[:BATCH]
    )
    chained = []
    for row in rows:
        seq += 1
        this = digest(row, seq, prev)
        chained.append((seq, prev, this, row["id"]))
        prev = this
    if chained:
        table, top = _table(events), _table(head)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                chained,
            )
            cursor.execute(f"UPDATE {top} SET seq = %s, hash = %s WHERE id = 1", [seq, prev])  # noqa: S608
    return len(chained)


def _table(model: type[models.Model]) -> str:
    """The model's own table, quoted: the only text put into the chain's SQL."""
    return connection.ops.quote_name(model._meta.db_table)


def _locked_head(events: type[models.Model], head: type[models.Model]) -> tuple[int, str]:
    """The head's place and hash, its row locked until the transaction ends; the row made
    from the newest chained event if it is missing (a fresh database, or one emptied)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT seq, hash FROM {_table(head)} WHERE id = 1{lock}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        found = cursor.fetchone()
        if found is not None:
            return int(found[0]), str(found[1])
    newest = (
        events.objects.filter(seq__isnull=False)  # type: ignore[attr-defined]
        .order_by("-seq")
        .values("seq", "hash")
        .first()
    )
    start = newest or {"seq": 0, "hash": GENESIS}
    head.objects.get_or_create(pk=1, defaults=start)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        seq, hash_ = cursor.fetchone()
    return int(seq), str(hash_)


@dataclass(frozen=True)
class Break:
    """The first broken link: where (`seq`, the event's id if it exists) and what is wrong."""

    seq: int | None
    event: int | None
    kind: str  # edited, missing, out of order, anchor mismatch, head mismatch
    detail: str

    def line(self) -> str:
        where = f"event {self.seq}" if self.seq is not None else "the trail"
        if self.event is not None:
            where += f" (id {self.event})"
        return f"{where}: {self.kind} - {self.detail}"


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: the events it walked, the head, the anchors it checked against
    (and whether their signatures were checked), events not chained yet, the first break."""

    chained: int
    head_seq: int
    head_hash: str
    anchors: int
    signatures_checked: bool
    unsealed: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def line(self) -> str:
        signed = "signed" if self.signatures_checked else "signatures not checked: no key"
        found = f"{self.chained} events chained to event {self.head_seq}, "
        found += f"{self.anchors} anchors ({signed}), {self.unsealed} not chained yet"
        return (f"intact: {found}" if self.ok else f"broken: {found}; first broken link at ") + (
            self.broken.line() if self.broken else ""
        )


def verify(folder: Path | None = None, key: bytes | None = None) -> Verdict:
    """Walk the chain in order, against the head row and the anchors in `folder` (signatures
    checked with `key`; by default the configured folder and key, if one is set). Changes
    nothing, so it can be run on a restored copy before it is used."""
    folder = folder if folder is not None else anchors.folder()
    key = key if key is not None else anchors.configured_key()
    found = anchors.read(folder, key)  # before the head: no anchor names a later event
    good = {a.seq: a for a in found if a.signed is not False}
    head = AuditHead.objects.filter(pk=1).values("seq", "hash").first()
    end = head["seq"] if head else _newest_seq()
    unsealed = AuditEvent.objects.filter(seq__isnull=True).count()
    walked, last_hash, broken = _walk(end, good)
    broken = broken or _after_walk(walked, last_hash, head, found)
    return Verdict(walked, end, last_hash, len(found), key is not None, unsealed, broken)


def _newest_seq() -> int:
    newest = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    return newest.seq if newest and newest.seq is not None else 0


def _rows(end: int) -> Iterator[dict[str, Any]]:
    rows = AuditEvent.objects.filter(seq__isnull=False, seq__lte=end).order_by("seq", "id")
    yield from rows.values(*FIELDS, *CHAIN).iterator(chunk_size=BATCH)


def _walk(end: int, good: dict[int, anchors.Anchor]) -> tuple[int, str, Break | None]:
    """Walk events 1..`end`: how many were walked, the last hash, the first break."""
    expected, prev = 1, GENESIS
    for row in _rows(end):
        seq, event = row["seq"], row["id"]
        if seq < expected:
            return expected - 1, prev, Break(seq, event, "out of order", "two events hold it")
        if seq > expected:
            gap = f"{expected}" if seq == expected + 1 else f"{expected} to {seq - 1}"
            detail = f"events {gap} are not in the trail (deleted); the next is {seq}"
            return expected - 1, prev, Break(expected, None, "missing", detail)
        if row["prev_hash"] != prev:
            return expected - 1, prev, _unlinked(row)
        if digest(row, seq, prev) != row["hash"]:
            detail = "its stored fields no longer give its hash (changed after it was written)"
            return expected - 1, prev, Break(seq, event, "edited", detail)
        anchor = good.get(seq)
        if anchor is not None and anchor.hash != row["hash"]:
            detail = f"anchor {anchor.name} gives it another hash (rewritten since {anchor.at})"
            return expected - 1, prev, Break(seq, event, "anchor mismatch", detail)
        expected, prev = expected + 1, row["hash"]
    return expected - 1, prev, None


def _unlinked(row: dict[str, Any]) -> Break:
    """An event that does not follow the one before it: moved, or the one before replaced."""
    seq, event = row["seq"], row["id"]
    before = AuditEvent.objects.filter(hash=row["prev_hash"]).values("seq", "id").first()
    if before is not None and before["seq"] is not None and before["seq"] >= seq:
        detail = f"it was chained after event id {before['id']}, now at {before['seq']}"
        return Break(seq, event, "out of order", detail)
    detail = (
        "the event it was chained after is not in the trail: the event before it was "
        "replaced (its hash recomputed), or events before it deleted and renumbered"
    )
    return Break(seq, event, "missing", detail)


def _after_walk(
    walked: int, last_hash: str, head: Mapping[str, Any] | None, found: list[anchors.Anchor]
) -> Break | None:
    """What only the head row and the anchors show: a deleted tail, a forged anchor."""
    for anchor in found:
        if anchor.signed is False:
            detail = f"anchor {anchor.name}: its signature does not match (changed or forged)"
            return Break(anchor.seq, None, "anchor mismatch", detail)
    beyond = [a for a in found if a.seq > walked]
    if beyond:
        anchor = min(beyond, key=lambda a: a.seq)
        detail = (
            f"anchor {anchor.name} names event {anchor.seq}, the trail ends at {walked}: "
            "the newest events were deleted"
        )
        return Break(walked + 1, None, "anchor mismatch", detail)
    if head is None and walked:
        return Break(None, None, "head mismatch", "the chain's head row is missing")
    if head is not None and head["hash"] != last_hash and head["seq"] == walked:
        return Break(walked, None, "head mismatch", "the head row names another hash")
    if head is not None and head["seq"] > walked:
        detail = f"the head names event {head['seq']}, the trail ends at {walked} (deleted)"
        return Break(walked + 1, None, "missing", detail)
    return None

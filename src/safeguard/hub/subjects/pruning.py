"""The landed copies follow the store: what the retention job removes from the database also
leaves every delivery's landed Parquet (what linkage and analysis read), so a later
`safeguard analyse` cannot bring it back.

The database and the files cannot change in one transaction, so the job writes a ledger (the
agency, type and record id of each record it removes; no personal data) inside its transaction,
and prunes the files after it commits (`settle`). `settle` prunes only records the store no
longer holds, and removes a ledger once its files are pruned: a run killed after its commit is
finished by the next run; a ledger left by a transaction that rolled back prunes nothing.

A loaded delivery's quarantine log (`quarantine.jsonl`, the rows it held that could not be
loaded) is emptied once the store holds none of its quarantined rows (`settle_quarantine`):
the store loads every row of the log with the delivery, so none left means retention removed
them; a rolled-back run leaves them, and the log."""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from pathlib import Path

from django.db.models import Exists, OuterRef

from safeguard.hub.deliveries.models import (
    Agency,
    Delivery,
    DeliveryFile,
    QuarantinedRow,
    SourceRecord,
)
from safeguard.ingest.landing import QUARANTINE_FILE, prune
from safeguard.settings import get_settings

BATCH = 500
Removed = dict[tuple[str, str], list[str]]
"""Record ids removed, by (agency code, record type)."""


def folder() -> Path:
    return get_settings().data_dir / "retention"


def record(records: dict[tuple[int, str], list[str]]) -> Path | None:
    """Write the ledger of `records` (record ids by agency id and type) about to be removed;
    its path (None: nothing to remove). Call inside the removing transaction."""
    if not any(records.values()):
        return None
    codes = dict(Agency.objects.values_list("pk", "code"))
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"pending-{uuid.uuid4().hex}.jsonl"
    temporary = path.with_suffix(".writing")
    with temporary.open("w", encoding="utf-8") as out:
        for (agency, kind), ids in sorted(records.items()):
            out.write(json.dumps({"agency": codes[agency], "kind": kind, "records": ids}) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    return path


def settle() -> int:
    """Prune every ledger's records that the store no longer holds from the loaded deliveries'
    landed files, then remove the ledger; how many landed rows went."""
    pruned = 0
    for path in sorted(folder().glob("pending-*.jsonl")):
        gone = _gone(_read(path))
        pruned += sum(_prune(agency, kind, ids) for (agency, kind), ids in gone.items() if ids)
        path.unlink()
    for stale in folder().glob("pending-*.writing"):  # the transaction never got past writing
        stale.unlink()
    return pruned


def _read(path: Path) -> Removed:
    found: Removed = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        found[(str(entry["agency"]), str(entry["kind"]))].extend(map(str, entry["records"]))
    return found


def _gone(listed: Removed) -> Removed:
    """Of the records listed, those of which the store holds no version now."""
    gone: Removed = {}
    for (agency, kind), ids in listed.items():
        held: set[str] = set()
        for start in range(0, len(ids), BATCH):
            held |= set(
                SourceRecord.objects.filter(
                    agency__code=agency, kind=kind, record_id__in=ids[start : start + BATCH]
                ).values_list("record_id", flat=True)
            )
        gone[(agency, kind)] = [i for i in ids if i not in held]
    return gone


def _prune(agency: str, kind: str, ids: list[str]) -> int:
    files = DeliveryFile.objects.filter(delivery__agency__code=agency, kind=kind).select_related(
        "delivery"
    )
    return sum(
        prune(Path(f.delivery.landing_path) / f.parquet, ids)
        for f in files
        if f.parquet and f.delivery.landing_path
    )


def settle_quarantine() -> int:
    """Empty the landed quarantine log of every loaded delivery whose quarantined rows the
    store no longer holds; how many logged rows went. Each log is replaced whole (an empty
    file written, flushed and renamed over it)."""
    emptied = 0
    gone = (
        Delivery.objects.filter(status=Delivery.Status.LOADED, rows_quarantined__gt=0)
        .exclude(landing_path="")
        .exclude(Exists(QuarantinedRow.objects.filter(delivery=OuterRef("pk"))))
        .values_list("landing_path", flat=True)
    )
    for landing in gone:
        log = Path(landing) / QUARANTINE_FILE
        if not log.exists() or log.stat().st_size == 0:
            continue
        with log.open(encoding="utf-8") as lines:
            emptied += sum(1 for line in lines if line.strip())
        temporary = log.with_name(log.name + ".emptying")
        with temporary.open("w", encoding="utf-8") as out:
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, log)
    return emptied

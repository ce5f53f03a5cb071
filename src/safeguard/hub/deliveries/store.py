"""How a delivery is written to the hub's database (SQLite or PostgreSQL): the delivery, its
files, its quarantine and every record. The transaction is the caller's
(`safeguard.hub.deliveries.services`, the ingest port), so all of it commits or none.

Records are staged in a temporary table and merged with set-based SQL, so a record delivered again
unchanged is left alone and a changed one becomes a new version that supersedes the old.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.db import connection
from django.utils import timezone

from safeguard.contract.kinds import KINDS
from safeguard.hub.deliveries.models import (
    Agency,
    Delivery,
    DeliveryFile,
    QuarantinedRow,
    SourceRecord,
)
from safeguard.ingest.landing import DATA_COLUMN, HASH_COLUMN, QUARANTINE_FILE
from safeguard.ingest.pipeline import KnownDelivery, LandedFile, Progress
from safeguard.ingest.report import FileReport
from safeguard.ingest.source import DeliverySource
from safeguard.ingest.validate import ISSUES_COLUMN, ROW_COLUMN

BATCH = 20_000
STAGE = "ingest_stage"
STAGE_COLUMNS = (
    "kind",
    "record_id",
    "row_number",
    "subject_id",
    "occurred_at",
    "row_hash",
    "data",
    "issues",
)
#: Fault injection for the kill-and-rerun test: pause inside the load transaction.
PAUSE_ENV = "SAFEGUARD_FAULT_PAUSE_FILE"


def _json_cast(expr: str) -> str:
    return f"CAST({expr} AS jsonb)" if connection.vendor == "postgresql" else expr


def _record_batches(parquet: Path, kind: str) -> Iterator[list[tuple[Any, ...]]]:
    """The landed rows as staging tuples (`STAGE_COLUMNS`), a batch at a time."""
    spec = KINDS[kind]
    subject = spec.subject or ("record_id" if kind == "people" else None)
    columns = ["record_id", ROW_COLUMN, subject, spec.when, HASH_COLUMN, DATA_COLUMN, ISSUES_COLUMN]
    for batch in pq.ParquetFile(parquet).iter_batches(BATCH, columns=[c for c in columns if c]):
        n = batch.num_rows
        values = [batch.column(c).to_pylist() if c else [""] * n for c in columns]
        subjects = [v or "" for v in values[2]]
        when = [(v or "")[:19] for v in values[3]]
        yield list(
            zip(
                itertools.repeat(kind, n),
                values[0],
                values[1],
                subjects,
                when,
                *values[4:],
                strict=False,
            )
        )


def _pause_for_fault_test() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(3600)


class DeliveryRows:
    """The writes behind `safeguard.ingest.DeliveryStore`; call `reject` and `load` inside a
    transaction."""

    def loaded(self, checksum: str) -> KnownDelivery | None:
        found = Delivery.objects.filter(checksum=checksum, status=Delivery.Status.LOADED).first()
        if found is None:
            return None
        return KnownDelivery(
            found.pk, timezone.localtime(found.received_at).strftime("%d %b %Y %H:%M")
        )

    def landed_dirs(self, agency: str) -> list[Path]:
        paths = Delivery.objects.filter(agency__code=agency, status=Delivery.Status.LOADED)
        return [Path(p) for p in paths.order_by("pk").values_list("landing_path", flat=True)]

    def _delivery(
        self,
        source: DeliverySource,
        status: str,
        message: str,
        landed: Path | None,
        reports: Sequence[FileReport],
    ) -> Delivery:
        m = source.manifest
        agency, _ = Agency.objects.update_or_create(code=m.agency, defaults={"name": m.agency_name})
        return Delivery.objects.create(
            agency=agency,
            checksum=source.checksum,
            status=status,
            extract_date=m.extract_date,
            period_start=m.period_start,
            period_end=m.period_end,
            contract_version=m.contract_version,
            source_path=str(source.path),
            landing_path=str(landed or ""),
            manifest=m.to_json(),
            message=message,
            rows_read=sum(r.read for r in reports),
            rows_accepted=sum(r.accepted for r in reports),
            rows_quarantined=sum(r.quarantined for r in reports),
        )

    def reject(self, source: DeliverySource, reports: Sequence[FileReport], message: str) -> None:
        delivery = self._delivery(source, Delivery.Status.REJECTED, message, None, reports)
        DeliveryFile.objects.bulk_create(
            DeliveryFile(
                delivery=delivery,
                name=f.name,
                kind=f.kind or "",
                sha256=f.sha256,
                error=r.error or "",
            )
            for f, r in zip(source.files, reports, strict=True)
        )

    def load(
        self,
        source: DeliverySource,
        landed: Path,
        files: Sequence[LandedFile],
        progress: Progress | None,
    ) -> int:
        delivery = self._delivery(
            source, Delivery.Status.LOADED, "", landed, [f.report for f in files]
        )
        rows = {}
        for f in files:
            r = f.report
            rows[f.source.name] = DeliveryFile.objects.create(
                delivery=delivery,
                name=f.source.name,
                kind=f.source.kind or "",
                sha256=f.source.sha256,
                parquet=f.parquet,
                rows_read=r.read,
                rows_accepted=r.accepted,
                rows_quarantined=r.quarantined,
            )
        self._load_quarantine(delivery, rows, landed / QUARANTINE_FILE)
        with connection.cursor() as cursor:
            self._create_stage(cursor)
            for f in files:
                self._merge(cursor, delivery, landed / f.parquet, f, progress)
                row = rows[f.source.name]
                row.rows_new, row.rows_updated = f.report.new, f.report.updated
                row.rows_unchanged = f.report.unchanged
                row.save(update_fields=["rows_new", "rows_updated", "rows_unchanged"])
        return delivery.pk

    def _load_quarantine(
        self, delivery: Delivery, files: dict[str, DeliveryFile], path: Path
    ) -> None:
        batch: list[QuarantinedRow] = []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                entry = json.loads(line)
                first = entry["problems"][0]
                batch.append(
                    QuarantinedRow(
                        delivery=delivery,
                        file=files[entry["file"]],
                        row_number=entry["row"],
                        field=first["field"],
                        value=str(first["value"])[:2000],
                        reason=first["reason"],
                        problems=entry["problems"],
                        raw=entry.get("raw", {}),
                    )
                )
                if len(batch) >= BATCH:
                    QuarantinedRow.objects.bulk_create(batch)
                    batch = []
        QuarantinedRow.objects.bulk_create(batch)

    def _create_stage(self, cursor: Any) -> None:
        cursor.execute(f"""CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} (
            kind varchar(32), record_id varchar(128), row_number integer,
            subject_id varchar(128), occurred_at varchar(19), row_hash varchar(32),
            data text, issues text)""")

    def _copy(
        self,
        cursor: Any,
        table: str,
        columns: Sequence[str],
        batches: Iterator[list[tuple[Any, ...]]],
        name: str,
        progress: Progress | None,
        fixed: dict[str, int] | None = None,
    ) -> int:
        """Bulk-insert rows (COPY on PostgreSQL, executemany on SQLite), with `fixed` columns
        taking the same whole-number value in every row. Returns the row count."""
        fixed = fixed or {}
        names = ", ".join([*fixed, *columns])
        marks = ", ".join([*(str(int(v)) for v in fixed.values()), *["%s"] * len(columns)])
        constant = tuple(fixed.values())
        done = 0
        for rows in batches:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(constant + row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            done += len(rows)
            if progress:
                progress(f"{name} (loading)", done)
            if done == len(rows):
                _pause_for_fault_test()
        return done

    def _merge(
        self,
        cursor: Any,
        delivery: Delivery,
        parquet: Path,
        f: LandedFile,
        progress: Progress | None,
    ) -> None:
        """Supersede changed current versions, insert new and changed rows, count each.

        An agency's first delivery of a kind has nothing to merge with, so its rows go straight in.
        """
        kind, name = str(f.source.kind), f.source.name
        table = SourceRecord._meta.db_table
        agency = delivery.agency_id
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE agency_id = %s AND kind = %s LIMIT 1", [agency, kind]
        )
        if cursor.fetchone() is None:
            fixed = {"agency_id": agency, "version": 1, "is_current": 1, "delivery_id": delivery.pk}
            f.report.new = self._copy(
                cursor, table, STAGE_COLUMNS, _record_batches(parquet, kind), name, progress, fixed
            )
            return
        cursor.execute(f"DELETE FROM {STAGE}")
        staged = self._copy(
            cursor, STAGE, STAGE_COLUMNS, _record_batches(parquet, kind), name, progress
        )
        same_key = "r.agency_id = %s AND r.kind = s.kind AND r.record_id = s.record_id"
        cursor.execute(
            f"""UPDATE {table} SET is_current = FALSE, superseded_by_id = %s
            WHERE agency_id = %s AND kind = %s AND is_current AND EXISTS (
              SELECT 1 FROM {STAGE} s WHERE s.kind = {table}.kind
              AND s.record_id = {table}.record_id AND s.row_hash <> {table}.row_hash)""",
            [delivery.pk, agency, kind],
        )
        updated = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {table} (agency_id, kind, record_id, version, is_current,
              delivery_id, superseded_by_id, row_number, subject_id, occurred_at, row_hash,
              data, issues)
            SELECT %s, s.kind, s.record_id,
              COALESCE((SELECT MAX(r.version) FROM {table} r WHERE {same_key}), 0) + 1,
              TRUE, %s, NULL, s.row_number, s.subject_id, s.occurred_at, s.row_hash,
              {_json_cast("s.data")}, {_json_cast("s.issues")}
            FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE {same_key} AND r.is_current)""",
            [agency, agency, delivery.pk, agency],
        )
        inserted = cursor.rowcount
        f.report.updated = updated
        f.report.new = inserted - updated
        f.report.unchanged = staged - inserted

"""Ingest one delivery: open, validate in chunks, check as a whole, land, then load in one
transaction.

The hub's database is reached only through the `DeliveryStore` port, so this module runs without
Django; `safeguard.hub.deliveries.store` is the adapter the CLI uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from safeguard.contract.kinds import KINDS
from safeguard.ingest.content import HEAD_BYTES, mismatch
from safeguard.ingest.landing import (
    QUARANTINE_FILE,
    DeliveryChecks,
    StagedFile,
    Staging,
    delivery_dir,
    staged_name,
)
from safeguard.ingest.limits import DEFAULT, Limits
from safeguard.ingest.reader import FileError, read
from safeguard.ingest.report import DeliveryReport, FileReport, Outcome
from safeguard.ingest.source import DeliveredFile, DeliverySource, NotADelivery, open_delivery
from safeguard.ingest.validate import Validator, jsonl_schema

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class KnownDelivery:
    id: int
    received_at: str


@dataclass(frozen=True)
class LandedFile:
    """A delivered file after landing: its Parquet (relative to the delivery folder) and report."""

    source: DeliveredFile
    parquet: str
    report: FileReport


class DeliveryStore(Protocol):
    """What ingest needs from the hub's database."""

    def loaded(self, checksum: str) -> KnownDelivery | None: ...

    def landed_dirs(self, agency: str) -> list[Path]: ...

    def reject(
        self, source: DeliverySource, reports: Sequence[FileReport], message: str
    ) -> None: ...

    def load(
        self,
        source: DeliverySource,
        landed: Path,
        files: Sequence[LandedFile],
        progress: Progress | None,
    ) -> int: ...


def _unknown_kind(f: DeliveredFile) -> str:
    return (
        f"{f.name}: the file name does not say which record kind it holds; name it after a "
        f"kind ({', '.join(k + '.csv' for k in KINDS)}) or map it in the manifest's `files`"
    )


def _stage_file(
    source: DeliverySource,
    f: DeliveredFile,
    staged: StagedFile,
    staging: Staging,
    report: FileReport,
    chunk_rows: int,
    progress: Progress | None,
    limits: Limits,
) -> None:
    validator = Validator(staged.kind)
    with source.open(f.name) as stream:
        lie = mismatch(f.suffix, stream.read(HEAD_BYTES))
    if lie:
        raise FileError(lie)
    with source.open(f.name) as stream:
        chunks = read(f.suffix, stream, chunk_rows, jsonl_schema(staged.kind), limits)
        for number, chunk in enumerate(chunks):
            if number == 0:
                present = set(chunk.columns)
                missing = [c for c in staged.kind.required if c not in present]
                if missing and f.suffix != ".jsonl":
                    raise FileError(f"missing required columns: {', '.join(missing)}")
                extra = sorted(present - set(staged.kind.field_names))
                if extra:
                    report.warnings.append(f"columns not in the contract, ignored: {extra}")
            result = validator.validate(chunk)
            staged.write(result.accepted)
            staging.quarantine(f.name, result.quarantined)
            report.read += len(chunk) + len(chunk.bad)
            report.accepted += result.accepted.num_rows
            report.quarantined += len(result.quarantined)
            if progress:
                progress(f.name, report.read)
    staged.close(validator.schema)


def _check_whole(
    staged: list[StagedFile], reports: list[FileReport], staging: Staging, earlier: list[Path]
) -> list[str]:
    """Quarantine repeated ids and dangling references; write final Parquet; return its paths."""
    checks = DeliveryChecks(staged, earlier, staging.root)
    try:
        for index, entries in checks.duplicates().items():
            checks.drop(index, (int(str(e["row"])) for e in entries))
            staging.quarantine(staged[index].name, entries)
            reports[index].accepted -= len(entries)
            reports[index].quarantined += len(entries)
        for index in checks.ordered_refs():
            entries = checks.dangling(index)
            checks.drop(index, (int(str(e["row"])) for e in entries))
            staging.quarantine(staged[index].name, entries)
            reports[index].accepted -= len(entries)
            reports[index].quarantined += len(entries)
        paths = []
        for index, s in enumerate(staged):
            relative = staged_name(s.kind.name, s.name)
            checks.write(index, staging.root / relative)
            paths.append(relative)
        return paths
    finally:
        checks.close()


@dataclass
class Prepared:
    """A delivery validated, checked and landed, ready to load (or to record as rejected)."""

    source: DeliverySource
    reports: list[FileReport]
    landed: Path | None = None
    files: list[LandedFile] | None = None
    message: str = ""


def check(
    path: Path, store: DeliveryStore, limits: Limits = DEFAULT
) -> DeliverySource | DeliveryReport:
    """Open a delivery; a report instead when it is not one, is unsafe to read, or was ingested
    before."""
    try:
        source = open_delivery(path, limits)
    except NotADelivery as exc:
        return DeliveryReport(str(path), None, None, Outcome.REJECTED, str(exc))
    known = store.loaded(source.checksum)
    if known is not None:
        return DeliveryReport(
            str(path),
            source.manifest.agency,
            source.checksum,
            Outcome.ALREADY_INGESTED,
            f"already ingested as delivery {known.id} on {known.received_at}; nothing changed",
            delivery_id=known.id,
        )
    return source


def prepare(
    source: DeliverySource,
    landing: Path,
    earlier: list[Path],
    chunk_rows: int = 50_000,
    progress: Progress | None = None,
    limits: Limits = DEFAULT,
) -> Prepared:
    """Validate, check and land a delivery. Needs no database, so it can run in another process;
    `earlier` are the landing folders of the agency's loaded deliveries, for references."""
    reports = [FileReport(path=f.name, kind=f.kind) for f in source.files]
    for f, r in zip(source.files, reports, strict=True):
        if f.kind is None:
            r.error = _unknown_kind(f)
        elif f.size == 0:
            r.error = f"{f.name}: the file is empty (0 bytes)"
    if not source.files:
        return Prepared(source, reports, message="not a delivery: it holds no data files")
    if any(r.error for r in reports):
        return Prepared(source, reports)
    staging = Staging(landing, source.checksum)
    try:
        staged = [staging.file(f.name, KINDS[str(f.kind)]) for f in source.files]
        for f, s, r in zip(source.files, staged, reports, strict=True):
            try:
                _stage_file(source, f, s, staging, r, chunk_rows, progress, limits)
            except FileError as exc:
                r.error = f"{f.name}: {exc}"
                if s.writer is not None:
                    s.writer.close()
        if any(r.error for r in reports):
            staging.discard()
            return Prepared(source, reports)
        parquet = _check_whole(staged, reports, staging, earlier)
        staging.close_quarantine()
        _write_manifest(staging.root, source, reports)
        m = source.manifest
        target = delivery_dir(landing, m.agency, m.extract_date.isoformat(), source.checksum)
        staging.publish(target)
    except BaseException:
        staging.discard()
        raise
    files = [LandedFile(f, p, r) for f, p, r in zip(source.files, parquet, reports, strict=True)]
    return Prepared(source, reports, target, files)


def finish(
    prepared: Prepared, store: DeliveryStore, progress: Progress | None = None
) -> DeliveryReport:
    """Load a prepared delivery in one transaction, or record its rejection."""
    source, reports = prepared.source, prepared.reports
    if prepared.landed is None or prepared.files is None:
        return _reject(store, source, reports, prepared.message)
    delivery_id = store.load(source, prepared.landed, prepared.files, progress)
    return DeliveryReport(
        str(source.path),
        source.manifest.agency,
        source.checksum,
        Outcome.LOADED,
        _loaded_message(reports),
        delivery_id=delivery_id,
        files=reports,
    )


def ingest(
    path: Path,
    store: DeliveryStore,
    landing: Path,
    *,
    chunk_rows: int = 50_000,
    progress: Progress | None = None,
    limits: Limits = DEFAULT,
) -> DeliveryReport:
    """Ingest the delivery at `path` exactly once; see docs/ingest.md for the guarantees."""
    opened = check(path, store, limits)
    if isinstance(opened, DeliveryReport):
        return opened
    earlier = store.landed_dirs(opened.manifest.agency)
    return finish(prepare(opened, landing, earlier, chunk_rows, progress, limits), store, progress)


def _reject(
    store: DeliveryStore, source: DeliverySource, reports: list[FileReport], message: str
) -> DeliveryReport:
    bad = [r.error for r in reports if r.error]
    message = message or (
        f"delivery rejected, nothing loaded: {len(bad)} file(s) could not be "
        "read: " + "; ".join(str(b) for b in bad)
    )
    for r in reports:  # nothing of a rejected delivery is taken in, so none of it is counted
        r.read = r.accepted = r.quarantined = 0
    store.reject(source, reports, message)
    return DeliveryReport(
        str(source.path),
        source.manifest.agency,
        source.checksum,
        Outcome.REJECTED,
        message,
        files=reports,
    )


def _loaded_message(reports: list[FileReport]) -> str:
    read = sum(r.read for r in reports)
    quarantined = sum(r.quarantined for r in reports)
    text = f"loaded {read - quarantined} of {read} rows"
    if quarantined:
        text += f"; {quarantined} quarantined (see `safeguard quarantine`)"
    return text


def _write_manifest(root: Path, source: DeliverySource, reports: list[FileReport]) -> None:
    document = {
        "manifest": source.manifest.to_json(),
        "checksum": source.checksum,
        "source": str(source.path),
        "files": [
            {
                "name": f.name,
                "kind": f.kind,
                "sha256": f.sha256,
                "bytes": f.size,
                "read": r.read,
                "accepted": r.accepted,
                "quarantined": r.quarantined,
            }
            for f, r in zip(source.files, reports, strict=True)
        ],
        "ignored": list(source.ignored),
        "quarantine": QUARANTINE_FILE,
    }
    (root / "manifest.json").write_text(json.dumps(document, indent=2), encoding="utf-8")

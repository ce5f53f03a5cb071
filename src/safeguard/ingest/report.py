"""What an ingest did, file by file: counts that reconcile and the reasons for anything refused."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    LOADED = "loaded"
    ALREADY_INGESTED = "already_ingested"
    REJECTED = "rejected"


@dataclass
class FileReport:
    """One delivered file: rows read, accepted and quarantined, and how accepted rows landed."""

    path: str
    kind: str | None
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def reconciles(self) -> bool:
        return self.read == self.accepted + self.quarantined


@dataclass
class DeliveryReport:
    """One delivery's outcome."""

    path: str
    agency: str | None
    checksum: str | None
    outcome: Outcome
    message: str
    delivery_id: int | None = None
    files: list[FileReport] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def quarantined(self) -> int:
        return sum(f.quarantined for f in self.files)

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.REJECTED or any(f.error for f in self.files)


def summary(reports: list[DeliveryReport]) -> dict[str, Any]:
    """The `--json` document: every file with its counts, totals, and each delivery's outcome."""
    files = [
        {
            "path": f.path,
            "kind": f.kind,
            "read": f.read,
            "accepted": f.accepted,
            "quarantined": f.quarantined,
            "new": f.new,
            "updated": f.updated,
            "unchanged": f.unchanged,
            "error": f.error,
            "warnings": f.warnings,
            "delivery": r.path,
        }
        for r in reports
        for f in r.files
    ]
    return {
        "files": files,
        "totals": {
            "read": sum(r.read for r in reports),
            "accepted": sum(r.accepted for r in reports),
            "quarantined": sum(r.quarantined for r in reports),
        },
        "deliveries": [
            {k: v for k, v in asdict(r).items() if k != "files"} | {"outcome": str(r.outcome)}
            for r in reports
        ],
    }


def exit_code(reports: list[DeliveryReport]) -> int:
    """0 all loaded cleanly; 1 rows were quarantined; 2 a delivery or file could not be read."""
    if any(r.failed for r in reports):
        return 2
    if any(r.quarantined for r in reports if r.outcome is Outcome.LOADED):
        return 1
    return 0

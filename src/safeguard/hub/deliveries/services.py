"""Taking agencies' deliveries into the hub, and reading quarantined rows.

`take` is the ingest stage however it is started (the command line today, a web upload and the
MASH's contacts later): the policy is asked once, each delivery loads in its own transaction
with its audit event, and the reactions to "delivery loaded" run after (`hub.reactions`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from django.db import transaction

from safeguard.access.caller import Caller
from safeguard.access.events import DeliveryTaken, Refused, ViewedQuarantine
from safeguard.access.policy import Action, Decision, act
from safeguard.hub import reactions
from safeguard.hub.audit import services as audit
from safeguard.hub.deliveries.models import QuarantinedRow
from safeguard.hub.deliveries.queries import QuarantineFilters, quarantined
from safeguard.hub.deliveries.store import DeliveryRows
from safeguard.ingest.batch import Waiting, ingest_all
from safeguard.ingest.limits import DEFAULT, Limits
from safeguard.ingest.pipeline import KnownDelivery, LandedFile, Progress
from safeguard.ingest.report import DeliveryReport, FileReport, Outcome
from safeguard.ingest.source import DeliverySource


class HubDeliveries:
    """`safeguard.ingest.DeliveryStore` on the hub database, for one caller: a delivery and
    the audit event of taking it commit together."""

    def __init__(self, caller: Caller, decision: Decision) -> None:
        self.caller, self.decision, self.rows = caller, decision, DeliveryRows()
        self.recorded: set[str] = set()
        """Deliveries whose taking this store recorded (loaded or rejected)."""

    def loaded(self, checksum: str) -> KnownDelivery | None:
        return self.rows.loaded(checksum)

    def landed_dirs(self, agency: str) -> list[Path]:
        return self.rows.landed_dirs(agency)

    def reject(self, source: DeliverySource, reports: Sequence[FileReport], message: str) -> None:
        with transaction.atomic():
            self.rows.reject(source, reports, message)
            self._taken(source, "rejected", reports)

    def load(
        self,
        source: DeliverySource,
        landed: Path,
        files: Sequence[LandedFile],
        progress: Progress | None,
    ) -> int:
        with transaction.atomic():
            delivery = self.rows.load(source, landed, files, progress)
            self._taken(source, "loaded", [f.report for f in files])
        return delivery

    def _taken(self, source: DeliverySource, outcome: str, reports: Sequence[FileReport]) -> None:
        self.recorded.add(str(source.path))
        event = DeliveryTaken(
            source.path.name,
            source.manifest.agency,
            outcome,
            sum(r.read for r in reports),
            sum(r.accepted for r in reports),
            sum(r.quarantined for r in reports),
        )
        audit.write(self.caller.actor, event, self.decision, self.caller.channel)


def take(
    caller: Caller,
    paths: list[Path],
    landing: Path,
    *,
    chunk_rows: int,
    progress: Progress | None = None,
    waiting: Waiting | None = None,
    limits: Limits = DEFAULT,
) -> Iterator[DeliveryReport]:
    """Validate and load each delivery (see `safeguard.ingest.batch.ingest_all`), yielding its
    report as soon as it is known; the reactions to "delivery loaded" run once all are in
    (their summaries: `reacted`)."""
    allowed = audit.check(
        caller, act(caller.actor, Action.RUN_STAGE), Refused("take deliveries", _names(paths))
    )
    store = HubDeliveries(caller, allowed)
    for report in ingest_all(
        paths,
        store,
        landing,
        chunk_rows=chunk_rows,
        progress=progress,
        waiting=waiting,
        limits=limits,
    ):
        if report.path not in store.recorded:  # already ingested, or unreadable at the door
            outcome = (
                "already ingested" if report.outcome is Outcome.ALREADY_INGESTED else "rejected"
            )
            taken = DeliveryTaken(Path(report.path).name, report.agency or "unknown", outcome)
            with transaction.atomic():
                audit.write(caller.actor, taken, allowed, caller.channel)
        yield report


def react(caller: Caller) -> dict[str, dict[str, int]]:
    """The reactions to deliveries loading (run after `take`; idempotent)."""
    return reactions.after(reactions.Stage.DELIVERY_LOADED, caller)


def _names(paths: list[Path]) -> str:
    return ", ".join(p.name for p in paths)


def quarantine(
    caller: Caller, filters: QuarantineFilters, limit: int
) -> tuple[int, list[QuarantinedRow]]:
    """Quarantined rows as `filters` ask (at most `limit`) and how many there are in all,
    for a data operator; the reading is recorded."""
    decision = audit.check(
        caller,
        act(caller.actor, Action.VIEW_QUARANTINE),
        Refused("view quarantine", filters.describe()),
    )
    audit.seen(caller, ViewedQuarantine(filters.describe()), decision)
    rows = quarantined(caller.actor, filters)
    return rows.count(), list(rows[:limit])

"""Ingest many deliveries, using both cores: the next delivery is prepared (validated, checked,
landed) in a worker process while the current one loads into the database.

Order and guarantees are those of ingesting one by one: each delivery still loads in its own
transaction, and a delivery is prepared only after every earlier delivery of the same agency in
this run has loaded, so its references are checked against them.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from safeguard.ingest.limits import DEFAULT, Limits
from safeguard.ingest.pipeline import DeliveryStore, Prepared, Progress, check, finish, prepare
from safeguard.ingest.report import DeliveryReport, Outcome
from safeguard.ingest.source import DeliverySource

Waiting = Callable[[str], None]

#: Worker processes preparing deliveries ahead of the loader (the machines have two cores).
WORKERS = 2


def _duplicate(source: DeliverySource) -> DeliveryReport:
    return DeliveryReport(
        str(source.path),
        source.manifest.agency,
        source.checksum,
        Outcome.ALREADY_INGESTED,
        "the same delivery appears earlier in this run; nothing changed",
    )


def ingest_all(
    paths: list[Path],
    store: DeliveryStore,
    landing: Path,
    *,
    chunk_rows: int = 50_000,
    progress: Progress | None = None,
    waiting: Waiting | None = None,
    parallel: bool = True,
    limits: Limits = DEFAULT,
) -> Iterator[DeliveryReport]:
    """Ingest each path in order, yielding its report as soon as it is known."""
    sources: list[DeliverySource] = []
    seen: set[str] = set()
    for path in paths:
        opened = check(path, store, limits)
        if isinstance(opened, DeliveryReport):
            yield opened
        elif opened.checksum in seen:
            yield _duplicate(opened)
        else:
            seen.add(opened.checksum)
            sources.append(opened)
    if not parallel or len(sources) < 2:
        for source in sources:
            earlier = store.landed_dirs(source.manifest.agency)
            prepared = prepare(source, landing, earlier, chunk_rows, progress, limits)
            yield finish(prepared, store, progress)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as pool:
        futures: dict[int, Future[Prepared]] = {}

        def submit(i: int) -> None:
            source = sources[i]
            earlier = store.landed_dirs(source.manifest.agency)
            futures[i] = pool.submit(prepare, source, landing, earlier, chunk_rows, None, limits)

        for i, source in enumerate(sources):
            if i not in futures:
                submit(i)
            # look ahead to deliveries whose agency has nothing unloaded before them
            for j in range(i + 1, min(i + 1 + WORKERS, len(sources))):
                agencies = {s.manifest.agency for s in sources[i:j]}
                if j not in futures and sources[j].manifest.agency not in agencies:
                    submit(j)
            if waiting:
                waiting(source.path.name)
            yield finish(futures.pop(i).result(), store, progress)

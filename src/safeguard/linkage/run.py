"""One linkage run: prepare the people records, train or reuse the model, score, cluster, write.

Outputs go to one folder (`$SAFEGUARD_DATA_DIR/linkage/` from the CLI): `model.json` and
`training.json` (the model and how it was trained), `records.parquet` (the prepared records),
`pairs.parquet` (scored pairs at or above the lower threshold, with a `link` or `review`
decision and each comparison's weight), `clusters.parquet` (`unique_id`, `cluster_id`) and
`summary.json`.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow.parquet as pq

from safeguard.linkage import model
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.predict import LINK, REVIEW, predict, review_pairs
from safeguard.linkage.records import PeopleFile, people_frame

RECORDS_FILE, PAIRS_FILE, CLUSTERS_FILE, SUMMARY_FILE = (
    "records.parquet",
    "pairs.parquet",
    "clusters.parquet",
    "summary.json",
)


@dataclass(frozen=True)
class RunSummary:
    """What a linkage run found."""

    records: int
    people: int
    linked_pairs: int
    review_pairs: int
    trained: bool
    seconds: float
    upper: float
    lower: float


def link(
    files: list[PeopleFile],
    folder: Path,
    config: LinkageConfig | None = None,
    retrain: bool = False,
) -> RunSummary:
    """Link every current people record in `files`; train only when no model is saved (or
    `retrain`), so later runs reuse the model and its training report."""
    config = config or LinkageConfig()
    start = time.perf_counter()
    frame = people_frame(files)
    folder.mkdir(parents=True, exist_ok=True)
    trained = retrain or not (folder / model.MODEL_FILE).exists()
    if trained:
        linker, report = model.train(frame, config)
        model.save(linker, report, folder)
    else:
        linker = model.load(frame, folder)
    prediction = predict(linker, config)
    pq.write_table(frame, folder / RECORDS_FILE)
    pq.write_table(prediction.pairs, folder / PAIRS_FILE)
    pq.write_table(prediction.clusters, folder / CLUSTERS_FILE)
    decisions = prediction.pairs.column("decision").to_pylist()
    summary = RunSummary(
        records=frame.num_rows,
        people=len(set(prediction.clusters.column("cluster_id").to_pylist())),
        linked_pairs=decisions.count(LINK),
        review_pairs=review_pairs(prediction).num_rows if REVIEW in decisions else 0,
        trained=trained,
        seconds=round(time.perf_counter() - start, 1),
        upper=config.upper,
        lower=config.lower,
    )
    (folder / SUMMARY_FILE).write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
    return summary

"""One linkage run: score the people records (all of them, or only what is new), then resolve
the scored pairs and the practitioners' decisions into people with stable ids.

Outputs go to one folder (`$SAFEGUARD_DATA_DIR/linkage/` from the CLI): `model.json` and
`training.json` (the model and how it was trained), `records.parquet` (the prepared records),
`pairs.parquet` (scored pairs at or above the lower threshold, with a `link` or `review`
decision and each comparison's weight), `clusters.parquet` (`unique_id`, `cluster_id`, the
cluster id being the stable person id) and `summary.json`.

Scoring is incremental when a model and an earlier run's records and pairs are there: only
records that are new, or whose landed row changed, are scored (against every record and each
other), old pairs touching a changed record are replaced, and everything else is kept. Resolving
always starts from all the pairs, so the people never depend on the order deliveries came in.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from safeguard.linkage import identity, model
from safeguard.linkage.backend import DEFAULT_BACKEND, Backend
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.predict import decide, predict_new
from safeguard.linkage.predict import score as score_all
from safeguard.linkage.records import PeopleFile, people_frame

RECORDS_FILE, PAIRS_FILE, CLUSTERS_FILE, SUMMARY_FILE = (
    "records.parquet",
    "pairs.parquet",
    "clusters.parquet",
    "summary.json",
)
Mode = Literal["full", "incremental", "unchanged", "decision"]


class NotLinkedYet(RuntimeError):
    """Resolving or explaining needs an earlier linkage run's outputs."""


@dataclass(frozen=True)
class Scoring:
    """What scoring did: how many records, how many of them were (re)scored, pairs kept."""

    mode: Mode
    records: int
    scored_records: int
    pairs: int
    trained: bool
    seconds: float


@dataclass(frozen=True)
class RunSummary:
    """What a linkage run found."""

    mode: Mode
    records: int
    scored_records: int
    people: int
    new_people: int
    retired_people: int
    linked_pairs: int
    review_pairs: int
    refused_links: int
    events: int
    trained: bool
    seconds: float
    upper: float
    lower: float


@dataclass(frozen=True)
class Resolution:
    """People resolved from the scored pairs: the assignment, the links refused, the pairs
    linked at the upper threshold and the pairs awaiting review."""

    assignment: identity.Assignment
    refusals: list[identity.Refusal]
    review_pairs: int
    linked_pairs: int


@dataclass(frozen=True)
class Result:
    """A run's summary, each record's person and what changed (for the hub to record)."""

    summary: RunSummary
    assignment: identity.Assignment
    refusals: list[identity.Refusal] = field(default_factory=list)


def score(
    files: list[PeopleFile],
    folder: Path,
    config: LinkageConfig | None = None,
    retrain: bool = False,
    full: bool = False,
    backend: Backend = DEFAULT_BACKEND,
) -> Scoring:
    """Prepare the records of `files` and score pairs into `folder` on `backend`. Trains only
    when no model is saved (or `retrain`); scores only new and changed records unless `full`,
    `retrain`, no earlier run, or the Spark backend (which always scores everything)."""
    config = config or LinkageConfig()
    start = time.perf_counter()
    frame = people_frame(files)
    folder.mkdir(parents=True, exist_ok=True)
    trained = retrain or not (folder / model.MODEL_FILE).exists()
    earlier = (folder / RECORDS_FILE).exists() and (folder / PAIRS_FILE).exists()
    if trained:
        linker, report = model.train(frame, config, backend)
        model.save(linker, report, folder)
    if trained or full or not earlier or backend != "duckdb":
        if not trained:
            linker = model.load(frame, folder, backend)
        pairs = stored(score_all(linker, config))
        mode: Mode = "full"
        scored = frame.num_rows
    else:
        before = pq.read_table(folder / RECORDS_FILE, columns=["unique_id", "record_hash"])
        changed = _changed(frame, before)
        scored = len(changed)
        if not scored:
            return Scoring("unchanged", frame.num_rows, 0, _count(folder), False, _since(start))
        old = pq.read_table(folder / PAIRS_FILE)
        new = decide(
            predict_new(model.load(frame, folder), frame, changed, config.lower), config.upper
        )
        kept = old.filter(
            pc.invert(
                pc.or_(
                    pc.is_in(old["unique_id_l"], value_set=changed),
                    pc.is_in(old["unique_id_r"], value_set=changed),
                )
            )
        )
        pairs = pa.concat_tables([kept, new.select(kept.column_names).cast(kept.schema)])
        mode = "incremental"
    pq.write_table(frame, folder / RECORDS_FILE)
    pq.write_table(pairs, folder / PAIRS_FILE)
    return Scoring(mode, frame.num_rows, scored, pairs.num_rows, trained, _since(start))


#: What a stored pair keeps: its ids, score and decision, and each comparison's level and
#: weights (`gamma_`, `bf_`, `mw_`, with term-frequency adjustments), all an explanation needs.
#: The two records' values are not kept: they are in `records.parquet`, and leaving them out
#: makes the pairs a fraction of the size to read and rewrite on every incremental run.
_KEPT = ("unique_id_l", "unique_id_r", "match_weight", "match_probability", "decision")


def stored(pairs: pa.Table) -> pa.Table:
    """The columns of scored `pairs` that are stored (see `_KEPT`)."""
    keep = [c for c in pairs.column_names if c in _KEPT or c.startswith(("gamma_", "bf_", "mw_"))]
    return pairs.select(keep)


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 1)


def _count(folder: Path) -> int:
    return int(pq.read_metadata(folder / PAIRS_FILE).num_rows)


def _changed(frame: pa.Table, before: pa.Table) -> pa.Array:
    """Unique ids of records that are new or whose landed row changed since `before`."""
    con = duckdb.connect()
    try:
        con.register("now", frame.select(["unique_id", "record_hash"]))
        con.register("before", before.select(["unique_id", "record_hash"]))
        found = con.sql(
            "select unique_id from now anti join before "
            "on now.unique_id = before.unique_id "
            "and now.record_hash is not distinct from before.record_hash"
        ).to_arrow_table()
    finally:
        con.close()
    return found["unique_id"].combine_chunks()


def resolve(
    folder: Path,
    decisions: Sequence[identity.Decision],
    previous: pa.Table,
    next_person: int,
    config: LinkageConfig | None = None,
    former: pa.Table | None = None,
) -> Resolution:
    """Cluster the scored pairs in `folder` under `decisions` and give each cluster a stable
    person id (`previous`: each record's person so far; `former`: the retired person each
    record was last merged away from); writes `clusters.parquet`."""
    config = config or LinkageConfig()
    if not (folder / PAIRS_FILE).exists():
        raise NotLinkedYet(f"no linkage run in {folder}: run `safeguard link` first")
    records = pq.read_table(folder / RECORDS_FILE, columns=["unique_id"])
    pairs = pq.read_table(
        folder / PAIRS_FILE, columns=["unique_id_l", "unique_id_r", "match_probability"]
    )
    clustering = identity.cluster(
        records["unique_id"].combine_chunks(), pairs, decisions, config.upper
    )
    assignment = identity.assign(clustering, previous, next_person, pairs, decisions, former)
    people = assignment.people.rename_columns(["unique_id", "cluster_id"])
    pq.write_table(people, folder / CLUSTERS_FILE)
    review = len(review_pairs(pairs, assignment.people, decisions, config))
    linked = pc.sum(pc.greater_equal(pairs["match_probability"], config.upper)).as_py() or 0
    return Resolution(assignment, clustering.refusals, review, int(linked))


def review_pairs(
    pairs: pa.Table,
    people: pa.Table,
    decisions: Sequence[identity.Decision],
    config: LinkageConfig,
) -> list[dict[str, object]]:
    """Pairs between the thresholds whose records are different people and that nobody has
    decided on yet, most likely first: the review queue."""
    decided = pa.table(
        {
            "a": pa.array([min(d.left, d.right) for d in decisions], pa.string()),
            "b": pa.array([max(d.left, d.right) for d in decisions], pa.string()),
        }
    )
    con = duckdb.connect()
    try:
        for name, table in (("pairs", pairs), ("people", people), ("decided", decided)):
            con.register(name, table)
        return [
            dict(zip(("unique_id_l", "unique_id_r", "match_probability"), row, strict=True))
            for row in con.execute(
                """
                select p.unique_id_l, p.unique_id_r, p.match_probability
                from pairs p
                join people l on l.unique_id = p.unique_id_l
                join people r on r.unique_id = p.unique_id_r
                where p.match_probability >= $lower and p.match_probability < $upper
                  and l.person_id <> r.person_id
                  and not exists (select 1 from decided d
                      where d.a = least(p.unique_id_l, p.unique_id_r)
                        and d.b = greatest(p.unique_id_l, p.unique_id_r))
                order by p.match_probability desc, p.unique_id_l, p.unique_id_r
                """,
                {"lower": config.lower, "upper": config.upper},
            ).fetchall()
        ]
    finally:
        con.close()


def link(
    files: list[PeopleFile],
    folder: Path,
    config: LinkageConfig | None = None,
    retrain: bool = False,
    full: bool = False,
    decisions: Sequence[identity.Decision] = (),
    previous: pa.Table | None = None,
    next_person: int = 1,
    former: pa.Table | None = None,
    backend: Backend = DEFAULT_BACKEND,
) -> Result:
    """Score (see `score`) and resolve (see `resolve`): link every current people record in
    `files` into people, honouring `decisions` and keeping the ids in `previous`."""
    config = config or LinkageConfig()
    start = time.perf_counter()
    scoring = score(files, folder, config, retrain=retrain, full=full, backend=backend)
    return _resolved(folder, scoring, decisions, previous, next_person, config, start, former)


def relink(
    folder: Path,
    decisions: Sequence[identity.Decision],
    previous: pa.Table,
    next_person: int,
    config: LinkageConfig | None = None,
    former: pa.Table | None = None,
) -> Result:
    """Resolve the last run's scored pairs again (no scoring), after a decision changed."""
    config = config or LinkageConfig()
    start = time.perf_counter()
    if not (folder / PAIRS_FILE).exists():
        raise NotLinkedYet(f"no linkage run in {folder}: run `safeguard link` first")
    records = pq.read_metadata(folder / RECORDS_FILE).num_rows
    scoring = Scoring("decision", records, 0, _count(folder), False, 0.0)
    return _resolved(folder, scoring, decisions, previous, next_person, config, start, former)


def _resolved(
    folder: Path,
    scoring: Scoring,
    decisions: Sequence[identity.Decision],
    previous: pa.Table | None,
    next_person: int,
    config: LinkageConfig,
    start: float,
    former: pa.Table | None,
) -> Result:
    previous = previous if previous is not None else empty_people()
    resolved = resolve(folder, decisions, previous, next_person, config, former)
    assignment, refusals = resolved.assignment, resolved.refusals
    summary = RunSummary(
        mode=scoring.mode,
        records=scoring.records,
        scored_records=scoring.scored_records,
        people=len(pc.unique(assignment.people["person_id"])),
        new_people=len(assignment.new_people),
        retired_people=len(assignment.retired),
        linked_pairs=resolved.linked_pairs,
        review_pairs=resolved.review_pairs,
        refused_links=len(refusals),
        events=len(assignment.events),
        trained=scoring.trained,
        seconds=_since(start),
        upper=config.upper,
        lower=config.lower,
    )
    (folder / SUMMARY_FILE).write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
    return Result(summary, assignment, refusals)


def empty_people() -> pa.Table:
    """No earlier people: the first run."""
    return pa.table({"unique_id": pa.array([], pa.string()), "person_id": pa.array([], pa.int64())})

"""One linkage run: score the people records (all of them, or only what is new), then resolve
the scored pairs and the practitioners' decisions into people with stable ids.

Outputs go to one folder (`$SAFEGUARD_DATA_DIR/linkage/` from the CLI): `model.json` and
`training.json` (the model and how it was trained), the prepared records and the scored pairs
(at or above the lower threshold, with a `link` or `review` decision and each comparison's
weight) kept as parts under `parts/` with `manifest.json` (see `safeguard.linkage.saved`),
and `summary.json`. Who is who (each record's stable person id) is not written here: it is the
run's `Result.assignment`, which the hub records as its one source of who is who.

Scoring is incremental when a model and an earlier run's records and pairs are there: only the
landed files not seen before are prepared, only records that are new or whose landed row
changed are scored (against every record and each other), and they are saved as a new part
that voids the old pairs touching a changed record. Resolving always starts from all the live
pairs, so the people never depend on the order deliveries came in.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from safeguard.linkage import identity, model
from safeguard.linkage.backend import DEFAULT_BACKEND, Backend
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.predict import decide, predict_new
from safeguard.linkage.predict import score as score_all
from safeguard.linkage.records import PeopleFile, people_frame
from safeguard.linkage.saved import Saved

SUMMARY_FILE = "summary.json"
Mode = Literal["full", "incremental", "unchanged", "decision"]


class NotLinkedYet(RuntimeError):
    """Resolving or explaining needs an earlier linkage run's outputs."""


@dataclass(frozen=True)
class Scoring:
    """What scoring did: how many records, and how many of them were (re)scored."""

    mode: Mode
    records: int
    scored_records: int
    trained: bool
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)


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
    steps: dict[str, float] = field(default_factory=dict)
    """Seconds per step: prepare, train, score, save, resolve."""


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
    clock = _Clock()
    folder.mkdir(parents=True, exist_ok=True)
    saved = Saved(folder)
    trained = retrain or not (folder / model.MODEL_FILE).exists()
    if trained or full or not saved.linked() or backend != "duckdb":
        frame = people_frame(files)
        clock.lap("prepare")
        if trained:
            linker, report = model.train(frame, config, backend)
            model.save(linker, report, folder)
            clock.lap("train")
        else:
            linker = model.load(frame, folder, backend)
        pairs = stored(score_all(linker, config))
        clock.lap("score")
        saved.replace(frame, pairs, files)
        clock.lap("save")
        return Scoring("full", frame.num_rows, frame.num_rows, trained, clock.total(), clock.laps)
    fresh_files = saved.unseen(files)
    if fresh_files == []:
        return Scoring("unchanged", saved.record_count(), 0, False, clock.total(), clock.laps)
    fresh = people_frame(files if fresh_files is None else fresh_files)
    before = saved.records()
    changed, replaced = _changed(fresh, before)
    if not len(changed):
        saved.note_files(files)
        return Scoring("unchanged", before.num_rows, 0, False, clock.total(), clock.laps)
    arriving = fresh.filter(pc.is_in(fresh["unique_id"], value_set=changed))
    arriving = arriving.select(before.column_names).cast(before.schema)
    kept = (  # copying a million records costs seconds: only when records were replaced
        before.filter(pc.invert(pc.is_in(before["unique_id"], value_set=replaced)))
        if len(replaced)
        else before
    )
    frame = pa.concat_tables([kept, arriving])  # no copy: the chunks of both
    clock.lap("prepare")
    linker = model.load(frame, folder)
    new = decide(predict_new(linker, kept, arriving, config.lower), config.upper)
    clock.lap("score")
    saved.append(arriving, stored(new), changed, files, frame.num_rows)
    clock.lap("save")
    return Scoring("incremental", frame.num_rows, len(changed), False, clock.total(), clock.laps)


class _Clock:
    """Seconds per step of a run, for the summary: where the time went."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = round(self.laps.get(step, 0.0) + now - self.last, 2)
        self.last = now

    def total(self) -> float:
        return round(time.perf_counter() - self.start, 1)


#: What a stored pair keeps: its ids, score and decision, and each comparison's level and
#: weights (`gamma_`, `bf_`, `mw_`, with term-frequency adjustments), all an explanation needs.
#: The two records' values are not kept: they are in the saved records, and leaving them out
#: makes the pairs a fraction of the size.
_KEPT = ("unique_id_l", "unique_id_r", "match_weight", "match_probability", "decision")


def stored(pairs: pa.Table) -> pa.Table:
    """The columns of scored `pairs` that are stored (see `_KEPT`)."""
    keep = [c for c in pairs.column_names if c in _KEPT or c.startswith(("gamma_", "bf_", "mw_"))]
    return pairs.select(keep)


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 1)


def _changed(frame: pa.Table, before: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Unique ids of records in `frame` that are new or whose landed row changed since
    `before`; and of those, the ones `before` holds (replaced, not new)."""
    con = duckdb.connect()
    try:
        con.register("now", frame.select(["unique_id", "record_hash"]))
        con.register("before", before.select(["unique_id", "record_hash"]))
        found = con.sql(
            "select now.unique_id, before.unique_id is not null as replaced from now "
            "left join before on now.unique_id = before.unique_id "
            "where before.unique_id is null "
            "or now.record_hash is distinct from before.record_hash"
        ).to_arrow_table()
    finally:
        con.close()
    changed = found["unique_id"].combine_chunks()
    return changed, changed.filter(found["replaced"].combine_chunks())


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
    record was last merged away from)."""
    config = config or LinkageConfig()
    saved = Saved(folder)
    if not saved.linked():
        raise NotLinkedYet(f"no linkage run in {folder}: run `safeguard link` first")
    records = saved.records(["unique_id"])
    pairs = saved.pairs(["match_probability"])
    clustering = identity.cluster(
        records["unique_id"].combine_chunks(), pairs, decisions, config.upper
    )
    assignment = identity.assign(clustering, previous, next_person, pairs, decisions, former)
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


def review_rows(
    pairs: Sequence[dict[str, Any]],
    person_of: dict[str, int],
    decided: set[tuple[str, str]],
    config: LinkageConfig,
) -> list[dict[str, object]]:
    """`review_pairs` for a handful of pairs already in memory (one person's page): the same
    rule, without starting a query engine. `decided` holds pairs in id order."""
    out = [
        {k: p[k] for k in ("unique_id_l", "unique_id_r", "match_probability")}
        for p in pairs
        if config.lower <= p["match_probability"] < config.upper
        and p["unique_id_l"] in person_of
        and p["unique_id_r"] in person_of
        and person_of[p["unique_id_l"]] != person_of[p["unique_id_r"]]
        and tuple(sorted((p["unique_id_l"], p["unique_id_r"]))) not in decided
    ]
    return sorted(
        out, key=lambda p: (-float(p["match_probability"]), p["unique_id_l"], p["unique_id_r"])
    )


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
    saved = Saved(folder)
    if not saved.linked():
        raise NotLinkedYet(f"no linkage run in {folder}: run `safeguard link` first")
    scoring = Scoring("decision", saved.record_count(), 0, False, 0.0)
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
    began = time.perf_counter()
    resolved = resolve(folder, decisions, previous, next_person, config, former)
    steps = {**scoring.steps, "resolve": round(time.perf_counter() - began, 2)}
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
        steps=steps,
    )
    model.write_whole(folder / SUMMARY_FILE, json.dumps(asdict(summary), indent=2))
    return Result(summary, assignment, refusals)


def empty_people() -> pa.Table:
    """No earlier people: the first run."""
    return pa.table({"unique_id": pa.array([], pa.string()), "person_id": pa.array([], pa.int64())})

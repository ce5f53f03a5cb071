"""Train the linkage model without labels, save it with its training report, and load it again.

Training: the prior (probability two random records match) from strict deterministic rules; u
probabilities from random pairs (almost all non-matches); m probabilities by expectation
maximisation on blocks that leave each comparison free in at least one block.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.database_api import DatabaseAPI

from safeguard.linkage import settings as model_settings
from safeguard.linkage.backend import (
    DEFAULT_BACKEND,
    Backend,
    db_api,
    dialect,
    for_dialect,
    settings_like,
)
from safeguard.linkage.config import LinkageConfig

IDENTIFIER = "identifier"  # an extra identifier column (link-files); compared when present
MODEL_FILE = "model.json"
#: Single-column comparisons left out when no record has the column (never evidence; each
#: costs a pass of u sampling and a column in every EM round and prediction).
_OPTIONAL = ("nhs_number", "upn", "pnc_id", "phone", "email", "sex")
#: u samples up to this many pairs are taken in one chunk (link-files' small files).
U_ONE_CHUNK = 1e6
REPORT_FILE = "training.json"
_PRIOR_RULES: list[str | BlockingRuleCreator] = [
    block_on("nhs_number"),
    block_on("upn"),
    "l.forename1 = r.forename1 and l.surname = r.surname and l.dob = r.dob",
]


@dataclass
class TrainingReport:
    """What training saw and produced: enough to judge a model without rerunning it."""

    records: int
    seconds: float
    probability_two_random_records_match: float
    em_blocks: list[str]
    training_records: int = 0
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def linker_for(
    frame: pa.Table,
    model: Any,
    backend: Backend | DatabaseAPI[Any] = DEFAULT_BACKEND,
    table: str = "people",
) -> Linker:
    """A Splink linker over a `people_frame` table, with settings or a saved model (path/dict),
    on `backend` ("duckdb" or "spark", or a Splink database API such as a `SparkAPI` over a
    cluster's session), registered as `table`. A saved model from another backend is rendered
    for this one."""
    api = db_api(backend) if isinstance(backend, str) else backend
    sql_dialect = dialect(api)
    # A Spark table name is a view shared by the whole session, so each linker gets its own.
    name = table if sql_dialect == "duckdb" else f"{table}_{uuid.uuid4().hex[:12]}"
    people = api.register(frame, table_name=name)
    if isinstance(model, str | Path) and Path(model).is_file():
        model = json.loads(Path(model).read_text(encoding="utf-8"))
    if isinstance(model, dict):
        model = for_dialect(model, sql_dialect)
    # Splink's own logging is left as the application set it (Linker's log_level would reset
    # it, and link-files' quieter setting with it)
    return Linker(people, model, log_level=None)


#: An identifier's own training block needs this many records that share a value with another:
#: fewer (an identifier one agency alone holds) gives EM too few pairs to learn from.
MIN_EM_PAIRS = 100


def _repeats(frame: pa.Table, column: str) -> int:
    """How many of `frame`'s records share their `column` value with an earlier record."""
    if column not in frame.column_names:
        return 0
    values = frame.column(column).drop_null()
    return len(values) - len(pc.unique(values))


def train(
    frame: pa.Table,
    config: LinkageConfig | None = None,
    backend: Backend | DatabaseAPI[Any] = DEFAULT_BACKEND,
    twins_apart: bool = True,
) -> tuple[Linker, TrainingReport]:
    """Train a model without labels (on `backend`, DuckDB by default) on `frame`, or on a random
    sample of `train_max_records` of it; returns a linker over all of `frame` and the training
    report.

    The prior, u and m are proportions among pairs, and a random sample of records keeps every
    pair with the same chance (matches and non-matches thin alike), so the sample gives the
    model the whole would, in a time that stops growing with the records.

    Thin records (no identifier): the prior's one rule (first name, surname and birth date
    exact) finds a share of the matches no one can guess for a file (FEBRL's typists change
    two in three of them), so after EM the prior is estimated again with that rule's recall as
    the model learnt it (`prior_rule_recall`), not `prior_recall`. `twins_apart=False` leaves
    thin records' twins and namesakes safeguards out (`settings.told_apart`): link-files'
    `--twins-not-a-concern`, never the hub."""
    config = config or LinkageConfig()
    started = time.perf_counter()
    training_frame = sample(frame, config.train_max_records, config.seed)
    sampled = training_frame is not frame
    with_identifier = IDENTIFIER in frame.column_names
    empty = frozenset(c for c in _OPTIONAL if frame.column(c).null_count == frame.num_rows)
    untrained = model_settings.settings(
        with_identifier=with_identifier, empty=empty, twins_apart=twins_apart
    )
    linker = linker_for(
        training_frame, untrained, backend, table="people_training" if sampled else "people"
    )
    training = linker.training
    prior_rules = [*_PRIOR_RULES, *([block_on(IDENTIFIER)] if with_identifier else [])]
    training.estimate_probability_two_random_records_match(prior_rules, config.prior_recall)
    training.estimate_u_using_random_sampling(
        max_pairs=config.u_max_pairs,
        seed=config.seed,
        # Splink's 10 chunks each make a pass per comparison: a small sample pays for the
        # passes, not the pairs, so it is taken in one
        num_chunks=1 if config.u_max_pairs <= U_ONE_CHUNK else 10,
    )
    is_thin = model_settings.thin(with_identifier, empty)
    blocks = model_settings.training_blocking(
        with_identifier,
        is_thin,
        [c for c in model_settings.IDENTIFYING if _repeats(training_frame, c) >= MIN_EM_PAIRS],
    )
    for rule in blocks:
        training.estimate_parameters_using_expectation_maximisation(rule)
    if is_thin:
        recall = prior_rule_recall(linker.misc.save_model_to_json())
        if recall is not None:
            training.estimate_probability_two_random_records_match(prior_rules, recall)
    model = linker.misc.save_model_to_json()
    if sampled:
        linker = linker_for(frame, model, backend)
    report = TrainingReport(
        records=frame.num_rows,
        seconds=round(time.perf_counter() - started, 2),
        probability_two_random_records_match=model["probability_two_random_records_match"],
        em_blocks=[r.get_blocking_rule("duckdb").blocking_rule_sql for r in blocks],
        training_records=training_frame.num_rows,
        comparisons=parameters(model),
        config=config.model_dump(),
    )
    return linker, report


#: The (comparison, level) pairs the prior's name and birth-date rule asks to agree.
_PRIOR_RULE_LEVELS = (("forename", "exact"), ("surname", "exact"), ("date_of_birth", "exact"))
#: Bounds on a learnt recall of that rule: a file where it finds almost nothing is not a file
#: to learn a prior from.
_RECALL_BOUNDS = (0.05, 1.0)


def prior_rule_recall(model: dict[str, Any]) -> float | None:
    """How often the same person's two records agree exactly on first name, surname and birth
    date (the prior's rule, all a thin record has), as the model learnt it: the product of
    those three levels' m. None when a level went untrained."""
    m = {(p["comparison"], p["level"]): p["m"] for p in parameters(model)}
    recall = 1.0
    for key in _PRIOR_RULE_LEVELS:
        if not isinstance(m.get(key), float):
            return None
        recall *= m[key]
    low, high = _RECALL_BOUNDS
    return min(max(recall, low), high)


def sample(frame: pa.Table, records: int, seed: int) -> pa.Table:
    """`frame` when it has at most `records` rows, else `records` of its rows chosen at random
    (seeded), in their order."""
    if frame.num_rows <= records:
        return frame
    rows = np.random.default_rng(seed).choice(frame.num_rows, size=records, replace=False)
    return frame.take(np.sort(rows))


def parameters(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Each comparison level's m and u probabilities from a saved model dictionary."""
    out = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            out.append(
                {
                    "comparison": comparison["output_column_name"],
                    "level": level.get("label_for_charts", level["sql_condition"]),
                    "m": level.get("m_probability"),
                    "u": level.get("u_probability"),
                }
            )
    return out


def write_whole(path: Path, text: str) -> None:
    """Write a file so that it is either the old one or the new one, never half of either (a
    process killed while writing leaves the temporary file, not a truncated one)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def save(linker: Linker, report: TrainingReport, folder: Path) -> Path:
    """Write the model JSON and the training report into `folder`, each whole; returns the
    model path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    model = linker.misc.save_model_to_json(out_path=None)
    write_whole(folder / REPORT_FILE, json.dumps(asdict(report), indent=2))
    write_whole(path, json.dumps(model, indent=4))  # last: a model on disk means a whole run
    return path


def load(
    frame: pa.Table, folder: Path, backend: Backend | DatabaseAPI[Any] = DEFAULT_BACKEND
) -> Linker:
    """A linker over `frame` on `backend` using the model saved in `folder` (no retraining),
    whichever backend trained it. Candidate pairs come from the current blocking rules, not
    those saved with the model: blocking is not learned, and a model saved before the rules
    changed would otherwise keep scoring the old pairs. The rules are those for the columns
    the model compares (thin records have rules of their own)."""
    model = json.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
    rules = "blocking_rules_to_generate_predictions"
    saved_dialect = str(model.get("sql_dialect", "duckdb"))
    model[rules] = settings_like(model).create_settings_dict(saved_dialect)[rules]
    return linker_for(frame, model, backend)


def load_report(folder: Path) -> TrainingReport:
    """The training report saved next to a model."""
    data = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    return TrainingReport(**data)

"""Train the linkage model without labels, save it with its training report, and load it again.

Training: the prior (probability two random records match) from strict deterministic rules; u
probabilities from random pairs (almost all non-matches); m probabilities by expectation
maximisation on blocks that leave each comparison free in at least one block.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from safeguard.linkage import settings as model_settings
from safeguard.linkage.config import LinkageConfig

MODEL_FILE = "model.json"
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
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def linker_for(frame: pa.Table, model: Any) -> Linker:
    """A Splink linker over a `people_frame` table, with settings or a saved model (path/dict)."""
    db_api = DuckDBAPI()
    people = db_api.register(frame, table_name="people")
    return Linker(people, model, log_level=logging.WARNING)


def train(frame: pa.Table, config: LinkageConfig | None = None) -> tuple[Linker, TrainingReport]:
    """Train a model on `frame` without labels; returns the linker and its training report."""
    config = config or LinkageConfig()
    started = time.perf_counter()
    linker = linker_for(frame, model_settings.settings())
    training = linker.training
    training.estimate_probability_two_random_records_match(_PRIOR_RULES, config.prior_recall)
    training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed)
    blocks = model_settings.training_blocking()
    for rule in blocks:
        training.estimate_parameters_using_expectation_maximisation(rule)
    model = linker.misc.save_model_to_json()
    report = TrainingReport(
        records=frame.num_rows,
        seconds=round(time.perf_counter() - started, 2),
        probability_two_random_records_match=model["probability_two_random_records_match"],
        em_blocks=[r.get_blocking_rule("duckdb").blocking_rule_sql for r in blocks],
        comparisons=parameters(model),
        config=config.model_dump(),
    )
    return linker, report


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


def save(linker: Linker, report: TrainingReport, folder: Path) -> Path:
    """Write the model JSON and the training report into `folder`; returns the model path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    linker.misc.save_model_to_json(str(path), overwrite=True)
    (folder / REPORT_FILE).write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    return path


def load(frame: pa.Table, folder: Path) -> Linker:
    """A linker over `frame` using the model saved in `folder` (no retraining)."""
    model = json.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
    return linker_for(frame, model)


def load_report(folder: Path) -> TrainingReport:
    """The training report saved next to a model."""
    data = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    return TrainingReport(**data)

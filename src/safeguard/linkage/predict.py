"""Score candidate pairs and cluster them into people.

Pairs at or above the lower threshold are kept with their match weights and per-comparison
intermediate columns (for explanations); clusters join records through pairs at or above the
upper threshold (connected components). Between the two thresholds a pair is for human review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from safeguard.linkage.config import LinkageConfig

LINK = "link"
REVIEW = "review"


@dataclass(frozen=True)
class Prediction:
    """Scored pairs (`unique_id_l`, `unique_id_r`, `match_weight`, `match_probability`,
    `decision`, and `gamma_`/`bf_` columns per comparison) and clusters (`unique_id`,
    `cluster_id`) for every record, linked or not."""

    pairs: pa.Table
    clusters: pa.Table


def score(linker: Linker, config: LinkageConfig | None = None) -> pa.Table:
    """Score all blocked pairs and keep those at or above `lower`, with their `decision`."""
    config = config or LinkageConfig()
    return decide(_arrow(_scored(linker, config)), config.upper)


def _scored(linker: Linker, config: LinkageConfig) -> SplinkDataFrame:
    # levels too rare to train keep their defaults; training.json lists them
    return linker.inference.predict(threshold_match_probability=config.lower, warning_mode="never")


def predict(linker: Linker, config: LinkageConfig | None = None) -> Prediction:
    """Score all blocked pairs, keep those at or above `lower`, cluster at `upper` (Splink's
    connected components, without decisions; the hub's people come from `identity`)."""
    config = config or LinkageConfig()
    scored = _scored(linker, config)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        scored, threshold_match_probability=config.upper
    )
    pairs = decide(_arrow(scored), config.upper)
    clusters = _arrow(clustered).select(["unique_id", "cluster_id"])
    return Prediction(pairs, clusters)


def predict_new(linker: Linker, existing: pa.Table, arriving: pa.Table, lower: float) -> pa.Table:
    """Score only pairs that involve an `arriving` record: each against the `existing` records
    (Splink's `predict_between`) and against each other (`predict_within`), with term
    frequencies from the linker's records (all of them). Pairs are returned with
    `unique_id_l < unique_id_r`, as a full prediction gives them, and with the same columns."""
    for column in tf_columns(linker.misc.save_model_to_json()):
        linker.table_management.compute_tf_table(column)
    tables = linker.table_management
    existing_frame = tables.register_table(existing, "existing", overwrite=True)
    arriving_frame = tables.register_table(arriving, "arriving", overwrite=True)
    inference = linker.inference
    between = inference.predict_between(
        existing_frame, arriving_frame, threshold_match_probability=lower, warning_mode="never"
    )
    within = inference.predict_within(
        arriving_frame, threshold_match_probability=lower, warning_mode="never"
    )
    scored = pa.concat_tables([_arrow(between), _arrow(within)], promote_options="default")
    return _result(_ordered(scored.column_names), {"pairs": scored})


def _ordered(columns: list[str]) -> str:
    """SQL giving `pairs` with each pair's `_l` and `_r` columns swapped where the left id is
    the larger, so pairs have one order."""

    def other(name: str) -> str:
        for this, that in (("_l", "_r"), ("_r", "_l")):
            if name.endswith(this) and name[: -len(this)] + that in columns:
                return name[: -len(this)] + that
        return name

    swapped = ", ".join(f'"{other(c)}" as "{c}"' for c in columns)
    kept = ", ".join(f'"{c}"' for c in columns)
    return (
        f"select {kept} from pairs where unique_id_l < unique_id_r "  # noqa: S608
        f"union all select {swapped} from pairs where unique_id_l > unique_id_r"
    )


def tf_columns(model: dict[str, Any]) -> list[str]:
    """The columns the saved model adjusts for term frequency."""
    found = {
        level["tf_adjustment_column"]
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    return sorted(found)


def decide(pairs: pa.Table, upper: float) -> pa.Table:
    """Add the `decision` column: `link` at or above `upper`, else `review`."""
    return _result(
        "select *, case when match_probability >= $upper then 'link' else 'review' end "
        "as decision from pairs order by match_weight desc, unique_id_l, unique_id_r",
        {"pairs": pairs, "upper": upper},
    )


def review_pairs(prediction: Prediction) -> pa.Table:
    """Pairs for human review whose records the automatic links have not already joined."""
    return _result(
        """
        select p.* from pairs p
        join clusters l on l.unique_id = p.unique_id_l
        join clusters r on r.unique_id = p.unique_id_r
        where p.decision = 'review' and l.cluster_id <> r.cluster_id
        """,
        {"pairs": prediction.pairs, "clusters": prediction.clusters},
    )


def _arrow(frame: SplinkDataFrame) -> pa.Table:
    return frame.as_pyarrow_table()  # type: ignore[no-untyped-call]


def _result(sql: str, inputs: dict[str, Any]) -> pa.Table:
    """Run `sql` over Arrow tables (registered by name) and scalar parameters ($name)."""
    con = duckdb.connect()
    try:
        params = {}
        for name, value in inputs.items():
            if isinstance(value, pa.Table):
                con.register(name, value)
            else:
                params[name] = value
        relation = con.sql(sql, params=params or None)
        assert relation is not None
        return relation.to_arrow_table()
    finally:
        con.close()

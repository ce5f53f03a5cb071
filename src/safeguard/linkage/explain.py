"""Explain a link: for a pair of records, each comparison's level and match weight.

A pair's match weight is the prior's weight plus one weight per comparison (log2 of the level's
Bayes factor, plus any term-frequency adjustment), so the parts add up to the pair's score.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from safeguard.linkage.saved import Saved


@dataclass(frozen=True)
class ComparisonWeight:
    """One comparison's part in a pair's score."""

    comparison: str
    level: str
    gamma: int
    match_weight: float
    tf_adjustment_weight: float


@dataclass(frozen=True)
class Explanation:
    """Why two records scored as they did: prior, comparisons, total and probability."""

    unique_id_l: str
    unique_id_r: str
    prior_weight: float
    comparisons: list[ComparisonWeight]
    match_weight: float
    match_probability: float


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """{comparison: {gamma: label}} from a saved model: the null level is -1, the others count
    down to 0 (the last, "else" level)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        values = {}
        gamma = sum(1 for lv in levels if not lv.get("is_null_level")) - 1
        for lv in levels:
            label = lv.get("label_for_charts") or lv["sql_condition"]
            if lv.get("is_null_level"):
                values[-1] = label
            else:
                values[gamma] = label
                gamma -= 1
        labels[comparison["output_column_name"]] = values
    return labels


def _number(value: Any) -> float:
    return 0.0 if value is None else float(value)


def explain_row(row: dict[str, Any], model: dict[str, Any]) -> Explanation:
    """Explain one scored pair (a row of `Prediction.pairs`, or of Splink's prediction with
    intermediate columns) under `model` (the saved model dictionary). Splink names the parts
    `gamma_<comparison>` (level), `mw_<comparison>` and `mw_tf_adj_<comparison>` (weights)."""
    parts = []
    for name, levels in level_labels(model).items():
        gamma = int(row[f"gamma_{name}"])
        tf = _number(row.get(f"mw_tf_adj_{name}"))
        weight = _number(row[f"mw_{name}"]) + tf
        parts.append(ComparisonWeight(name, levels.get(gamma, str(gamma)), gamma, weight, tf))
    prior = model["probability_two_random_records_match"]
    return Explanation(
        unique_id_l=str(row["unique_id_l"]),
        unique_id_r=str(row["unique_id_r"]),
        prior_weight=math.log2(prior / (1 - prior)),
        comparisons=parts,
        match_weight=float(row["match_weight"]),
        match_probability=float(row["match_probability"]),
    )


def explain_pair(linker: Linker, people: pa.Table, left: str, right: str) -> Explanation:
    """Score and explain any two records of `people` by unique id, blocked together or not."""
    records = []
    for uid in (left, right):
        found = people.filter(pc.equal(people["unique_id"], uid)).to_pylist()
        if not found:
            raise KeyError(f"no record {uid!r}")
        records.append(found[0])
    scored = linker.inference.score_pair(records[0], records[1]).as_record_list()
    model = linker.misc.save_model_to_json()
    return explain_row(scored[0], model)


#: The prepared columns shown beside an explanation, in the order a person reads a record.
SHOWN = (
    "agency",
    "record_id",
    "forename1",
    "forenames_other",
    "surname",
    "dob",
    "dob_year",
    "sex",
    "nhs_number",
    "upn",
    "pnc_id",
    "address",
    "postcode",
    "phone",
    "email",
)


def explain_saved(folder: Path, left: str, right: str) -> tuple[Explanation, list[dict[str, Any]]]:
    """Explain two records of the last linkage run in `folder` (its model, records and pairs):
    the stored scores when the pair was scored, else the pair scored now. Also returns the two
    records' prepared values (`SHOWN`). Raises KeyError for a record not in the run."""
    saved = Saved(folder)
    pair = saved.records(SHOWN, ids=[left, right])
    shown = []
    for uid in (left, right):
        found = pair.filter(pc.equal(pair["unique_id"], uid))
        if found.num_rows == 0:
            raise KeyError(f"no record {uid!r} in the last linkage run")
        shown.append({"unique_id": uid, **{c: found[c][0].as_py() for c in SHOWN}})
    model = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    a, b = sorted((left, right))
    pairs = saved.pairs(between=(a, b))
    if pairs.num_rows:
        return explain_row(pairs.to_pylist()[0], model), shown
    from safeguard.linkage.model import linker_for

    records = saved.records()  # all of them: term frequencies come from the whole run
    return explain_pair(linker_for(records, model), records, a, b), shown


@dataclass(frozen=True)
class LevelWeight:
    """One level of a comparison as the model learnt it: m (how often records of the same
    person fall in it), u (how often records of two people do) and the match weight
    log2(m / u) a pair in it adds; `fixed` when m was set, not learnt (`None`: never seen in
    training, so Splink's default is used)."""

    comparison: str
    level: str
    m: float | None
    u: float | None
    match_weight: float | None
    fixed: bool


def model_levels(model: dict[str, Any]) -> tuple[float, list[LevelWeight]]:
    """What a saved model learnt: the prior's match weight and every comparison level's m, u
    and match weight, in the order pairs are tried (most alike first); null levels (no
    evidence either way) are left out."""
    prior = model["probability_two_random_records_match"]
    levels = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(
                LevelWeight(
                    comparison["output_column_name"],
                    level.get("label_for_charts") or level["sql_condition"],
                    m,
                    u,
                    weight,
                    bool(level.get("fix_m_probability")),
                )
            )
    return math.log2(prior / (1 - prior)), levels


def describe_model(model: dict[str, Any]) -> list[str]:
    """`model_levels` as lines of text a person can read: the prior, then each comparison with
    its levels, m, u and match weight. A pair's score is the prior's weight plus one level's
    weight per comparison; a level whose weight is low where the records mostly agree is
    where recall is lost."""
    prior_weight, levels = model_levels(model)
    prior = model["probability_two_random_records_match"]
    lines = [
        f"prior: probability two random records match {prior:.3g} "
        f"(match weight {prior_weight:+.2f})",
        f"{'comparison':<16} {'level':<40} {'m':>9} {'u':>9} {'weight':>7}",
    ]
    for level in levels:
        m = "-" if level.m is None else f"{level.m:.3g}"
        u = "-" if level.u is None else f"{level.u:.3g}"
        weight = "-" if level.match_weight is None else f"{level.match_weight:+.2f}"
        note = " (m fixed)" if level.fixed else " (not trained)" if level.m is None else ""
        lines.append(
            f"{level.comparison:<16} {level.level[:40]:<40} {m:>9} {u:>9} {weight:>7}{note}"
        )
    return lines

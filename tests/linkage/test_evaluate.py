"""Evaluation metrics on hand-made cases small enough to check by hand."""

from __future__ import annotations

import math

import pyarrow as pa

from safeguard.linkage import evaluate

TRUTH = evaluate.truth_table({"a": "P1", "b": "P1", "c": "P1", "d": "P2", "e": "P3"})


def _clusters(mapping: dict[str, str]) -> pa.Table:
    return pa.table({"unique_id": list(mapping), "cluster_id": list(mapping.values())})


def test_perfect_clusters_score_one() -> None:
    s = evaluate.score(_clusters({"a": "1", "b": "1", "c": "1", "d": "2", "e": "3"}), TRUTH)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert (s.bcubed_precision, s.bcubed_recall) == (1.0, 1.0)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (3, 3, 3)


def test_a_false_merge_costs_precision_only() -> None:
    s = evaluate.score(_clusters({"a": "1", "b": "1", "c": "1", "d": "1", "e": "3"}), TRUTH)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (3, 6, 3)
    assert s.precision == 0.5 and s.recall == 1.0
    assert math.isclose(s.f1, 2 / 3)
    # a, b, c: 3/4 each; d: 1/4; e: 1 -> (9/4 + 1/4 + 1) / 5
    assert math.isclose(s.bcubed_precision, 3.5 / 5)
    assert s.bcubed_recall == 1.0


def test_a_missed_link_costs_recall_only() -> None:
    s = evaluate.score(_clusters({"a": "1", "b": "1", "c": "2", "d": "3", "e": "4"}), TRUTH)
    assert s.precision == 1.0 and math.isclose(s.recall, 1 / 3)
    # a, b: 2/3 each; c: 1/3; d, e: 1 -> (4/3 + 1/3 + 2) / 5
    assert math.isclose(s.bcubed_recall, (4 / 3 + 1 / 3 + 2) / 5)
    assert s.bcubed_precision == 1.0


def test_worst_errors_name_their_records() -> None:
    clusters = _clusters({"a": "1", "b": "1", "c": "2", "d": "1", "e": "3"})
    errors = evaluate.worst_errors(clusters, TRUTH).to_pylist()
    kinds = {(e["error"], tuple(e["unique_ids"])) for e in errors}
    assert kinds == {("false merge", ("a", "b", "d")), ("missed link", ("a", "b", "c"))}
    people = pa.table({"unique_id": ["a", "b", "c", "d", "e"], "surname": list("vwxyz")})
    listed = evaluate.error_records(evaluate.worst_errors(clusters, TRUTH), people)
    assert sorted(listed.column("unique_id").to_pylist()) == ["a", "a", "b", "b", "c", "d"]

"""Linkage quality on a small synthetic partnership: a regression bar, not a timing test."""

from __future__ import annotations

import math

from safeguard.linkage import evaluate, explain, model, predict
from tests.linkage.conftest import Linked


def test_pairwise_f1_holds_the_bar(linked: Linked) -> None:
    scores = evaluate.score(linked.prediction.clusters, linked.truth)
    assert scores.records == linked.people.num_rows
    assert scores.f1 >= 0.97, scores
    assert scores.bcubed_precision >= 0.98 and scores.bcubed_recall >= 0.98, scores


def test_every_record_has_a_cluster(linked: Linked) -> None:
    assert linked.prediction.clusters.num_rows == linked.people.num_rows


def test_decisions_follow_the_thresholds(linked: Linked) -> None:
    rows = linked.prediction.pairs.select(["match_probability", "decision"]).to_pylist()
    assert rows
    for row in rows:
        assert row["match_probability"] >= 0.5
        expected = predict.LINK if row["match_probability"] >= 0.99 else predict.REVIEW
        assert row["decision"] == expected


def test_saved_model_reloads_and_predicts_the_same(linked: Linked) -> None:
    again = predict.predict(model.load(linked.people, linked.folder))
    assert again.pairs.num_rows == linked.prediction.pairs.num_rows
    before = linked.prediction.pairs.column("match_weight").to_pylist()
    after = again.pairs.column("match_weight").to_pylist()
    assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(before, after, strict=True))
    report = model.load_report(linked.folder)
    assert report.records == linked.people.num_rows
    assert {c["comparison"] for c in report.comparisons} >= {"forename", "date_of_birth"}


def test_explanation_adds_up_to_the_score(linked: Linked) -> None:
    row = linked.prediction.pairs.slice(0, 1).to_pylist()[0]
    saved = (linked.folder / model.MODEL_FILE).read_text(encoding="utf-8")
    import json

    why = explain.explain_row(row, json.loads(saved))
    names = [c.comparison for c in why.comparisons]
    assert names[:3] == ["nhs_number", "upn", "pnc_id"] and "location" in names
    total = why.prior_weight + sum(c.match_weight for c in why.comparisons)
    assert math.isclose(total, why.match_weight, abs_tol=1e-6)
    assert all(isinstance(c.level, str) and c.level for c in why.comparisons)


def test_explain_any_pair_even_unblocked(linked: Linked) -> None:
    linker = model.load(linked.people, linked.folder)
    ids = linked.people.column("unique_id").to_pylist()
    why = explain.explain_pair(linker, linked.people, ids[0], ids[-1])
    assert (why.unique_id_l, why.unique_id_r) == (ids[0], ids[-1])
    assert 0 <= why.match_probability <= 1

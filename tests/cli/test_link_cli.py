"""`safeguard link` and `safeguard evaluate linkage` on a small synthetic partnership."""

from __future__ import annotations

import json

from safeguard.synthetic import generate


def test_link_then_evaluate_against_the_truth(cli, cli_env, tmp_path):
    partnership = tmp_path / "partnership"
    generate(partnership, children=400, seed=3)
    assert cli(cli_env, "ingest", str(partnership)).returncode == 0

    assert cli(cli_env, "evaluate", "linkage", "--truth", str(partnership)).returncode == 2
    first = cli(cli_env, "link", "--json")
    assert first.returncode == 0, first.stderr
    run = json.loads(first.stdout)
    assert run["trained"] is True and run["records"] > run["people"] > 0

    second = json.loads(cli(cli_env, "link", "--json").stdout)
    assert second["trained"] is False  # the saved model is reused
    assert second["people"] == run["people"]

    result = cli(cli_env, "evaluate", "linkage", "--truth", str(partnership / "truth"), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["records"] == run["records"]
    assert scores["pairwise"]["f1"] >= 0.95
    assert scores["bcubed"]["precision"] >= 0.95 and scores["bcubed"]["recall"] >= 0.95
    unknown = cli(cli_env, "link", "--backend", "nope")
    assert unknown.returncode == 2 and "unknown linkage backend 'nope'" in unknown.stderr

    # the same model on Spark gives the same people, who keep their ids
    spark = cli(cli_env, "link", "--backend", "spark", "--json")
    assert spark.returncode == 0, spark.stderr
    on_spark = json.loads(spark.stdout)
    assert on_spark["mode"] == "full" and on_spark["trained"] is False
    assert on_spark["people"] == run["people"] and on_spark["events"] == 0

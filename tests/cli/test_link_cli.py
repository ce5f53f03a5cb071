"""`safeguard link` and `safeguard evaluate linkage` on a small synthetic partnership."""

from __future__ import annotations

import json

from safeguard.synthetic import generate


def test_link_then_evaluate_against_the_truth(cli, operator_env, tmp_path):
    partnership = tmp_path / "partnership"
    generate(partnership, children=400, seed=3)
    assert cli(operator_env, "ingest", str(partnership)).returncode == 0

    assert cli(operator_env, "evaluate", "linkage", "--truth", str(partnership)).returncode == 2
    before = cli(operator_env, "analyse")
    assert before.returncode == 2 and "run `safeguard link` first" in before.stderr
    first = cli(operator_env, "link", "--json")
    assert first.returncode == 0, first.stderr
    run = json.loads(first.stdout)
    assert run["trained"] is True and run["records"] > run["people"] > 0

    second = json.loads(cli(operator_env, "link", "--json").stdout)
    assert second["trained"] is False  # the saved model is reused
    assert second["people"] == run["people"]

    result = cli(
        operator_env, "evaluate", "linkage", "--truth", str(partnership / "truth"), "--json"
    )
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["records"] == run["records"]
    assert scores["pairwise"]["f1"] >= 0.95
    assert scores["bcubed"]["precision"] >= 0.95 and scores["bcubed"]["recall"] >= 0.95

    # screening every linked child, then measuring it against the planted victims
    analysed = cli(operator_env, "analyse", "--as-of", "2026-10-31", "--json")
    assert analysed.returncode == 0, analysed.stderr
    summary = json.loads(analysed.stdout)
    assert summary["children_screened"] > 0 and summary["evidence"] > 0
    assert summary["catalogue"].startswith("Safeguard default")
    assert sum(summary["bands"].values()) == summary["children_screened"]
    assert cli(operator_env, "analyse", "--as-of", "31/10/2026").returncode == 2
    assert summary["run"] >= 1 and set(summary["findings"]) == {
        "adult",
        "group",
        "object",
        "place",
        "community",
    }

    # a child's screening with its evidence; a practitioner's level kept beside it
    import pyarrow.parquet as pq

    screened = pq.read_table(tmp_path / "data" / "intelligence" / "screenings.parquet")
    person = str(max(screened.to_pylist(), key=lambda r: r["score"])["person_id"])
    mash = {**operator_env, "SAFEGUARD_OPERATOR": "mash"}
    refused = cli(operator_env, "screening", "show", person, "--json")
    assert refused.returncode == 3  # the operator analyses, but reads no child's screening
    shown = cli(mash, "screening", "show", person, "--json")
    assert shown.returncode == 0, shown.stderr
    screening = json.loads(shown.stdout)
    assert screening["reasons"] and all(r["records"] for r in screening["reasons"])
    confirmed = cli(
        mash,
        "screening",
        "confirm",
        person,
        "--band",
        "moderate",
        "--reason",
        "seen at home visit",
    )
    assert confirmed.returncode == 0, confirmed.stderr
    again = json.loads(cli(mash, "screening", "show", person, "--json").stdout)
    assert again["decisions"][0]["band"] == "moderate"
    assert again["proposed_band"] == screening["proposed_band"]
    bad = cli(mash, "screening", "confirm", person, "--band", "red", "--reason", "x")
    assert bad.returncode == 2 and "not a band" in bad.stderr
    recorded = cli(
        mash,
        "screening",
        "record",
        person,
        "--indicator",
        "unexplained_gifts",
        "--seen-on",
        "2026-10-20",
        "--note",
        "new phone, will not say from whom",
    )
    assert recorded.returncode == 0, recorded.stderr
    assert cli(operator_env, "analyse", "--as-of", "2026-10-31").returncode == 0
    counted = json.loads(cli(mash, "screening", "show", person, "--json").stdout)
    gifts = [r for r in counted["reasons"] if r["code"] == "unexplained_gifts"]
    assert gifts and any(r.startswith("hub:practitioner:") for r in gifts[0]["records"])
    assert counted["score"] >= screening["score"]

    # findings: listed, shown with evidence, disposed with a reason
    listed = cli(mash, "findings", "list", "--status", "all", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == sum(summary["findings"].values()) or len(rows) == 20
    assert rows, "the partnership should give at least one finding"
    key = rows[0]["id"]
    detail = json.loads(cli(mash, "findings", "show", key, "--json").stdout)
    assert detail["evidence"] and all(e["record_id"] for e in detail["evidence"])
    done = cli(
        mash,
        "findings",
        "dispose",
        key,
        "--status",
        "explained",
        "--reason",
        "school transport",
    )
    assert done.returncode == 0, done.stderr
    still_open = cli(mash, "findings", "list", "--json").stdout
    assert key not in still_open
    after = json.loads(cli(mash, "findings", "show", key, "--json").stdout)
    assert after["status"] == "explained" and after["history"][0]["by"] == "mash"
    alerts = cli(mash, "missing", "list", "--json")
    assert alerts.returncode == 0, alerts.stderr
    listed_alerts = [json.loads(line) for line in alerts.stdout.splitlines()]
    assert len(listed_alerts) == min(50, sum(summary["missing_alerts"].values()))
    assert all(a["records"] for a in listed_alerts)
    missing_id = cli(mash, "findings", "show", "adult-none")
    assert missing_id.returncode == 2 and "no finding" in missing_id.stderr
    measured = cli(operator_env, "evaluate", "intelligence", "--truth", str(partnership), "--json")
    assert measured.returncode == 0, measured.stderr
    figures = json.loads(measured.stdout)
    for view in ("joined_up", "siloed"):
        for key in (
            "victim_recall",
            "victim_precision",
            "network_recall",
            "trap_false_flags",
            "median_lead_time_days",
        ):
            assert key in figures[view], (view, key)
    assert figures["joined_up"]["victim_recall"] >= figures["siloed"]["victim_recall"]
    paired = figures["joined_up"]["against_siloed"]["best_agency"]
    assert (
        paired["victims_both"] + paired["victims_joined_only"]
        == (figures["joined_up"]["victims_found"])
    )
    assert (
        paired["victims_both"] + paired["victims_siloed_only"]
        == (figures["siloed"]["victims_found"])
    )
    assert figures["siloed"]["agency"] in figures["siloed"]["agencies"]
    wrong = cli(operator_env, "evaluate", "intelligence", "--truth", str(tmp_path))
    assert wrong.returncode == 2 and "not a synthetic truth folder" in wrong.stderr

    unknown = cli(operator_env, "link", "--backend", "nope")
    assert unknown.returncode == 2 and "unknown linkage backend 'nope'" in unknown.stderr

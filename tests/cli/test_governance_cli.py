"""`safeguard governance`: the demo's filled-in review, the action plan on the command line,
and Ofsted judgements imported with every refused row named and the counts reconciled."""

from __future__ import annotations

import json


def test_the_demo_review_and_the_ofsted_import(cli, cli_env, tmp_path):
    demo = {**cli_env, "SAFEGUARD_DEMO": "true"}
    assert cli(cli_env, "--as", "strategic", "governance", "demo").returncode == 2  # demo only
    assert cli(demo, "users", "demo", "--quiet").returncode == 0
    made = cli(demo, "--as", "strategic", "governance", "demo")
    assert made.returncode == 0, made.stderr
    assert "signed off" in made.stdout and "6 actions (2 overdue, 1 done)" in made.stdout
    again = cli(demo, "--as", "strategic", "governance", "demo")
    assert "nothing added" in again.stdout

    listed = cli(demo, "--as", "agency-lead", "governance", "actions", "--view", "open", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 5 and {r["agency"] for r in rows} == {"cheshire-police"}
    assert sum(r["standing"] == "overdue" for r in rows) == 2

    csv = tmp_path / "ofsted.csv"
    csv.write_text(
        "Local authority,Inspection end date,Overall effectiveness\n"
        "Halton,2019-02-01,Good\n"
        "Warrington,2012-05-01,Requires improvement\n"
        "Cheshire East,2015-10-16,3\n"
    )
    whole = cli(demo, "--as", "strategic", "governance", "ofsted-import", str(csv))
    assert whole.returncode == 2
    assert "line 3: Requires improvement to be good is not on the scale before" in whole.stderr
    part = cli(demo, "--as", "strategic", "governance", "ofsted-import", str(csv), "--partial")
    assert part.returncode == 0, part.stderr
    assert "read 3 rows: 2 added, 0 held already, 1 refused" in part.stdout
    twice = cli(demo, "--as", "strategic", "governance", "ofsted-import", str(csv), "--partial")
    assert "0 added, 2 held already, 1 refused" in twice.stdout
    lead = cli(demo, "--as", "agency-lead", "governance", "ofsted-import", str(csv))
    assert lead.returncode == 3  # a strategic lead's work

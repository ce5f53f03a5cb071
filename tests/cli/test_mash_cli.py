"""`safeguard mash`: the demo's week played through the services on a small partnership, the
queue from the command line under the policy, and the clocks' watch."""

from __future__ import annotations

import json

from safeguard.synthetic import generate


def test_the_demo_week_fills_the_queue_and_the_watch_alerts_once(cli, cli_env, tmp_path):
    demo = {**cli_env, "SAFEGUARD_DEMO": "true"}
    assert cli(cli_env, "mash", "demo-week").returncode == 2  # demo mode only
    assert cli(demo, "users", "demo", "--quiet").returncode == 0
    operator = {**demo, "SAFEGUARD_OPERATOR": "operator"}
    partnership = tmp_path / "partnership"
    generate(partnership, children=400, seed=3)
    assert cli(operator, "ingest", str(partnership)).returncode == 0
    assert cli(operator, "link").returncode == 0
    week = cli(demo, "mash", "demo-week", "--days", "60")
    assert week.returncode == 0, week.stderr
    assert "decided" in week.stdout and "code" in week.stdout

    queued = cli(operator, "--as", "mash", "mash", "queue", "--status", "all", "--json")
    assert queued.returncode == 0, queued.stderr
    rows = [json.loads(line) for line in queued.stdout.splitlines()]
    assert rows and all(r["reference"].startswith("MASH-") for r in rows)
    assert {r["status"] for r in rows} & {"decided"}
    assert any(r["person"] for r in rows)  # delivered contacts name people the hub knows
    assert cli(operator, "mash", "queue").returncode == 3  # the operator reads no child

    first = cli(demo, "watch")
    assert first.returncode == 0, first.stderr
    again = json.loads(cli(demo, "watch").stdout)
    assert again["mash_overdue"]["newly_told"] == 0  # told once per due time
    trail = cli(demo, "users", "add", "aud", "--agency", "x", "--role", "auditor")
    assert trail.returncode == 0, trail.stderr
    events = [
        json.loads(line)
        for line in cli(
            demo, "--as", "aud", "audit", "--limit", "5000", "--json"
        ).stdout.splitlines()
    ]
    kinds = {(e["action"], e["channel"]) for e in events}
    assert {
        ("contact_received", "cli"),
        ("contact_rated", "cli"),
        ("checks_requested", "cli"),
        ("check_answered", "cli"),
        ("contact_decided", "cli"),
        ("concern_reported", "web"),
        ("viewed_list", "cli"),
    } <= kinds

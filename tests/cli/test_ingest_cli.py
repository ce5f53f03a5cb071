"""`safeguard ingest` and `safeguard quarantine` as a user runs them."""

from __future__ import annotations

import json

PEOPLE = "record_id,forenames,surname,date_of_birth\nP1,Amy,Lee,2010-01-02\nP2,Bo,Ng,not a date\n"


def test_ingest_json_reconciles_and_exit_code_says_quarantine(cli, operator_env, write_delivery):
    folder = write_delivery(files={"people.csv": PEOPLE})
    result = cli(operator_env, "ingest", str(folder), "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    (f,) = report["files"]
    assert {k: f[k] for k in ("path", "kind", "read", "accepted", "quarantined")} == {
        "path": "people.csv",
        "kind": "people",
        "read": 2,
        "accepted": 1,
        "quarantined": 1,
    }
    assert report["totals"] == {"read": 2, "accepted": 1, "quarantined": 1}

    again = cli(operator_env, "ingest", str(folder))
    assert again.returncode == 0
    assert "already ingested" in again.stdout and "nothing changed" in again.stdout

    listing = cli(operator_env, "quarantine", "list", "--json")
    (row,) = [json.loads(line) for line in listing.stdout.splitlines()]
    assert row["file"] == "people.csv" and row["row"] == 3
    assert row["problems"][0]["field"] == "date_of_birth"
    shown = cli(operator_env, "quarantine", "show", str(row["id"]))
    assert shown.returncode == 0
    assert "not a date" in shown.stdout and "'Bo'" in shown.stdout
    assert cli(operator_env, "quarantine", "show", "999999").returncode == 2


def test_clean_ingest_exits_zero_and_prints_counts(cli, operator_env, write_delivery):
    folder = write_delivery(files={"people.csv": PEOPLE.replace("not a date", "2011")})
    result = cli(operator_env, "ingest", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "loaded 2 of 2 rows" in result.stdout


def test_rejected_delivery_exits_two_with_the_reason(cli, operator_env, write_delivery, tmp_path):
    folder = write_delivery(files={"people.csv": b"record_id,surname\nP1,Zo\xe9\n"})
    result = cli(operator_env, "ingest", str(folder), "--json")
    assert result.returncode == 2
    (f,) = json.loads(result.stdout)["files"]
    assert "not UTF-8" in f["error"]
    missing = cli(operator_env, "ingest", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stdout


def test_contract_command_prints_every_kind(cli, operator_env):
    from safeguard.contract import KINDS

    result = cli(operator_env, "contract")
    assert result.returncode == 0
    for name in KINDS:
        assert name in result.stdout


def test_a_homes_delivery_fills_the_childrens_homes_table(cli, operator_env, write_delivery):
    homes = (
        "record_id,name,town,postcode,council_area,provider\n"
        "H1,Oak House,Crewe,CW1 2AB,cheshire_east,Acorn Care\n"
        "H2,Elm Lodge,Runcorn,WA7 1AA,halton,Acorn Care\n"
    )
    manifest = {"agency": "childrens-homes", "agency_name": "Children's homes"}
    first = write_delivery("d1", files={"care_homes.csv": homes}, manifest=manifest)
    result = cli(operator_env, "ingest", str(first), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["childrens_homes"] == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
    }

    moved = homes.replace("WA7 1AA", "WA7 2BB")
    later = {**manifest, "extract_date": "2026-11-30", "period_end": "2026-11-30"}
    second = write_delivery("d2", files={"care_homes.csv": moved}, manifest=later)
    again = cli(operator_env, "ingest", str(second))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Children's homes: 0 added, 1 updated" in again.stdout

"""Human decisions through the CLI: review list, explain, decide, split, refusals, stable ids."""

from __future__ import annotations

import json

import pytest

from safeguard.synthetic import generate


def _json(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _people(cli, env, person):
    return _json(cli(env, "people", "show", str(person), "--json"))


def test_decisions_are_honoured_recorded_and_checked(cli, operator_env, tmp_path):
    """One linked partnership (linking is the slow part), then each rule in turn, as a
    MASH manager (the operator links; the manager decides)."""
    linked = _link(cli, operator_env, tmp_path)
    env = {**operator_env, "SAFEGUARD_OPERATOR": "mash"}
    _review_confirm_then_reject(cli, env, linked)
    _contradiction_refused(cli, env, linked)
    _split_stays_split(cli, env, linked)
    _bad_decisions_refused(cli, env, linked)


def _link(cli, env, tmp_path):
    partnership = tmp_path / "partnership"
    generate(partnership, children=400, seed=3)
    assert cli(env, "ingest", str(partnership)).returncode == 0
    return _json(cli(env, "link", "--json"))


def _pair_explained(cli, env, left, right):
    return _json(cli(env, "explain", left, right, "--json"))


def _review_confirm_then_reject(cli, env, linked):
    assert linked["mode"] == "full" and linked["new_people"] == linked["people"]
    queue = [
        json.loads(line)
        for line in cli(env, "review", "list", "--json", "--limit", "5").stdout.splitlines()
    ]
    assert queue, "the small partnership has pairs between the thresholds"
    left, right = queue[0]["unique_id_l"], queue[0]["unique_id_r"]

    # explain: the prior and the comparisons' weights add up to the pair's match weight
    why = _pair_explained(cli, env, left, right)
    total = why["prior_weight"] + sum(c["match_weight"] for c in why["comparisons"])
    assert total == pytest.approx(why["match_weight"], abs=1e-6)
    assert [r["unique_id"] for r in why["records"]] == [left, right]

    # confirm the pair: the two people become one, keeping the older id, with the reason
    ids_before = {uid: _people(cli, env, uid)["person"] for uid in (left, right)}
    people_before = json.loads(cli(env, "--as", "operator", "link", "--json").stdout)["people"]
    same = cli(env, "review", "decide", left, right, "--same", "--reason", "same GP")
    assert same.returncode == 0, same.stderr
    assert "merged" in same.stdout and "by mash" in same.stdout
    again = _json(cli(env, "--as", "operator", "link", "--json"))
    assert again["mode"] == "unchanged" and again["people"] == people_before - 1
    listed = cli(env, "review", "list", "--json", "--limit", "100").stdout
    assert f'"{left}", "unique_id_r": "{right}"' not in listed

    # the same pair said to be different: split again, the record gets a new id, and the
    # decision is the recorded reason
    different = cli(env, "review", "decide", right, left, "--different", "--reason", "twins")
    assert different.returncode == 0, different.stderr
    assert "split" in different.stdout and "twins" in different.stdout
    # undoing the merge gives both people their ids back
    assert {uid: _people(cli, env, uid)["person"] for uid in (left, right)} == ids_before


def _person_with(cli, env, people, at_least):
    for person in range(1, people + 1):
        records = _people(cli, env, person)["records"]
        if len(records) >= at_least:
            return person, records
    pytest.fail(f"no person with {at_least} records")


def _contradiction_refused(cli, env, linked):
    person, records = _person_with(cli, env, linked["people"], 2)
    other = next(r for r in _people(cli, env, person + 1)["records"])
    a, b = records[:2]
    ok = cli(env, "review", "decide", a, other, "--different", "--reason", "twins")
    assert ok.returncode == 0, ok.stderr
    # b is the same person as a, so b = other would join a and other: refused, nothing changes
    refused = cli(env, "review", "decide", b, other, "--same", "--reason", "x")
    assert refused.returncode == 2
    assert "refused" in refused.stderr and "twins" in refused.stderr
    assert _people(cli, env, person)["records"] == records


def _split_stays_split(cli, env, linked):
    person, records = _person_with(cli, env, linked["people"], 3)
    leaving = records[0]
    done = cli(env, "review", "split", str(person), leaving, "--reason", "wrong merge")
    assert done.returncode == 0, done.stderr
    after = _people(cli, env, person)
    assert after["records"] == records[1:]  # the person keeps their id and other records
    assert after["events"][-1]["kind"] == "split" and "wrong merge" in after["events"][-1]["reason"]

    # a full re-link (every pair scored again) still honours the split and keeps the ids
    full = _json(cli(env, "--as", "operator", "link", "--full", "--json"))
    assert full["mode"] == "full" and full["events"] == 0 and full["new_people"] == 0
    assert _people(cli, env, person)["records"] == records[1:]


def _bad_decisions_refused(cli, env, linked):
    unknown = cli(env, "review", "decide", "x:1", "y:2", "--same", "--reason", "r")
    assert unknown.returncode == 2 and "no linked record x:1, y:2" in unknown.stderr
    records = _people(cli, env, 1)["records"]
    itself = cli(env, "review", "decide", records[0], records[0], "--same", "--reason", "r")
    assert itself.returncode == 2 and "itself" in itself.stderr
    blank = cli(env, "review", "decide", records[0], "z:9", "--same", "--reason", " ")
    assert blank.returncode == 2 and "reason" in blank.stderr
    whole = cli(env, "review", "split", "1", *records, "--reason", "r")
    assert whole.returncode == 2 and "every record" in whole.stderr
    stranger = cli(env, "review", "split", "1", "nope:1", "--reason", "r")
    assert stranger.returncode == 2 and "not records of P1" in stranger.stderr
    assert cli(env, "people", "show", "999999").returncode == 2
    assert cli(env, "explain", records[0], "nope:1").returncode == 2
    # the operator links people but may not decide them, nor read a child's history
    operator = cli(
        env, "--as", "operator", "review", "decide", "x:1", "y:2", "--same", "--reason", "r"
    )
    assert operator.returncode == 3 and "may not decide_link" in operator.stderr
    assert cli(env, "--as", "operator", "people", "show", "1").returncode == 3
    installation = {k: v for k, v in env.items() if k != "SAFEGUARD_OPERATOR"}
    add = ("users", "add", "aud", "--agency", "x", "--role", "auditor", "--json")
    trail = _json(cli(installation, *add))
    assert trail["username"] == "aud"
    events = [
        json.loads(line)
        for line in cli(
            env, "--as", "aud", "audit", "--limit", "1000", "--json"
        ).stdout.splitlines()
    ]
    kinds = {(e["action"], e["username"], e["channel"]) for e in events}
    assert {
        ("delivery_taken", "operator", "cli"),
        ("people_linked", "operator", "cli"),
        ("link_decided", "mash", "cli"),
        ("person_split", "mash", "cli"),
        ("people_linked", "mash", "job"),  # the job each decision queued
        ("explained_pair", "mash", "cli"),
        ("viewed_list", "mash", "cli"),
        ("viewed_person", "mash", "cli"),
        ("refused", "operator", "cli"),
        ("refused", "mash", "cli"),
    } <= kinds

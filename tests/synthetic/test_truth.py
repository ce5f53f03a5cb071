"""The truth files describe exactly what was delivered."""

from __future__ import annotations

from collections import Counter, defaultdict

from safeguard.contract import identifiers as ids

from .conftest import Partnership


def test_records_csv_matches_deliveries(small: Partnership) -> None:
    truth = {(r["agency"], r["kind"], r["record_id"]) for r in small.truth("records.csv")}
    delivered = {
        (a, k, row["record_id"])
        for a in small.agencies
        for k, rows in small.delivery(a).items()
        for row in rows
    }
    assert truth == delivered
    assert len(small.truth("records.csv")) == len(delivered)


def test_every_people_record_is_a_true_person(small: Partnership) -> None:
    persons = {p["person_id"] for p in small.truth("persons.csv")}
    people = [r for r in small.truth("records.csv") if r["kind"] == "people"]
    assert people and all(r["person_id"] in persons for r in people)
    subject = [r for r in small.truth("records.csv") if r["kind"] not in ("people", "care_homes")]
    assert all(r["person_id"] in persons for r in subject)


def test_summary_counts_equal_file_rows(small: Partnership) -> None:
    for agency in small.agencies:
        for kind, rows in small.delivery(agency).items():
            assert small.summary["counts"][agency][kind] == len(rows), (agency, kind)
    total = sum(len(rows) for a in small.agencies for rows in small.delivery(a).values())
    assert small.summary["total_records"] == total


def test_scenario_people_exist_and_are_known_to_two_agencies(small: Partnership) -> None:
    persons = {p["person_id"]: p for p in small.truth("persons.csv")}
    agencies_of: dict[str, set[str]] = defaultdict(set)
    for r in small.truth("records.csv"):
        if r["kind"] == "people":
            agencies_of[r["person_id"]].add(r["agency"])
    for scen in small.scenarios():
        for who in scen["victims"] + scen["perpetrators"]:
            assert who in persons
            assert len(agencies_of[who]) >= 2, (scen["id"], who, agencies_of[who])
        for v in scen["victims"]:
            assert persons[v]["scenario_role"] == "victim"
    summary = small.summary
    assert summary["victims"] == len({v for s in small.scenarios() for v in s["victims"]})


def test_planted_records_follow_onset(small: Partnership) -> None:
    onset = {s["id"]: s["onset"] for s in small.scenarios()}
    planted = Counter(r["scenario_id"] for r in small.truth("records.csv") if r["scenario_id"])
    assert set(planted) == set(onset)
    assert all(
        r["signal"]
        for r in small.truth("records.csv")
        if r["scenario_id"] and r["kind"] not in ("involvements",)
    )


def test_identifiers_are_true_or_deliberately_invalid(small: Partnership) -> None:
    persons = {p["person_id"]: p for p in small.truth("persons.csv")}
    truth_of = {
        (r["agency"], r["record_id"]): r["person_id"]
        for r in small.truth("records.csv")
        if r["kind"] == "people"
    }
    checks = (("nhs_number", ids.nhs_number), ("upn", ids.upn), ("pnc_id", ids.pnc_id))
    for agency in small.agencies:
        for row in small.delivery(agency)["people"]:
            true = persons[truth_of[(agency, row["record_id"])]]
            for field, check in checks:
                raw = row.get(field, "")
                if raw:
                    value = check(raw).value
                    assert value is None or value == check(true[field]).value, (agency, row)

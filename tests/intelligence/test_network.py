"""Network findings on a hand-made POLE graph: who is linked, through what, and what is not."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from safeguard.intelligence import network

ADULT, CHILDREN = "1980-01-01", "2010-06-01"
PERSONS = {  # node: (born, staff, home postcodes)
    "P:man": (ADULT, False, ["CW1 1AA"]),
    "P:dad": (ADULT, False, ["CW2 2BB"]),
    "P:staff": (ADULT, True, ["CW3 3CC"]),
    "P:amy": (CHILDREN, False, ["CW4 4DD"]),
    "P:bea": (CHILDREN, False, ["CW5 5EE"]),
    "P:cat": (CHILDREN, False, ["CW2 2BB"]),
    "P:dan": (CHILDREN, False, ["CW2 2BB"]),
    "P:eve": (CHILDREN, False, ["CW6 6FF"]),
}
EDGES = [  # a, b, relation, day
    ("P:amy", "P:man", "found_with", "2025-03-01"),  # direct
    ("P:bea", "V:AB12CDE", "seen_in_vehicle", "2025-05-01"),  # through his car
    ("P:man", "V:AB12CDE", "named_with", "2025-04-01"),
    ("P:cat", "P:dad", "found_with", "2025-03-01"),  # the household: not a network
    ("P:dan", "P:dad", "found_with", "2025-03-02"),
    ("P:eve", "P:staff", "named_in_contact", "2025-03-01"),  # named in two children's contacts
    ("P:amy", "P:staff", "named_in_contact", "2025-03-01"),
    ("P:amy", "L:CW9 9ZZ", "found_at", "2025-03-01"),  # two children found at one place
    ("P:eve", "L:CW9 9ZZ", "found_at", "2025-06-01"),
]
AT_RISK = ["amy", "bea", "cat", "dan", "eve"]


@pytest.fixture(scope="module")
def found() -> tuple[duckdb.DuckDBPyConnection, list[network.Finding]]:
    con = duckdb.connect()
    con.register(
        "persons_arrow",
        pa.table(
            {
                "node": list(PERSONS),
                "born": [dt.date.fromisoformat(v[0]) for v in PERSONS.values()],
                "staff": [v[1] for v in PERSONS.values()],
                "uid": [f"agency:{n[2:]}" for n in PERSONS],
                "homes": pa.array([v[2] for v in PERSONS.values()], pa.list_(pa.string())),
            }
        ),
    )
    con.execute("create table persons as select * from persons_arrow")
    rows = [
        (
            a,
            b,
            relation,
            dt.datetime.fromisoformat(day),
            "police",
            "sightings",
            f"S{i}",
            network.STRENGTH.get(relation, 1.0),
        )
        for i, (a, b, relation, day) in enumerate(EDGES)
    ]
    names = ["a", "b", "relation", "occurred", "agency", "kind", "record_id", "strength"]
    con.register("edges_arrow", pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)}))
    con.execute("create table edges as select * from edges_arrow")
    con.execute(
        "create table first_flag as select unnest($k) as key, date '2025-06-30' as day",
        {"k": AT_RISK},
    )
    con.execute("create table keyed as select 'x' as key, 'significant' as level where false")
    return con, network.find(con)


def test_an_adult_linked_to_two_at_risk_children_directly_and_through_his_car(found) -> None:
    _, findings = found
    adults = {f.anchor: f for f in findings if f.kind == "adult"}
    assert set(adults) == {"P:man", "P:staff"}
    man = adults["P:man"]
    roles = {m["node"]: m["role"] for m in man.members}
    assert roles == {
        "P:man": "adult",
        "P:amy": "at-risk child",
        "P:bea": "at-risk child",
        "V:AB12CDE": "object",
    }
    cited = {(e["relation"], e["record_id"]) for e in man.evidence}
    assert cited == {("found_with", "S0"), ("seen_in_vehicle", "S1")}
    assert man.first_seen.startswith("2025-03-01") and man.last_seen.startswith("2025-05-01")


def test_households_contacts_and_places(found) -> None:
    _, findings = found
    anchors = {f.anchor for f in findings}
    assert "P:dad" not in anchors  # his own children, at his own address
    staff = next(f for f in findings if f.anchor == "P:staff" and f.kind == "adult")
    assert {e["relation"] for e in staff.evidence} == {"named_in_contact"}
    places = [f for f in findings if f.kind == "place"]
    assert [p.anchor for p in places] == ["L:CW9 9ZZ"] and places[0].at_risk_children == 2


def test_a_group_is_the_adults_and_places_sharing_children(found) -> None:
    _, findings = found
    groups = [f for f in findings if f.kind == "group"]
    # the man (amy, bea) and the staff member (amy, eve) share one child: not a group; the
    # staff member's two children were both found at CW9 9ZZ: one group
    assert [(g.extra["adults"], g.extra["places"]) for g in groups] == [
        (["P:staff"], ["L:CW9 9ZZ"])
    ]
    assert set(groups[0].extra["children"]) == {"P:amy", "P:eve"}
    assert {e["relation"] for e in groups[0].evidence} == {"named_in_contact", "found_at"}


def test_network_evidence_is_dated_when_the_second_child_was_linked(found) -> None:
    con, findings = found
    rows = network.network_evidence(con, findings, "linked_to_network", "significant")
    dated = {r[0]: r[3] for r in rows if "P:man" in r[7]}
    # amy's link came first (March), but the adult was linked to a second child only in May
    assert dated == {"agency:amy": dt.datetime(2025, 5, 1), "agency:bea": dt.datetime(2025, 5, 1)}

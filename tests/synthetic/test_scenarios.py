"""Planted scenarios of every model and the traps around them."""

from __future__ import annotations

from collections import Counter, defaultdict

from safeguard.contract import KINDS, values

from .conftest import Partnership

MODELS = {"boyfriend", "organised", "peer_on_peer", "online", "opportunistic"}


def test_every_model_is_planted(small: Partnership, medium: Partnership) -> None:
    assert {s["model"] for s in small.scenarios()} == MODELS
    models = Counter(s["model"] for s in medium.scenarios())
    assert set(models) == MODELS
    assert 0.2 <= models["peer_on_peer"] / sum(models.values()) <= 0.4


def test_organised_networks_share_people_places_vehicles_and_phones(medium: Partnership) -> None:
    networks = [s for s in medium.scenarios() if s["model"] == "organised"]
    assert networks
    for s in networks:
        assert len(s["victims"]) >= 2 and len(s["perpetrators"]) >= 2
        assert s["places"] and s["phones"]
        assert all(p["postcode"] for p in s["places"])


def test_signals_are_spread_over_agencies_and_follow_onset(medium: Partnership) -> None:
    scenarios = {s["id"]: s for s in medium.scenarios()}
    agencies: dict[str, set[str]] = defaultdict(set)
    rows = {
        (a, k): {r["record_id"]: r for r in rs}
        for a in medium.agencies
        for k, rs in medium.delivery(a).items()
    }
    for r in medium.truth("records.csv"):
        if not r["scenario_id"]:
            continue
        agencies[r["scenario_id"]].add(r["agency"])
        when_field = KINDS[r["kind"]].when
        if when_field:
            raw = rows[(r["agency"], r["kind"])][r["record_id"]][when_field]
            when = values.to_datetime(raw)
            assert (
                when is not None and when.date().isoformat() >= scenarios[r["scenario_id"]]["onset"]
            ), (r, raw)
    assert all(len(a) >= 2 for a in agencies.values())
    signals = Counter(r["signal"] for r in medium.truth("records.csv") if r["scenario_id"])
    for expected in (
        "missing_overnight",
        "found_with_adult",
        "sti",
        "persistent_absence",
        "seen_in_vehicle_with_adult",
        "intelligence_cse",
        "older_boyfriend",
    ):
        assert signals[expected] > 0, expected


def test_traps_are_present(medium: Partnership) -> None:
    persons = medium.truth("persons.csv")
    traps = Counter(t for p in persons for t in p["trap"].split(";") if t)
    for trap in (
        "vulnerable_child",
        "care_home_staff",
        "transport_driver",
        "youth_worker",
        "common_name",
        "twin",
    ):
        assert traps[trap] > 0, trap
        assert medium.summary["traps"][trap] == traps[trap]
    assert not any("vulnerable_child" in p["trap"] and p["scenario_role"] for p in persons)
    common = [p for p in persons if "common_name" in p["trap"]]
    names = Counter((p["forenames"].split()[0], p["surname"]) for p in common)
    assert all(n >= 2 for n in names.values())


def test_legitimate_adults_meet_many_children(medium: Partnership) -> None:
    persons = {p["person_id"]: p for p in medium.truth("persons.csv")}
    truth = {(r["agency"], r["record_id"]): r["person_id"] for r in medium.truth("records.csv")}
    children_of: dict[str, set[str]] = defaultdict(set)
    for agency in ("cheshire-police", "childrens-homes"):
        for row in medium.delivery(agency)["sightings"]:
            child = truth[(agency, row["person_id"])]
            for ref in filter(None, row["with_person_ids"].split(";")):
                children_of[truth[(agency, ref)]].add(child)
    for role in ("transport_driver", "care_home_staff", "youth_worker"):
        best = max(len(children_of[p]) for p, v in persons.items() if v["role"] == role)
        assert best >= 3, role

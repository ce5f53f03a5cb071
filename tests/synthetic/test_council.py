"""The council-led family: the same exploitation, written the way other agencies write it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from safeguard.contract import KINDS
from safeguard.synthetic import generate
from safeguard.synthetic.families import FAMILIES, agencies_for
from safeguard.synthetic.variants import spellings

from . import council_classes as classes
from . import test_contract as contract
from . import test_truth as truth
from .conftest import Partnership, read_delivery
from .test_determinism import _files

MODELS = {"boyfriend", "organised", "peer_on_peer", "online", "opportunistic"}


@pytest.fixture(scope="module")
def view(council: Partnership) -> classes.View:
    return classes.View(council)


def test_same_seed_same_bytes_and_the_family_is_recorded(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", children=600, seed=7, family="council_led")
    generate(tmp_path / "b", children=600, seed=7, family="council_led")
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert a["family"] == "council_led"
    assert FAMILIES == ("police_led", "council_led")


def test_the_families_differ_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    police = generate(tmp_path / "p", children=600, seed=7)
    generate(tmp_path / "c", children=600, seed=7, family="council_led")
    assert police["family"] == "police_led"
    p, c = _files(tmp_path / "p"), _files(tmp_path / "c")
    assert p["truth/scenarios.json"] != c["truth/scenarios.json"]
    assert "cheshire-schools/sightings.csv" in c and "cheshire-schools/sightings.csv" not in p
    with pytest.raises(ValueError, match="unknown family"):
        generate(tmp_path / "x", children=600, family="public_led")


def test_every_model_is_planted_with_the_police_led_shares(council: Partnership) -> None:
    assert {s["model"] for s in council.scenarios()} == MODELS


@pytest.mark.parametrize("agency", [a.code for a in agencies_for("council_led")])
def test_deliveries_keep_to_the_contract(council: Partnership, agency: str) -> None:
    expected = next(a.kinds for a in agencies_for("council_led") if a.code == agency)
    assert set(council.delivery(agency)) == set(expected)
    contract.test_fields_codes_and_values(council, agency)
    contract.test_references_resolve_within_delivery(council, agency)


def test_truth_is_complete(council: Partnership) -> None:
    truth.test_records_csv_matches_deliveries(council)
    truth.test_every_people_record_is_a_true_person(council)
    truth.test_summary_counts_equal_file_rows(council)
    truth.test_scenario_people_exist_and_are_known_to_two_agencies(council)
    truth.test_planted_records_follow_onset(council)
    truth.test_identifiers_are_true_or_deliberately_invalid(council)


def test_evaluate_reads_the_truth_unchanged(council: Partnership) -> None:
    from safeguard.intelligence.evaluate import planted_networks, read_truth

    read = read_truth(council.root / "truth")
    assert read.victims.num_rows == council.summary["victims"]
    assert len(planted_networks(council.scenarios())) >= 3


def test_councils_homes_schools_and_health_hold_most_of_it(view: classes.View) -> None:
    by_agency = classes.agencies_of_planted(view)
    assert by_agency["cheshire-police"] < 0.4 * sum(by_agency.values())
    assert {"councils", "childrens-homes", "cheshire-schools", "cheshire-nhs"} <= set(by_agency)
    referrers = classes.referrers(view)
    assert (
        len({"school", "children's home", "health", "youth service", "public"} & set(referrers))
        >= 4
    )
    police_intel = [
        r
        for r in view.rows("cheshire-police", "intelligence")
        if view.planted("cheshire-police", r)
    ]
    assert len(police_intel) <= len(view.scenarios)


def test_free_text_is_varied(view: classes.View) -> None:
    rows, distinct = classes.distinct_texts(view)
    assert rows >= 80 and distinct >= 0.6 * rows


def test_denials_and_hedges_are_written_for_victims_and_others(view: classes.View) -> None:
    victims, others = classes.negations(view)
    assert victims >= 5 and others >= 100


def test_signals_without_an_identifier(view: classes.View) -> None:
    victims, others = classes.school_cars(view)
    assert victims >= 1 and others >= 10
    assert classes.probation_visits(view) >= 1
    calls_victims, calls_others = classes.home_calls(view)
    assert calls_victims >= 1 and calls_others >= 1


def test_networks_are_found_at_the_same_places_that_others_name(view: classes.View) -> None:
    places = classes.shared_found_places(view)
    assert sum(bool(p["named_elsewhere"]) for p in places.values()) >= 1


def test_professionals_are_found_with_children_and_never_perpetrators(view: classes.View) -> None:
    found = classes.professionals_found_with(view)
    assert found["episodes"] >= 10 and found["others"] > found.get("victims", 0)
    assert found.get("victims", 0) >= 1
    assert found["staff_elsewhere"] == found["episodes"]
    assert found.get("professional_is_perpetrator", 0) == 0
    police = view.rows("cheshire-police", "people")
    assert not any("staff" in r.get("flags", "").lower() for r in police)


def test_older_victims_and_young_adult_exploiters(view: classes.View) -> None:
    ages = classes.ages(view)
    assert ages["victims_16_17"] >= 2 and ages["peer_exploiters_18_19"] >= 1


def test_pairs_joined_only_by_a_nickname_and_phone_or_by_a_car(view: classes.View) -> None:
    assert classes.nickname_networks(view)
    assert classes.vehicle_networks(view)


def test_codes_are_typed_the_agencies_way_and_accepted(view: classes.View) -> None:
    variants = classes.code_variants(view)
    for field in ("missing_episodes.category", "placements.placement_type", "sightings.source"):
        assert variants[field] > 0, field
    for kind in KINDS.values():
        for f in kind.fields:
            for code in f.codes:
                assert all(f.code_for(s) == code for s in spellings(f, code)), (f.name, code)
    placement = KINDS["placements"].field("placement_type")
    written = {
        r["placement_type"]
        for a in classes.COUNCILS
        for r in view.rows(a, "placements")
        if placement.code_for(r["placement_type"]) == "childrens_home"
    }
    assert len(written) >= 2, written


def test_traps_are_kept(council: Partnership) -> None:
    traps = Counter(t for p in council.truth("persons.csv") for t in p["trap"].split(";") if t)
    for trap in (
        "vulnerable_child",
        "care_home_staff",
        "transport_driver",
        "youth_worker",
        "foster_carer",
        "found_with_professional",
        "common_name",
        "twin",
    ):
        assert traps[trap] > 0, trap


def test_a_delivery_reads_back(council: Partnership) -> None:
    schools = read_delivery(council.root / "cheshire-schools")
    assert schools["sightings"] and all(not r.get("vehicle") for r in schools["sightings"])

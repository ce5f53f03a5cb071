"""Derived indicators on a small synthetic partnership, every kind landed through ingest."""

from __future__ import annotations

import duckdb
import pytest

from safeguard.ingest.pipeline import prepare
from safeguard.ingest.source import open_delivery
from safeguard.intelligence import catalogue, indicators
from safeguard.intelligence.sources import landed_files, open_records
from safeguard.synthetic import generate


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("intelligence")
    generate(root / "p", children=1500, seed=11)
    for delivery in sorted(p.parent for p in (root / "p").glob("*/manifest.json")):
        assert prepare(open_delivery(delivery), root / "landing", [], 50_000).landed is not None
    con = open_records(landed_files(root / "landing"))
    indicators.derive(con, catalogue.load())
    return con


def test_every_piece_of_evidence_cites_a_record_that_exists(records) -> None:
    kinds = [r[0] for r in records.execute("select distinct kind from evidence").fetchall()]
    assert {"people", "contacts", "missing_episodes", "health_events"} <= set(kinds)
    for kind in kinds:
        missing = records.execute(
            f"select count(*) from evidence e where e.kind = $kind and not exists "
            f"(select 1 from {kind} k where k.agency = e.agency and k.record_id = e.record_id)",
            {"kind": kind},
        ).fetchall()[0][0]
        assert missing == 0, kind
    orphans = records.execute(
        "select count(*) from evidence where subject not in (select uid from people)"
    ).fetchall()[0][0]
    assert orphans == 0
    blank = records.execute("select count(*) from evidence where coalesce(detail, '') = ''")
    assert blank.fetchall()[0][0] == 0  # every piece says what matched


def test_the_core_indicators_are_found(records) -> None:
    found = dict(records.execute("select code, count(*) from evidence group by 1").fetchall())
    for code in (
        "missing_overnight",
        "missing_episode",
        "exclusion_or_absence",
        "neglect_or_abuse",
        "cse_concern",
        "found_with_adult",
        "sexually_transmitted_infection",
        "learning_disability",
    ):
        assert found.get(code, 0) > 0, code


def test_missing_episodes_are_overnight_or_not_never_both(records) -> None:
    both = records.execute(
        "select count(*) from evidence a join evidence b using (agency, record_id) "
        "where a.code = 'missing_overnight' and b.code = 'missing_episode'"
    ).fetchall()[0][0]
    assert both == 0
    episodes = records.execute("select count(*) from missing_episodes").fetchall()[0][0]
    counted = records.execute(
        "select count(*) from evidence where code in ('missing_overnight', 'missing_episode')"
    ).fetchall()[0][0]
    assert counted == episodes


def test_staff_in_the_homes_car_are_not_unknown_adults(records) -> None:
    staff_trips = records.execute(
        """select count(*) from evidence e join sightings s
               on s.agency = e.agency and s.record_id = e.record_id
           where e.code = 'in_vehicle_with_adult' and s.source = 'care_home_log'"""
    ).fetchall()[0][0]
    assert staff_trips == 0


def test_staff_doing_their_job_make_no_network_edges(records) -> None:
    from safeguard.intelligence import network

    keys = records.sql("select uid as subject, uid as key from people").to_arrow_table()
    network.build(records, keys, siloed=True)
    staff = records.execute("select count(*) from persons where staff").fetchall()[0][0]
    assert staff > 0
    touching = records.execute(
        """select count(*) from edges e
           where e.relation = 'found_with'
             and (e.a in (select node from persons where staff)
                  or e.b in (select node from persons where staff))"""
    ).fetchall()[0][0]
    assert touching == 0
    outings = records.execute(
        """select count(*) from edges e join sightings s
               on s.agency = e.agency and s.record_id = e.record_id
           where e.kind = 'sightings' and s.source = 'care_home_log'
             and s.notes like '%staff%'"""
    ).fetchall()[0][0]
    assert outings == 0

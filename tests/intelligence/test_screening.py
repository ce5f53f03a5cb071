"""Screening rules on hand-made evidence: points, windows, bands, overrides, first flag."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from safeguard.intelligence import catalogue, screening

AS_OF = dt.date(2026, 10, 31)

PEOPLE = {  # uid: (date of birth, flags)
    "a": ("2011-01-01", []),
    "b": ("2011-01-01", []),
    "c": ("2011-01-01", []),
    "d": ("2011-01-01", []),
    "e": ("2014-06-01", []),
    "f": ("2007-01-01", []),
    "g": ("2011-01-01", ["learning_disability"]),
    "h": ("2008-12-29", []),  # 17 on the assessment date, though born 18 calendar years before
    "i": ("2009", []),  # known by year only
    "j": ("2011-03-01", []),
}

EVIDENCE = [  # subject, code, level, day (None: undated)
    # a: exploitation-specific and general signs together reach "moderate" on 1 October
    ("a", "missing_overnight", "significant", "2026-09-01"),
    ("a", "self_harm", "moderate", "2026-08-01"),
    ("a", "found_with_adult", "significant", "2026-10-01"),
    # b: many signs of vulnerability, nothing specific to exploitation
    ("b", "missing_overnight", "significant", "2026-09-01"),
    ("b", "missing_overnight", "significant", "2026-10-01"),
    ("b", "self_harm", "moderate", "2026-10-02"),
    ("b", "staying_out_late", "moderate", "2026-10-03"),
    ("b", "exclusion_or_absence", "moderate", "2026-10-04"),
    ("b", "neglect_or_abuse", "vulnerability", "2024-01-01"),
    ("b", "looked_after", "vulnerability", "2023-01-01"),
    ("b", "mental_health", "vulnerability", "2025-01-01"),
    # c: a specific indicator 6 to 12 months ago scores 1; over a year ago, nothing
    ("c", "found_with_adult", "significant", "2026-01-15"),
    ("c", "cse_concern", "significant", "2025-06-01"),
    ("c", "self_harm", "moderate", "2026-01-01"),
    # d: a disclosure
    ("d", "disclosure", "disclosure", "2026-10-20"),
    # e: a 12-year-old missing overnight
    ("e", "missing_overnight", "significant", "2026-10-10"),
    # f: 19, not a child
    ("f", "found_with_adult", "significant", "2026-10-10"),
    # g: a learning disability (undated flag)
    ("g", "learning_disability", "vulnerability", None),
    # h: a disclosure at 17
    ("h", "disclosure", "disclosure", "2026-10-20"),
    # i: a learning disability, age known from the year alone
    ("i", "learning_disability", "vulnerability", None),
    # j: a concern of exploitation raised, with signs of vulnerability, and nothing specific seen
    ("j", "cse_concern", "significant", "2026-10-01"),
    ("j", "missing_overnight", "significant", "2026-09-01"),
    ("j", "self_harm", "moderate", "2026-10-02"),
]


@pytest.fixture(scope="module")
def screened() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    people = pa.table(
        {
            "uid": list(PEOPLE),
            "date_of_birth": [v[0] for v in PEOPLE.values()],
            "flags": pa.array([v[1] for v in PEOPLE.values()], pa.list_(pa.string())),
        }
    )
    evidence = pa.table(
        {
            "subject": [e[0] for e in EVIDENCE],
            "code": [e[1] for e in EVIDENCE],
            "level": [e[2] for e in EVIDENCE],
            "occurred": pa.array(
                [dt.datetime.fromisoformat(e[3]) if e[3] else None for e in EVIDENCE],
                pa.timestamp("us"),
            ),
            "agency": ["police"] * len(EVIDENCE),
            "kind": ["contacts"] * len(EVIDENCE),
            "record_id": [f"R{i}" for i in range(len(EVIDENCE))],
            "detail": [""] * len(EVIDENCE),
        }
    )
    con.register("people_arrow", people)
    con.register("evidence_arrow", evidence)
    con.execute("create table people as select * from people_arrow")
    con.execute("create table evidence as select * from evidence_arrow")
    keys = pa.table({"subject": list(PEOPLE), "key": list(PEOPLE)})
    screening.screen(con, catalogue.load(), keys, AS_OF)
    return con


def today(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, object]]:
    rows = con.execute("select * from timeline where day = $d", {"d": AS_OF}).fetchall()
    names = [c[0] for c in con.execute("select * from timeline limit 0").description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in rows}


def test_points_bands_and_the_specific_indicator_rule(screened) -> None:
    now = today(screened)
    assert now["a"]["score"] == 11 and now["a"]["band"] == "moderate" and now["a"]["at_risk"]
    # b scores as much, but nothing in it is specific to exploitation: not at risk
    assert now["b"]["score"] == 11 and now["b"]["band"] == "moderate"
    assert not now["b"]["at_risk"] and now["b"]["referral"]
    # c: 1 for the older significant indicator, 0 for the expired one and the old self-harm
    assert now["c"]["score"] == 1 and now["c"]["band"] == "not_at_risk"
    assert not now["c"]["at_risk"]


def test_a_concern_raised_is_screened_but_is_not_itself_a_sign(screened) -> None:
    now = today(screened)
    # 5 + 5 + 1: the moderate band, proposed for referral so that someone looks; not at risk
    assert now["j"]["score"] == 11 and now["j"]["band"] == "moderate"
    assert now["j"]["referral"] and not now["j"]["at_risk"]


def test_overrides(screened) -> None:
    now = today(screened)
    assert now["d"]["score"] == 0 and now["d"]["band"] == "significant" and now["d"]["at_risk"]
    # under 13: never rated below mild; a significant indicator means referral, not "at risk"
    assert now["e"]["age"] == 12 and now["e"]["band"] == "mild"
    assert now["e"]["referral"] and not now["e"]["at_risk"]
    assert now["g"]["band"] == "mild" and now["g"]["score"] == 1
    assert "f" not in now  # 19: not screened


def test_ages_are_whole_years_lived_and_a_year_of_birth_is_enough(screened) -> None:
    now = today(screened)
    assert now["h"]["age"] == 17 and now["h"]["at_risk"]  # not 18 by calendar years
    assert now["i"]["age"] == 17


def test_the_first_flag_is_the_first_day_the_child_was_at_risk(screened) -> None:
    first = dict(screened.execute("select key, day from first_flag").fetchall())
    assert first == {
        "a": dt.date(2026, 10, 1),
        "d": dt.date(2026, 10, 20),
        "h": dt.date(2026, 10, 20),
    }
    before = screened.execute(
        "select score, band from timeline where key = 'a' and day = '2026-09-01'"
    ).fetchall()
    assert before == [(6, "mild")]

"""Calibration against DOMAIN.md section 7, measured on a medium partnership (20,000 children).

Tolerances allow for sampling noise at this size and for planted scenarios and traps, which add
their own episodes on top of the calibrated background.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from safeguard.contract import values

from .conftest import Partnership, Rows


def _truth_of(p: Partnership, agency: str) -> dict[str, str]:
    return {r["record_id"]: r["person_id"] for r in p.truth("records.csv") if r["agency"] == agency}


def _age(dob: str, when: dt.datetime) -> float:
    return (when.date() - dt.date.fromisoformat(dob)).days / 365.25


@pytest.fixture(scope="module")
def episodes(medium: Partnership) -> list[tuple[dict[str, str], dict[str, str]]]:
    """Police missing episodes with the true person of each."""
    persons = {p["person_id"]: p for p in medium.truth("persons.csv")}
    truth = _truth_of(medium, "cheshire-police")
    rows: Rows = medium.delivery("cheshire-police")["missing_episodes"]
    return [(row, persons[truth[row["record_id"]]]) for row in rows]


def _child_years(episodes: list) -> dict[tuple[str, int], list]:
    out: dict[tuple[str, int], list] = defaultdict(list)
    for row, person in episodes:
        when = values.to_datetime(row["reported_at"])
        assert when is not None
        out[(person["person_id"], when.year)].append((when, row, person))
    return out


def test_who_goes_missing(episodes: list) -> None:
    years = _child_years(episodes)
    ages = [_age(eps[0][2]["date_of_birth"], eps[0][0]) for eps in years.values()]
    assert len(ages) > 300
    teen = sum(12 <= a < 18 for a in ages) / len(ages)
    older = [
        eps[0][2]
        for eps in years.values()
        if 15 <= _age(eps[0][2]["date_of_birth"], eps[0][0]) < 18
    ]
    assert teen == pytest.approx(0.93, abs=0.04)
    assert len(older) / len(ages) == pytest.approx(0.58, abs=0.07)
    girls = sum(p["sex"] == "female" for p in older) / len(older)
    assert girls == pytest.approx(0.62, abs=0.07)


def test_how_often(episodes: list) -> None:
    years = _child_years(episodes)
    others = [len(e) > 1 for e in years.values() if e[0][2]["looked_after"] == "N"]
    looked_after = [len(e) > 1 for e in years.values() if e[0][2]["looked_after"] == "Y"]
    assert sum(others) / len(others) == pytest.approx(0.40, abs=0.08)
    assert sum(looked_after) / len(looked_after) == pytest.approx(0.65, abs=0.15)


def test_looked_after_children(medium: Partnership, episodes: list) -> None:
    local = [
        p
        for p in medium.truth("persons.csv")
        if p["is_child"] == "Y" and p["council_area"] != "out_of_area"
    ]
    lac = [p for p in local if p["looked_after"] == "Y"]
    assert len(lac) / len(local) == pytest.approx(0.007, abs=0.0025)
    missing = {p["person_id"] for _, p in episodes}
    rate_lac = sum(p["person_id"] in missing for p in lac) / len(lac)
    rate_other = sum(p["person_id"] in missing for p in local if p["looked_after"] == "N") / (
        len(local) - len(lac)
    )
    assert rate_lac >= 3 * rate_other


def test_durations_and_risk(episodes: list) -> None:
    hours = []
    for row, _ in episodes:
        seen, back = (
            values.to_datetime(row["last_seen_at"]),
            values.to_datetime(row["returned_at"] or ""),
        )
        if seen and back:
            hours.append((back - seen).total_seconds() / 3600)
    assert sum(h <= 24 for h in hours) / len(hours) >= 0.72
    assert 0.005 <= sum(h > 168 for h in hours) / len(hours) <= 0.04
    grades = Counter(row["risk_grade"] for row, _ in episodes)
    total = sum(grades.values())
    for grade, share in (("high", 0.16), ("medium", 0.68), ("low", 0.13)):
        assert grades[grade] / total == pytest.approx(share, abs=0.045), grade


def test_return_home_interviews(medium: Partnership) -> None:
    within = done = 0
    for agency in ("cheshire-east-cs", "cheshire-west-cs", "warrington-cs", "halton-cs"):
        for row in medium.delivery(agency)["missing_episodes"]:
            back = values.to_datetime(row["returned_at"]) if row["returned_at"] else None
            if back is None:
                continue
            done += 1
            rhi = values.to_datetime(row["rhi_completed_at"] or "")
            within += bool(rhi and (rhi - back).total_seconds() <= 72 * 3600)
    assert within / done == pytest.approx(0.63, abs=0.05)


def test_population_shape(medium: Partnership) -> None:
    persons = medium.truth("persons.csv")
    kids = [p for p in persons if p["is_child"] == "Y"]
    eth = Counter(p["ethnicity"] for p in kids)
    assert 0.85 <= eth["white"] / len(kids) <= 0.95
    councils = Counter(p["council_area"] for p in kids)
    assert councils["cheshire_east"] > councils["warrington"] > councils["halton"]
    names = Counter((p["forenames"].split()[0], p["surname"]) for p in kids)
    assert max(names.values()) >= 3, "common names should be shared by different children"
    surnames = Counter(p["surname"] for p in persons)
    assert surnames.most_common(1)[0][0] == "Smith"

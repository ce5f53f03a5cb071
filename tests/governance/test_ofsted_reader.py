"""Ofsted's two scales and reading a CSV of judgements: a judgement must be on the scale of its
date (Adequate before November 2013, Requires improvement from then), grades 1-4 read as the
scale's points, and every row is accepted or refused with its line and reason."""

from __future__ import annotations

import datetime as dt

from safeguard.governance import ofsted

TODAY = dt.date(2026, 12, 7)


def test_the_scale_changes_in_november_2013() -> None:
    assert ofsted.scale(dt.date(2013, 10, 31)) == ofsted.BEFORE_SIF
    assert ofsted.scale(dt.date(2013, 11, 1)) == ofsted.FROM_SIF
    assert ofsted.judgement("Adequate", dt.date(2012, 6, 1)) == ("adequate", "")
    found, why = ofsted.judgement("Adequate", dt.date(2015, 6, 1))
    assert not found and "not on the scale from November 2013" in why
    assert ofsted.judgement("Requires improvement to be good", dt.date(2019, 1, 1))[0] == (
        "requires_improvement"
    )
    assert ofsted.judgement("3", dt.date(2012, 1, 1))[0] == "adequate"
    assert ofsted.judgement("3", dt.date(2019, 1, 1))[0] == "requires_improvement"
    assert ofsted.framework(dt.date(2019, 1, 1)) == "ILACS"
    assert ofsted.framework(dt.date(2014, 1, 1)) == "SIF"


def test_a_file_is_read_row_by_row_with_refusals_named() -> None:
    text = (
        "URN,Local authority,Inspection end date,Overall effectiveness\n"
        "1,Cheshire East,14/10/2013,Inadequate\n"
        "2,Cheshire East,2015-06-01,Requires improvement to be good\n"
        "3,Halton,2016-02-01,Adequate\n"
        "4,,2016-02-01,Good\n"
        "5,Warrington,soon,Good\n"
        "\n"
        "6,Warrington,2019-03-01,4\n"
    )
    found = ofsted.read(text, TODAY)
    assert [(r.line, r.council, r.judgement) for r in found.rows] == [
        (2, "Cheshire East", "inadequate"),
        (3, "Cheshire East", "requires_improvement"),
        (8, "Warrington", "inadequate"),
    ]
    assert [n for n, _ in found.refused] == [4, 5, 6]
    assert "not on the scale" in found.refused[0][1]
    assert "no local authority" in found.refused[1][1]
    assert "not a date" in found.refused[2][1]
    assert found.total == 6  # the blank line is not a row


def test_a_file_without_the_columns_is_refused_whole() -> None:
    found = ofsted.read("Name,When\nHalton,2016-02-01\n", TODAY)
    assert not found.rows and "lacks a column" in found.problem and "judgement" in found.problem
    assert ofsted.read("", TODAY).problem == "the file is empty"


def test_a_judgement_after_today_is_refused() -> None:
    found = ofsted.read("LA,Date,Judgement\nHalton,2026-12-08,Good\n", TODAY)
    assert found.refused == [(2, "2026-12-08 is in the future")]

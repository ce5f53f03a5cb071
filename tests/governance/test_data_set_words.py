"""The data set as people read it (`queries.data_set`): a table as a grid for one area, each
cell in words, the trend of a line in words, a KPI over the year for the yearly report, and
what publishing hides. Pure: tables built by hand, no database."""

from __future__ import annotations

import datetime as dt

from safeguard.hub.governance.kpis import SUPPRESSED, Table, catalogue
from safeguard.hub.governance.kpis.table import Tally, build, last_months, suppress
from safeguard.hub.governance.queries.data_set import grid, latest, trend_words, year_line

MONTHS = last_months(dt.date(2026, 6, 30), 3)  # April, May, June 2026


def _decided() -> Table:
    """Referral decisions in time: April 9 of 10 (all areas), none in May, June 2 of 4
    (Halton's)."""
    tallies = [
        Tally("all", MONTHS[0], "", 9, 10),
        Tally("all", MONTHS[2], "", 2, 4),
        Tally("halton", MONTHS[2], "", 2, 4),
    ]
    return build(catalogue()["decided_in_time"], tallies, MONTHS)


def test_a_grid_for_one_area_with_each_cell_in_words() -> None:
    table = _decided()
    found = grid(table, "halton")
    assert found.columns == ("Halton",)
    assert [month for month, _ in found.rows] == ["Apr 2026", "May 2026", "Jun 2026"]
    april, _, june = (cells[0] for _, cells in found.rows)
    assert (april.value, april.detail) == ("-", "")  # nothing to divide by
    assert (june.value, june.detail) == ("50.0%", "2 of 4")
    assert latest(table, "all").value == "50.0%"
    assert len(grid(table).columns) == len(table.areas)


def test_the_trend_and_the_year_in_words() -> None:
    table = _decided()
    assert trend_words(table) == "90% in Apr 2026, 50% in Jun 2026: down 40 points."
    line = year_line(table, 5)
    assert (line.figure, line.basis, line.target) == (
        "78.6% (11 of 14)",
        "3 months added up",
        "90%",
    )


def test_publishing_hides_small_counts_in_the_words_too() -> None:
    published = suppress(_decided(), 5)
    assert grid(published, "halton").rows[2][1][0].value == SUPPRESSED
    assert trend_words(published) == "Too few figures shown for a trend."
    few = build(catalogue()["contacts"], [Tally("all", MONTHS[1], "", 3)], MONTHS)
    assert year_line(few, 5).figure == SUPPRESSED

"""The KPI definitions (configuration) and the typed table: loading and checking the catalogue,
filling a table, suppressing small counts, CSV. No database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from safeguard.governance.kpis import KpiCatalogueError, parse
from safeguard.hub.governance.kpis import (
    ALL,
    KPIS,
    SUPPRESSED,
    UNKNOWN,
    catalogue,
    last_months,
    suppress,
    to_csv,
)
from safeguard.hub.governance.kpis.table import Tally, build

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def test_the_default_catalogue_defines_every_kpi_the_hub_computes() -> None:
    found = catalogue()
    assert list(found.kpis) == list(KPIS)
    assert found.suppress_below == 5
    decided = found["decided_in_time"]
    assert (decided.unit, decided.target) == ("percent", 90.0)
    assert "1 working day" in decided.definition and decided.target_basis
    for kpi in found.kpis.values():
        assert kpi.title and kpi.definition and kpi.source
        assert kpi.denominator or kpi.unit == "count"


def test_every_kpi_is_defined_in_the_docs() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "governance-kpis.md"
    text = docs.read_text(encoding="utf-8")
    missing = [kpi for kpi in KPIS if f"(`{kpi}`" not in text]
    assert not missing, f"docs/governance-kpis.md lacks {missing}"


def test_a_catalogue_lacking_a_kpi_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = _default_text().replace("[kpis.homes_spoc]", "[kpis.homes_x]")
    path = tmp_path / "kpis.toml"
    path.write_text(text)
    with pytest.raises(KpiCatalogueError, match=r"lacks homes_spoc.*does not compute: homes_x"):
        catalogue(path)


def _default_text() -> str:
    from importlib import resources

    return resources.files("safeguard.governance").joinpath("data", "kpis.toml").read_text()


def test_every_problem_of_a_catalogue_is_named() -> None:
    bad = {
        "name": "x",
        "version": "1",
        "suppress_below": 0,
        "delivery_every_days": 35,
        "kpis": {
            "a": {"title": "A", "definition": "d", "unit": "percent", "numerator": "n",
                  "source": "s"},
            "b": {"title": "B", "definition": "d", "unit": "litres", "numerator": "n",
                  "source": "s", "target": 90},
        },
    }  # fmt: skip
    with pytest.raises(KpiCatalogueError) as caught:
        parse(bad)
    message = str(caught.value)
    assert "`suppress_below` must be a whole number above 0" in message
    assert "[kpis.a]: a percent needs its `denominator`" in message
    assert "[kpis.b]: `unit` must be one of count, percent" in message
    assert "[kpis.b]: a `target` needs its `target_basis`" in message


def test_last_months_cross_the_year() -> None:
    assert last_months(dt.date(2026, 2, 17), 3) == (dt.date(2025, 12, 1), JAN, FEB)


def _table():  # type: ignore[no-untyped-def]
    tallies = [
        Tally("halton", JAN, "", 3, 4),
        Tally(UNKNOWN, JAN, "", 0, 2),
        Tally(ALL, JAN, "", 3, 6),
        Tally("halton", FEB, "", 9, 10),
        Tally(ALL, FEB, "", 9, 10),
    ]
    return build(catalogue()["decided_in_time"], tallies, (JAN, FEB))


def test_a_table_has_a_row_for_every_area_and_month() -> None:
    table = _table()
    assert table.areas[-2:] == (UNKNOWN, ALL) and len(table.areas) == 7
    assert len(table.rows) == 14
    assert table.row("warrington", JAN).value is None  # nothing to divide by
    assert table.row("halton", FEB).value == 90.0
    assert table.row(ALL, JAN).value == 50.0
    assert table.trend(ALL) == [(JAN, 50.0), (FEB, 90.0)]


def test_suppression_hides_counts_from_one_to_four_and_their_shares() -> None:
    table = suppress(_table(), 5)
    halton = table.row("halton", JAN)
    assert (halton.numerator, halton.denominator, halton.value) == (
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
    )
    unknown = table.row(UNKNOWN, JAN)  # 0 of 2: the zero stays, the 2 and the share do not
    assert (unknown.numerator, unknown.denominator, unknown.value) == (0, SUPPRESSED, SUPPRESSED)
    total = table.row(ALL, JAN)  # 3 of 6
    assert (total.numerator, total.denominator, total.value) == (SUPPRESSED, 6, SUPPRESSED)
    assert table.trend("halton") == [(JAN, None), (FEB, 90.0)]


def test_csv_of_a_table() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(suppress(_table())))))
    assert len(rows) == 14
    first = rows[0]
    assert first["kpi"] == "decided_in_time" and first["month"] == "2026-01"
    halton = next(r for r in rows if r["council_area"] == "halton" and r["month"] == "2026-01")
    assert (halton["area"], halton["numerator"], halton["value"]) == ("Halton", "[c]", "[c]")
    total = next(r for r in rows if r["council_area"] == ALL and r["month"] == "2026-02")
    assert (total["area"], total["numerator"], total["denominator"], total["value"]) == (
        "All areas",
        "9",
        "10",
        "90.0",
    )

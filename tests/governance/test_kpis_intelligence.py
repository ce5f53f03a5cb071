"""Intelligence and partnership KPIs against figures worked out by hand from
`kpi_setup.intelligence` and `kpi_setup.partnership`."""

from __future__ import annotations

import pytest

from safeguard.hub.governance.kpis import ALL, UNKNOWN, compute
from tests.governance.kpi_setup import (
    APRIL,
    AS_OF,
    CE,
    JUNE,
    MAY,
    WA,
    intelligence,
    partnership,
)
from tests.governance.test_kpis_front_door import figures

pytestmark = pytest.mark.django_db


def level(table, month, area, band):  # type: ignore[no-untyped-def]
    row = table.row(area, month, band)
    return row.numerator, row.denominator


def test_children_by_level_on_the_months_last_run() -> None:
    intelligence()
    table = compute("children_by_level", AS_OF, months=3)
    assert table.categories == ("not_at_risk", "mild", "moderate", "significant")
    # 31 May: P4 confirmed significant (proposed moderate), P5 mild, P7 significant (held by
    # both councils: in each), P8 moderate (no council)
    assert level(table, MAY, CE, "significant") == (2, 3)
    assert level(table, MAY, CE, "mild") == (1, 3)
    assert level(table, MAY, CE, "moderate") == (0, 3)
    assert level(table, MAY, WA, "significant") == (1, 1)
    # P8 only: P4's police record does not make them a child of no council
    assert level(table, MAY, UNKNOWN, "moderate") == (1, 1)
    # the partnership counts P7 once
    assert level(table, MAY, ALL, "significant") == (2, 4)
    assert level(table, MAY, ALL, "moderate") == (1, 4)
    assert level(table, JUNE, ALL, "significant") == (2, 2)
    assert level(table, APRIL, ALL, "significant") == (0, 0)


def test_screenings_decided() -> None:
    intelligence()
    table = compute("screenings_decided", AS_OF, months=3)
    # proposed at risk in May: P4 (decided on 31 May), P7, P8 (decided on 10 May)
    assert figures(table, MAY, ALL) == (2, 3, 66.7)
    assert figures(table, MAY, CE) == (1, 2, 50.0)
    assert figures(table, MAY, WA) == (0, 1, 0.0)
    assert figures(table, MAY, UNKNOWN) == (1, 1, 100.0)
    assert figures(table, JUNE, ALL) == (0, 2, 0.0)


def test_findings_opened_and_disposed() -> None:
    intelligence()
    table = compute("findings", AS_OF, months=3)
    assert table.areas == (ALL,)
    got = {(r.month, r.category): r.numerator for r in table.rows if r.numerator}
    assert got == {
        (MAY, "opened"): 1,
        (MAY, "under_investigation"): 1,
        (JUNE, "opened"): 1,
        (JUNE, "explained"): 2,
        (JUNE, "closed"): 1,  # closed twice, one finding
    }


def test_disruption_by_type() -> None:
    partnership()
    table = compute("disruption", AS_OF, months=3)
    got = {(r.area, r.month, r.category): r.numerator for r in table.rows if r.numerator}
    assert got == {
        (CE, MAY, "cawn"): 2,
        (WA, MAY, "cawn"): 1,
        (UNKNOWN, MAY, "sro"): 1,
        (ALL, MAY, "cawn"): 3,
        (ALL, MAY, "sro"): 1,
        (CE, JUNE, "makesafe_hotel"): 1,
        (ALL, JUNE, "makesafe_hotel"): 1,
    }
    assert table.label("cawn") == "Child abduction warning notice (CAWN)"


def test_homes_with_a_spoc_on_the_assessment_date() -> None:
    partnership()
    table = compute("homes_spoc", AS_OF, months=3)
    assert figures(table, JUNE, CE) == (1, 2, 50.0)  # the closed home is not counted
    assert figures(table, JUNE, WA) == (1, 1, 100.0)
    assert figures(table, JUNE, ALL) == (2, 3, 66.7)
    assert {r.month for r in table.rows} == {JUNE}  # no history kept: a snapshot
    assert table.trend(ALL) == [(APRIL, None), (MAY, None), (JUNE, 66.7)]


def test_rows_quarantined() -> None:
    partnership()
    table = compute("quarantined_rows", AS_OF, months=3)
    assert figures(table, APRIL, ALL) == (5, 100, 5.0)
    assert figures(table, MAY, ALL) == (0, 50, 0.0)
    assert figures(table, JUNE, ALL) == (0, 0, None)


def test_links_awaiting_review_after_the_months_last_run() -> None:
    partnership()
    table = compute("links_awaiting_review", AS_OF, months=3)
    assert [r.numerator for r in table.rows] == [0, 7, 4]


def test_agencies_late_with_their_data() -> None:
    partnership()
    table = compute("deliveries_overdue", AS_OF, months=3)
    # April: the NHS (last 1 March) late, the police not; schools never loaded one
    assert figures(table, APRIL, ALL) == (1, 2, 1)
    assert figures(table, MAY, ALL) == (1, 2, 1)
    # by 30 June the police's 10 May delivery is 51 days old
    assert figures(table, JUNE, ALL) == (2, 2, 2)

"""The MASH front door's KPIs against figures worked out by hand from `kpi_setup.front_door`
(April to June 2026): contacts, the share becoming referrals, decisions within 1 working day
(a Friday evening, bank holidays, the 2nd working day, a contact still waiting) and
re-referrals within 12 months."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguard.hub.governance.kpis import ALL, SUPPRESSED, UNKNOWN, Table, compute, trend
from tests.governance.kpi_setup import APRIL, AS_OF, CE, HA, JUNE, MAY, WA, at, front_door

pytestmark = pytest.mark.django_db


def figures(table: Table, month: dt.date, area: str) -> tuple[Any, Any, Any]:
    row = table.row(area, month)
    return row.numerator, row.denominator, row.value


def test_the_clock_puts_each_contact_due_where_worked_out_by_hand() -> None:
    found = front_door()
    # the end of the first working day after the day the contact arrived
    assert found["c1"].decision_due == at(2026, 5, 12)  # Fri 17:00 -> end of Mon 11 May
    assert found["c2"].decision_due == at(2026, 5, 27)  # before a bank holiday -> end of Tue
    assert found["c4"].decision_due == at(2026, 5, 6)  # Mon 4 May a bank holiday -> end of Tue
    assert found["w1"].decision_due == at(2026, 4, 8)  # on Easter Monday -> end of Tue 7 Apr


def test_contacts_by_area_and_month() -> None:
    front_door()
    table = compute("contacts", AS_OF, months=3)
    assert table.months == (APRIL, MAY, JUNE)
    counts = {(r.area, r.month): r.numerator for r in table.rows}
    assert counts[(HA, APRIL)] == 5 and counts[(WA, APRIL)] == 1 and counts[(CE, APRIL)] == 0
    assert counts[(ALL, APRIL)] == 6
    # 00:30 on 1 May, in London, is a May contact
    assert counts[(CE, MAY)] == 4 and counts[(ALL, MAY)] == 4
    assert counts[(CE, JUNE)] == 2 and counts[(UNKNOWN, JUNE)] == 1 and counts[(ALL, JUNE)] == 3
    assert table.areas == (CE, "cheshire_west_and_chester", WA, HA, "out_of_area", UNKNOWN, ALL)


def test_trend_of_the_last_months() -> None:
    front_door()
    assert trend("decided_in_time", AS_OF, months=3) == [(APRIL, 100.0), (MAY, 75.0), (JUNE, 50.0)]
    assert trend("contacts", AS_OF, 2, area=CE) == [(MAY, 4.0), (JUNE, 2.0)]
    assert trend("contacts", AS_OF, 2, area=CE, suppress_small=True) == [(MAY, None), (JUNE, None)]


def test_contacts_before_the_window_or_after_the_assessment_date_do_not_count() -> None:
    front_door()
    table = compute("contacts", dt.date(2026, 6, 15), months=1)
    assert table.row(ALL, JUNE).numerator == 2  # c5 and u1; c6 came on 30 June


def test_share_of_decided_contacts_becoming_referrals() -> None:
    front_door()
    table = compute("contacts_to_referral", AS_OF, months=3)
    assert figures(table, APRIL, HA) == (0, 5, 0.0)  # early help is not a referral
    assert figures(table, APRIL, WA) == (1, 1, 100.0)
    assert figures(table, APRIL, ALL) == (1, 6, 16.7)
    assert figures(table, MAY, CE) == (3, 4, 75.0)  # c1, c3, c4 referrals; c2 no further action
    assert figures(table, JUNE, CE) == (0, 0, None)  # nothing decided yet: no share
    assert figures(table, JUNE, ALL) == (0, 1, 0.0)


def test_decisions_within_one_working_day() -> None:
    front_door()
    table = compute("decided_in_time", AS_OF, months=3)
    assert table.definition.target == 90.0
    assert figures(table, APRIL, WA) == (1, 1, 100.0)
    assert figures(table, APRIL, ALL) == (6, 6, 100.0)
    # c1 (Friday 17:00 -> Monday 09:00), c2 (over the bank holiday), c4 in time; c3 late
    assert figures(table, MAY, CE) == (3, 4, 75.0)
    # c5 waiting past its clock counts as late; c6's clock has not run out
    assert figures(table, JUNE, CE) == (0, 1, 0.0)
    assert figures(table, JUNE, UNKNOWN) == (1, 1, 100.0)
    assert figures(table, JUNE, ALL) == (1, 2, 50.0)


def test_re_referrals_within_twelve_months_of_a_referral() -> None:
    front_door()
    table = compute("re_referrals", AS_OF, months=3)
    # w1: P1 was referred on 20 May 2025, within 12 months
    assert figures(table, APRIL, WA) == (1, 1, 100.0)
    # May: c4 (P1 again, after w1) is one; c1 (P2: referred 13 months before, and the NFA in
    # between is not a referral) and c3 (P3's first) are not
    assert figures(table, MAY, CE) == (1, 3, 33.3)
    assert figures(table, MAY, ALL) == (1, 3, 33.3)


def test_re_referral_window_is_the_vocabularys_months() -> None:
    found = front_door()
    # move P2's old referral to 13 May 2025: within 12 months of c1 (8 May 2026)
    found["p2_old"].received_at = at(2025, 5, 13, 10)
    found["p2_old"].save()
    table = compute("re_referrals", AS_OF, months=3)
    assert figures(table, MAY, CE) == (2, 3, 66.7)


def test_published_tables_suppress_counts_under_five() -> None:
    front_door()
    table = compute("contacts", AS_OF, months=3, suppress_small=True)
    assert table.suppressed
    assert table.row(HA, APRIL).numerator == 5  # five is shown
    assert table.row(WA, APRIL).numerator == SUPPRESSED
    assert table.row(CE, APRIL).numerator == 0  # zero counts no child
    assert table.row(CE, MAY).value == SUPPRESSED
    share = compute("decided_in_time", AS_OF, months=3, suppress_small=True)
    assert figures(share, APRIL, ALL) == (6, 6, 100.0)
    assert figures(share, APRIL, WA) == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    assert figures(share, MAY, CE) == (SUPPRESSED, SUPPRESSED, SUPPRESSED)

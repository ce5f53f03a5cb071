"""Missing children's KPIs against figures worked out by hand from `kpi_setup.missing`:
return home interviews offered, accepted and done within 72 hours (by the month of the
return), and children meeting the repeat-missing trigger (3 episodes within 90 days)."""

from __future__ import annotations

import pytest

from safeguard.hub.governance.kpis import ALL, compute
from tests.governance.kpi_setup import APRIL, AS_OF, CE, JUNE, MAY, WA, at, missing
from tests.governance.test_kpis_front_door import figures

pytestmark = pytest.mark.django_db


def test_the_interview_clock_is_72_hours_from_the_return() -> None:
    found = missing()
    assert found["a"].due_at == at(2026, 4, 13, 20)  # returned Friday 10 April 20:00


def test_interviews_offered() -> None:
    missing()
    table = compute("rhi_offered", AS_OF, months=3)
    assert figures(table, APRIL, CE) == (2, 2, 100.0)
    assert figures(table, MAY, CE) == (1, 1, 100.0)  # done without an offer recorded: offered
    assert figures(table, MAY, WA) == (0, 1, 0.0)
    assert figures(table, MAY, ALL) == (1, 2, 50.0)
    assert figures(table, JUNE, WA) == (0, 1, 0.0)


def test_interviews_accepted_of_those_offered() -> None:
    missing()
    table = compute("rhi_accepted", AS_OF, months=3)
    assert figures(table, APRIL, CE) == (1, 2, 50.0)  # one declined
    assert figures(table, MAY, CE) == (1, 1, 100.0)
    assert figures(table, MAY, WA) == (0, 0, None)  # none offered
    assert figures(table, MAY, ALL) == (1, 1, 100.0)


def test_interviews_done_within_72_hours() -> None:
    missing()
    table = compute("rhi_in_time", AS_OF, months=3)
    assert figures(table, APRIL, CE) == (1, 2, 50.0)  # done Monday 19:00; the declined one not
    assert figures(table, MAY, CE) == (0, 1, 0.0)  # done an hour late
    assert figures(table, MAY, ALL) == (0, 2, 0.0)  # and one never recorded
    assert figures(table, JUNE, WA) == (0, 0, None)  # its 72 hours outlast the assessment date


def test_repeat_missing_children() -> None:
    missing()
    table = compute("repeat_missing", AS_OF, months=3)
    # P5's third episode, 1 April, is 90 days after the first (counted); P4's 10 April is
    # only their second
    assert figures(table, APRIL, CE) == (1, 2, 1)
    # P4's 1 May is their third within 90 days; P6's cancelled report leaves them two
    assert figures(table, MAY, CE) == (1, 1, 1)
    assert figures(table, MAY, WA) == (0, 1, 0)
    assert figures(table, MAY, ALL) == (1, 2, 1)
    # P4 in Warrington in June: the 4th within 90 days; the unlinked child is not counted
    assert figures(table, JUNE, WA) == (1, 1, 1)
    assert figures(table, JUNE, CE) == (0, 0, 0)
    assert figures(table, JUNE, ALL) == (1, 1, 1)

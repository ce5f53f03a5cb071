"""Reading the partnership's data set, each reading audited before anything is shown: every
KPI's latest figure, one KPI's table (for its page or its CSV), and the whole data set as
one CSV. Over the 12 months to today; counts as the hub holds them, or with small counts
suppressed when asked (`published`), as anything that leaves the hub should be."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import Refused, ViewedDataSet
from safeguard.access.policy import Action, Decision, act
from safeguard.hub.audit import services as audit
from safeguard.hub.governance import kpis
from safeguard.hub.governance.kpis import Table

MONTHS = 12
ALL_KPIS = "all"
"""What the audit trail names when the whole data set was read."""


def _may(caller: Caller, what: str, where: str) -> Decision:
    return audit.check(caller, act(caller.actor, Action.VIEW_DATA_SET), Refused(what, where))


def today() -> dt.date:
    return timezone.localdate()


def data_set(
    caller: Caller, area: str = "", what: str = "page", published: bool = False
) -> list[Table]:
    """Every KPI's table, in the catalogue's order."""
    allowed = _may(caller, "read the data set", "the partnership's data set")
    audit.seen(caller, ViewedDataSet(ALL_KPIS, area, what), allowed)
    return kpis.data_set(today(), MONTHS, suppress_small=published)


def kpi(
    caller: Caller, kpi_id: str, area: str = "", what: str = "page", published: bool = False
) -> Table:
    """One KPI's table; a KPI the catalogue does not have is refused (404)."""
    attempted = Refused("read a KPI", f"KPI {kpi_id[:63]}")
    allowed = _may(caller, attempted.attempted, attempted.where)
    if kpi_id not in kpis.catalogue().kpis:
        audit.refuse(caller, attempted, Decision(False, f"no KPI {kpi_id[:63]}"), rule=True)
    audit.seen(caller, ViewedDataSet(kpi_id, area, what), allowed)
    return kpis.compute(kpi_id, today(), MONTHS, suppress_small=published)

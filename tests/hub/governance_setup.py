"""The review for the route matrix (`tests/hub/test_routes.py`), made on first use in the
test's database through the services, as the pages would: the police's assessment of the
catalogue's first recommendation submitted for review, and an action on it for the police's
agency lead, due in a week. The matrix's own calls use the second recommendation, which no
agency has assessed, so an agency lead's assessment there is always allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguard.access.roles import Role
from safeguard.hub.accounts.models import User
from safeguard.hub.governance import queries, services
from tests.callers import caller


def mini_governance(m: dict[str, Any]) -> dict[str, Any]:
    """The assessment and action (made once per test: kept in `m`)."""
    if "governance" not in m:
        User.objects.create(
            username="matrix-agency-lead", agency="cheshire-police", roles=["agency_lead"]
        )
        lead = caller(Role.AGENCY_LEAD, username="matrix-agency-lead")
        first, second = queries.catalogue().recommendations[:2]
        said = services.Statement("amber", "Partly in place.", ("/missing/figures/",))
        found = services.assess(lead, first.id, said, "submit")
        action = services.set_action(
            lead,
            first.id,
            services.Task(
                "Audit 20 cases",
                "matrix-agency-lead",
                "cheshire-police",
                timezone.localdate() + dt.timedelta(7),
            ),
        )
        m["governance"] = {
            "recommendation_id": second.id,
            "assessment_id": found.pk,
            "review_action_id": action.pk,
        }
    return dict(m["governance"])

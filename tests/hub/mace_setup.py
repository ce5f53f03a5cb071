"""A MACE meeting for the route matrix (`tests/hub/test_routes.py`), made on first use in the
test's database: a meeting today with a child on its agenda (added by hand), an action for a
police officer, due in a week. Made through the services, as the pages would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguard.access.roles import Role
from safeguard.hub.accounts.models import User
from safeguard.hub.mace import services
from tests.callers import caller


def mini_mace(m: dict[str, Any]) -> dict[str, int]:
    """The meeting, its item and action (made once per test: kept in `m`)."""
    if "mace" not in m:
        owner = User.objects.create(
            username="matrix-mace-police", agency="cheshire-police", roles=["police_officer"]
        )
        manager = caller(Role.MASH_MANAGER, agency="cheshire-east-cs", username="matrix-chair")
        User.objects.create(
            username="matrix-chair", agency="cheshire-east-cs", roles=["mash_manager"]
        )
        meeting = services.schedule(
            manager,
            services.Plan(timezone.localdate(), ("cheshire_east",), "matrix-chair", ("police",)),
        )
        item = services.add(
            manager, meeting.pk, services.Addition("child", "route matrix child", person=1)
        )
        action = services.set_action(
            manager,
            item.pk,
            services.Task(
                "Visit and talk to her",
                owner.username,
                "police",
                timezone.localdate() + dt.timedelta(7),
            ),
        )
        m["mace"] = {"meeting_id": meeting.pk, "item_id": item.pk, "action_id": action.pk}
    return dict(m["mace"])


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")

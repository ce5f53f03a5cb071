"""Migrations that move data: run them on a database holding the old shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_TEAMS = [
    ("accounts", "0002_apitoken"),
    ("deliveries", "0002_sourcerecord_current_by_subject"),
]
AFTER_TEAMS = [("accounts", "0003_team")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_team_names_become_teams_of_their_users_agency() -> None:
    old = _migrate(BEFORE_TEAMS)
    User = old.get_model("accounts", "User")
    User.objects.create(username="a", agency="cheshire-police", team="CE Unit", roles=[])
    User.objects.create(username="b", agency="cheshire-police", team="CE Unit", roles=[])
    User.objects.create(username="c", agency="cheshire-nhs", team="CE Unit", roles=[])
    User.objects.create(username="d", agency="cheshire-nhs", team="", roles=[])
    try:
        new = _migrate(AFTER_TEAMS)
        Team = new.get_model("accounts", "Team")
        teams = {(t.agency_id, t.name) for t in Team.objects.all()}
        assert teams == {("cheshire-police", "CE Unit"), ("cheshire-nhs", "CE Unit")}
        users = new.get_model("accounts", "User").objects.select_related("team")
        placed = {u.username: (u.team.agency_id, u.team.name) if u.team else None for u in users}
        assert placed == {
            "a": ("cheshire-police", "CE Unit"),
            "b": ("cheshire-police", "CE Unit"),
            "c": ("cheshire-nhs", "CE Unit"),
            "d": None,
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

"""Hostile values posted to every form of the hub (the POST routes of the route matrix, with
its samples as the otherwise good data), one field at a time, as a user the policy lets post
there. Whatever the value: never a server error; a refusal (400, a form shown again with its
problems, or the policy's 403/404) keeps nothing; and no page shows what was sent as markup -
neither the form shown again nor the page a success leads to.

The examples are few and derandomised for CI; `make fuzz` runs many more (FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
from typing import Any

from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, Phase, example, given, note, settings
from hypothesis import strategies as st

from safeguard.access import policy
from safeguard.access.policy import Actor
from safeguard.access.roles import Role
from safeguard.hub.accounts.models import User
from tests.fuzz import hostile
from tests.fuzz.conftest import staff
from tests.hub import test_routes as matrix
from tests.hub.governance_setup import mini_governance
from tests.hub.mace_setup import mini_mace
from tests.hub.pack_setup import mini_pack

#: Hostile posts Hypothesis makes up per form: none in CI, where each form gets one chosen
#: post (the forms take the hostile values and their fields in turn, so every value meets
#: several forms); `make fuzz` sets FUZZ_EXAMPLES (a quarter of it per form).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) // 4
#: Sign-in steps change the session the other calls use (`test_signin_forms.py` fuzzes them);
#: the API is Schemathesis's.
SKIPPED = {"login", "verify", "logout"}
FORMS = sorted(
    (name, route)
    for name, route, _ in matrix.ROUTES
    if (name, "POST") in matrix.SAMPLES and name not in SKIPPED and not name.startswith("api:")
)
#: Tried in this order for a role the policy lets post to a form.
ROLES = [Role.MASH_MANAGER, *Role]
#: Tables a refusal must leave as they were: everything but the trail of who did what and the
#: framework's own (sessions, lockout attempts, the tasks queue).
FRAMEWORK = {"audit", "sessions", "axes", "admin", "contenttypes", "auth", "otp_totp"}
KEPT = [
    m
    for m in apps.get_models()
    if m._meta.managed
    and not m._meta.proxy
    and m._meta.app_label not in FRAMEWORK
    and not m._meta.app_label.startswith("django_tasks")
]


def _actor(role: Role) -> Actor:
    """A signed-in actor with just `role` (for asking the policy before making the user)."""
    return User(username="probe", agency="cheshire-police", roles=[role.value]).actor(verified=True)


def _counts() -> tuple[int, ...]:
    """The rows of every kept table, in one query."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in KEPT]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return tuple(cursor.fetchone())


def test_every_form_is_fuzzed() -> None:
    assert len(FORMS) >= 30, FORMS


def _refused(response: Any) -> bool:
    if response.status_code in (400, 403, 404, 405, 409, 429):
        return True
    return response.status_code == 200 and b"govuk-error-summary" in response.content


def _shown_raw(content: bytes) -> list[str]:
    text = content.decode(errors="replace")
    return [m for m in hostile.RAW_MARKUP if m in text]


def _fuzz(turn: int, name: str, route: str, role: Role, user: User, mash: dict[str, Any]) -> None:
    """Post hostile values to one form, one field at a time, as `user`: the value and field
    chosen by the form's `turn`, then those Hypothesis makes up."""
    client = matrix._signed_in(user)
    url = matrix._url(route, mash)
    sample = matrix.SAMPLES[(name, "POST")]
    fields = sorted(sample(user, mash))

    @settings(
        max_examples=max(1, EXAMPLES),
        phases=[Phase.explicit, Phase.generate, Phase.shrink] if EXAMPLES else [Phase.explicit],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(field=st.sampled_from(fields), value=hostile.values())
    @example(field=fields[turn % len(fields)], value=hostile.VALUES[turn % len(hostile.VALUES)])
    def post(field: str, value: str) -> None:
        note(f"{name} as {role.value}: {field} = {value[:60]!r}")
        data = dict(sample(user, mash))
        data[field] = [value] if isinstance(data[field], list) else value
        before = _counts()
        response = client.post(url, data)
        assert response.status_code < 500, response.status_code
        assert not _shown_raw(response.content)
        if _refused(response):
            assert _counts() == before, "a refusal kept something"
        elif response.status_code in (301, 302, 303) and "<" in value:  # markup: is it escaped?
            shown = client.get(response["Location"])
            assert shown.status_code < 500 and not _shown_raw(shown.content)

    post()


def test_hostile_values_in_every_form(mini_mash: dict[str, Any]) -> None:
    mini_mace(mini_mash)
    mini_governance(mini_mash)
    mini_pack(mini_mash)
    matrix._SESSIONS.clear()
    users: dict[Role, User] = {}
    for turn, (name, route) in enumerate(FORMS):
        role = next(r for r in ROLES if policy.route(_actor(r), name))
        if role not in users:
            users[role] = staff(f"fuzz-{role.value}", role.value)
        _fuzz(turn, name, route, role, users[role], mini_mash)

"""Every route against every role, generated from the URL configuration: a new route without
an access rule fails here, and each role gets exactly what the policy says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from safeguard.access import policy
from safeguard.access.policy import Role
from safeguard.hub import urls


def _names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            namespace = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, namespace)
        elif p.name:
            yield prefix + p.name


ALL_ROUTES = sorted(set(_names(get_resolver(urls).url_patterns)))
#: The routes of our own pages (Django admin's are one rule, tried through its index).
OUR_ROUTES = [n for n in ALL_ROUTES if not n.startswith("admin:")] + ["admin:index"]
URLS = {
    "healthz": "/healthz",
    "login": "/accounts/login/",
    "verify": "/accounts/verify/",
    "enrol": "/accounts/enrol/",
    "logout": "/accounts/logout/",
    "home": "/",
    "people:search": "/people/?q=smith",
    "people:detail": "/people/1/",
    "people:break_glass": "/people/1/break-glass/",
    "people:decide": "/people/1/decide/",
    "people:split": "/people/1/split/",
    "people:explain": "/people/1/explain/?left=cheshire-police:POL-1&right=cheshire-nhs:NHS-1",
    "audit:events": "/audit/",
    "admin:index": "/admin/",
    "api:openapi-json": "/api/openapi.json",
    "api:openapi-view": "/api/docs",
    "api:api-root": "/api/",
    "api:people_search": "/api/people?q=smith",
    "api:person": "/api/people/1",
}


def test_every_route_has_an_access_rule() -> None:
    missing = [n for n in ALL_ROUTES if policy.rule_for(n) is None]
    assert not missing, f"routes without a rule in safeguard.access.policy.ROUTES: {missing}"
    assert set(OUR_ROUTES) == set(URLS), "give each new route a URL to try in URLS"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_the_policy_says_on_every_route(
    role: Role, make_user, sign_in, mini_hub
) -> None:
    user = make_user(f"user-{role.value}", role.value, agency="cheshire-police")
    client = sign_in(user)
    actor = user.actor(verified=True)
    for name in OUR_ROUTES:
        if name == "logout":
            continue  # signing out ends the session the rest of the loop uses
        response = client.get(URLS[name])
        decision = policy.route(actor, name)
        if decision:
            assert response.status_code != 403, (role, name, response.status_code)
        else:
            assert response.status_code == 403, (role, name, response.status_code)
            assert decision.reason.split(":")[0] in response.content.decode()


def test_nobody_signed_in_is_sent_to_sign_in(mini_hub, client) -> None:
    for name in OUR_ROUTES:
        response = client.get(URLS[name])
        if policy.route(None, name):  # public, or an API call that checks its own token
            assert response.status_code in (200, 302, 401, 404, 405), name
            if name not in ("verify", "enrol"):  # second steps send an anonymous user to the first
                assert not response.get("Location", "").startswith("/accounts/login/"), name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/?next="), name

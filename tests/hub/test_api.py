"""The JSON API: token authentication, the same access policy and audit as the pages, and
its OpenAPI description."""

from __future__ import annotations

import secrets

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import ApiToken
from safeguard.hub.accounts.services import digest
from safeguard.hub.audit.models import AuditEvent


def _token(user, name: str = "case system") -> str:  # type: ignore[no-untyped-def]
    """A token for `user`, made a system account first (no password, no authenticator): the
    only kind that may hold one."""
    user.set_unusable_password()
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    value = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=digest(value))
    return value


def _get(path: str, token: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(path, headers=headers)


def test_no_token_no_answer(mini_hub) -> None:
    assert _get("/api/people?q=smith").status_code == 401
    assert _get("/api/people?q=smith", "not-a-token").status_code == 401


def test_search_and_person_under_the_policy_and_audited(make_user, mini_hub) -> None:
    school_system = make_user("school-system", "school_dsl", agency="cheshire-schools")
    token = _token(school_system)
    found = _get("/api/people?q=smith", token).json()
    by_id = {r["person_id"]: r for r in found["results"]}
    assert by_id[1]["restricted"] is False and by_id[1]["name"]
    brown = _get("/api/people?q=john brown", token).json()["results"]
    assert brown and brown[0]["restricted"] is True and brown[0]["name"] is None
    person = _get("/api/people/1", token)
    assert person.status_code == 200
    body = person.json()
    assert {r["agency"] for r in body["records"]} == {
        "cheshire-police",
        "cheshire-nhs",
        "cheshire-schools",
    }
    assert body["lawful_basis"]
    refused = _get("/api/people/3", token)
    assert refused.status_code == 403 and "no need to know" in refused.json()["detail"]
    assert _get("/api/people/999", token).status_code == 404
    events = AuditEvent.objects.filter(username="school-system", channel="api")
    assert events.filter(action="searched").count() == 2
    assert events.filter(action="refused", person_id=3, allowed=False).exists()
    assert events.filter(action="viewed_person", person_id=1, allowed=True).count() == 1


def test_a_revoked_token_stops_working(make_user, mini_hub) -> None:
    user = make_user("police-system", "police_officer")
    token = _token(user)
    assert _get("/api/people/1", token).status_code == 200
    ApiToken.objects.filter(user=user).update(revoked_at="2026-11-29T00:00:00Z")
    assert _get("/api/people/1", token).status_code == 401


def test_the_openapi_description_is_public_and_lists_the_calls(client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/people", "/api/people/{person_id}"} <= set(spec["paths"])
    assert client.get("/api/docs").status_code == 200


def test_a_role_without_search_is_refused_by_the_api(make_user, mini_hub) -> None:
    token = _token(make_user("audit-system", "auditor", agency="cheshire-east-cs"))
    refused = _get("/api/people?q=smith", token)
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(username="audit-system", allowed=False).exists()

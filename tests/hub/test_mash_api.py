"""The MASH's JSON API: an agency system sends a contact and asks what became of it, under
the same policy, rules and audit as the pages; bad input is refused field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.mash.models import Contact
from tests.hub.test_api import _get, _token

pytestmark = pytest.mark.django_db


def _post(path: str, body: dict[str, Any], token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().post(path, json.dumps(body), content_type="application/json", headers=headers)


GOOD = {
    "summary": "Seen getting into a car with an older man after school",
    "factors": ["11A"],
    "people": [
        {"kind": "child", "main": True, "name": "Katie Smith", "date_of_birth": "2011-07-04"},
        {"kind": "adult", "name": "Kane", "relationship": "'boyfriend'"},
    ],
    "consent": "refused",
    "consent_reason": "Parent may be involved",
}


def test_a_system_sends_a_contact_and_sees_what_became_of_it(make_user: Any, mini_hub: Any) -> None:
    system = make_user("police-system", "police_officer", agency="cheshire-police")
    token = _token(system)
    assert _post("/api/contacts", GOOD, None).status_code == 401
    sent = _post("/api/contacts", GOOD, token)
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["reference"].startswith("MASH-") and body["status"] == "with the MASH"
    found = Contact.objects.get()
    assert (
        found.route == "api" and found.source == "6" and found.referrer_agency == "cheshire-police"
    )
    received = AuditEvent.objects.filter(action="contact_received").get()
    assert received.channel == "api" and received.username == "police-system"

    status = _get(f"/api/contacts/{body['reference']}", token)
    assert status.status_code == 200 and status.json()["feedback"] == ""
    other = _token(make_user("other-system", "police_officer"))
    assert _get(f"/api/contacts/{body['reference']}", other).status_code == 404  # not theirs

    from safeguard.access.roles import Role
    from safeguard.hub.mash import services
    from tests.callers import caller

    boss = caller(Role.MASH_MANAGER, agency="cheshire-east-cs")
    services.rate(boss, body["reference"], "blue", "universal services")
    services.decide(boss, body["reference"], ["advice"], "advice given", "safeguarding")
    decided = _get(f"/api/contacts/{body['reference']}", token).json()
    assert decided["status"] == "decided" and decided["outcomes"] == ["Information and advice"]
    assert "Information and advice" in decided["feedback"]


def test_bad_contacts_are_refused_field_by_field_and_nothing_is_kept(
    make_user: Any, mini_hub: Any
) -> None:
    token = _token(make_user("school-system", "school_dsl", agency="cheshire-schools"))
    bad = {**GOOD, "factors": ["nope"], "people": [{"kind": "adult", "main": True}]}
    refused = _post("/api/contacts", bad, token)
    assert refused.status_code == 400
    problems = refused.json()["problems"]
    assert {"factors", "people", "people.0.name"} <= set(problems)
    assert Contact.objects.count() == 0
    assert _post("/api/contacts", {"summary": "x"}, token).status_code == 422  # not a contact
    assert AuditEvent.objects.filter(action="refused", channel="api").count() == 1

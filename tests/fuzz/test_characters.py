"""A NUL or half a surrogate pair anywhere in a request is refused with a 400 before the view
runs, on the pages and the API alike, and nothing is kept (PostgreSQL text cannot hold a NUL:
without the refusal these were server errors there)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.mash.models import CheckRequest, Contact
from safeguard.hub.people.models import PersonRecord
from safeguard.hub.web.characters import unkeepable
from tests.fuzz.conftest import staff
from tests.hub import test_routes as matrix


def test_what_cannot_be_kept() -> None:
    assert unkeepable("a\x00b") and unkeepable("\ud800") and unkeepable("x\udfff")
    assert not unkeepable("Zoë 🙂 مرحبا\u202e\u0301 =1+1")


def test_the_api_refuses_it_in_a_body_a_query_or_a_path(system_token: Any, mini_hub: Any) -> None:
    headers = {"Authorization": f"Bearer {system_token()}"}
    for bad in ("a\x00b", "broken \ud83d half"):
        _refused_by_the_api(bad, headers)


def _refused_by_the_api(bad: str, headers: dict[str, str]) -> None:
    body = {"summary": "fine", "factors": ["11A"], "people": [{"main": True, "name": bad}]}
    before = Contact.objects.count()
    sent = Client().post(
        "/api/contacts", json.dumps(body), content_type="application/json", headers=headers
    )
    assert sent.status_code == 400 and "cannot keep" in sent.json()["detail"]
    assert Contact.objects.count() == before
    if "\x00" in bad:  # a URL is bytes: half a surrogate pair cannot be sent in one
        assert Client().get("/api/people", {"q": bad}, headers=headers).status_code == 400
        assert Client().get("/api/contacts/MASH%00", headers=headers).status_code == 400
    body["people"][0]["name"] = "Jay"
    sent = Client().post(
        "/api/contacts", json.dumps(body), content_type="application/json", headers=headers
    )
    assert sent.status_code == 201 and Contact.objects.count() == before + 1


def test_a_page_refuses_it_in_a_form_and_keeps_nothing(mini_hub: Any) -> None:
    client = matrix._client(staff("officer", "police_officer"))
    form = {"child_name": "Jay\x00", "factors": ["11A"], "summary": "x", "anonymity": "named"}
    refused = client.post("/mash/contacts/new/", form)
    assert refused.status_code == 400 and b"could not be kept" in refused.content
    assert not Contact.objects.exists()
    assert client.get("/people/", {"q": "smi\x00th"}).status_code == 400


@pytest.mark.parametrize(("name", "field"), [("mash:ask", "agency"), ("people:split", "record")])
def test_the_forms_that_failed_on_a_nul_refuse_it(
    name: str, field: str, mini_mash: dict[str, Any]
) -> None:
    """A NUL in a value these forms look up in the database was a server error on PostgreSQL
    (found by the fuzzing)."""
    user = staff("manager", "mash_manager", agency="cheshire-east-cs")
    route = next(r for n, r, _ in matrix.ROUTES if n == name)
    data = matrix.SAMPLES[(name, "POST")](user, mini_mash)
    data[field] = ["x\x00"]
    before = AuditEvent.objects.count(), CheckRequest.objects.count(), PersonRecord.objects.count()
    refused = matrix._client(user).post(matrix._url(route, mini_mash), data)
    assert refused.status_code == 400 and b"could not be kept" in refused.content
    after = AuditEvent.objects.count(), CheckRequest.objects.count(), PersonRecord.objects.count()
    assert after == before

"""A NUL or half a surrogate pair anywhere in a request is refused with a 400 before the view
runs, on the pages and the API alike, and nothing is kept (PostgreSQL text cannot hold a NUL:
without the refusal these were server errors there)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from safeguard.hub.mash.models import Contact
from safeguard.hub.web.characters import unkeepable
from tests.hub.test_api import _token


def test_what_cannot_be_kept() -> None:
    assert unkeepable("a\x00b") and unkeepable("\ud800") and unkeepable("x\udfff")
    assert not unkeepable("Zoë 🙂 مرحبا\u202e\u0301 =1+1")


@pytest.mark.parametrize("bad", ["a\x00b", "broken \ud83d half"])
def test_the_api_refuses_it_in_a_body_a_query_or_a_path(
    bad: str, make_user: Any, mini_hub: Any
) -> None:
    headers = {"Authorization": f"Bearer {_token(make_user('system', 'police_officer'))}"}
    body = {"summary": "fine", "factors": ["11A"], "people": [{"main": True, "name": bad}]}
    sent = Client().post(
        "/api/contacts", json.dumps(body), content_type="application/json", headers=headers
    )
    assert sent.status_code == 400 and "cannot keep" in sent.json()["detail"]
    assert not Contact.objects.exists()
    if "\x00" in bad:  # a URL is bytes: half a surrogate pair cannot be sent in one
        assert Client().get("/api/people", {"q": bad}, headers=headers).status_code == 400
        assert Client().get("/api/contacts/MASH%00", headers=headers).status_code == 400
    body["people"][0]["name"] = "Jay"
    sent = Client().post(
        "/api/contacts", json.dumps(body), content_type="application/json", headers=headers
    )
    assert sent.status_code == 201


def test_a_page_refuses_it_in_a_form_and_keeps_nothing(
    make_user: Any, sign_in: Any, mini_hub: Any
) -> None:
    client = sign_in(make_user("officer", "police_officer"))
    form = {"child_name": "Jay\x00", "factors": ["11A"], "summary": "x", "anonymity": "named"}
    refused = client.post("/mash/contacts/new/", form)
    assert refused.status_code == 400 and b"could not be kept" in refused.content
    assert not Contact.objects.exists()
    assert client.get("/people/", {"q": "smi\x00th"}).status_code == 400

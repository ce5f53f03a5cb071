"""Schemathesis against the API's OpenAPI description, in-process: every operation, with a
live token of an account that may make the call and with none (or a token nobody holds), with
data that fits the description and data that does not. Every answer must be one the
description names, in its content type and shape, and never a server error; a contact refused
keeps nothing.

The examples are few and derandomised, so CI is quick and repeatable; `make fuzz` runs the same
tests with many more (FUZZ_EXAMPLES)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safeguard.hub.api import api
from safeguard.hub.mash.models import Contact
from tests.fuzz import hostile
from tests.fuzz.conftest import staff
from tests.hub import test_routes as matrix

#: Examples per operation for a holder of a token (a third as many without one).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
_handler = ClientHandler(enforce_csrf_checks=False)


def _app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The hub as a WSGI application that keeps to the test's database transaction (as
    Django's test client does), for Schemathesis to call."""
    response = _handler(environ)
    cookies = [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
    start_response(
        f"{response.status_code} {response.reason_phrase}", [*response.items(), *cookies]
    )
    return [response.content]


SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = _app
OPERATIONS = [found.ok() for found in SCHEMA.get_all_operations()]


def test_every_endpoint_of_the_api_is_fuzzed() -> None:
    routes = {
        (method.upper(), path)
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    assert {(op.method.upper(), op.path) for op in OPERATIONS} == routes and len(routes) >= 4


def _known(case: Any, reference: str) -> Any:
    """The case aimed at something that exists, so the fuzz also reaches the answers for a
    real person or contact."""
    if "person_id" in (case.path_parameters or {}):
        case.path_parameters["person_id"] = 1
    if "reference" in (case.path_parameters or {}):
        case.path_parameters["reference"] = reference
    return case


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_each_operation_answers_as_described_and_never_fails(
    operation: Any, system_token: Callable[[], str], mini_hub: Any
) -> None:
    token = system_token()
    sent = Client().post(
        "/api/contacts",
        json.dumps(
            {"summary": "fuzz", "factors": ["11A"], "people": [{"main": True, "name": "J"}]}
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert sent.status_code == 201, sent.content
    reference = sent.json()["reference"]
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE).map(
            lambda case: _known(case, reference)
        ),
    )
    creates = operation.method.upper() == "POST"

    def call(case: Any, headers: dict[str, str]) -> None:
        before = Contact.objects.count()
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if creates:  # a contact is kept whole or not at all
            assert Contact.objects.count() == before + (response.status_code == 201)

    run = settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    run(given(case=cases)(lambda case: call(case, {"Authorization": f"Bearer {token}"})))()
    anyone = st.sampled_from([{}, {"Authorization": "Bearer not-a-token"}])
    settings(run, max_examples=max(2, EXAMPLES // 3))(given(case=cases, headers=anyone)(call))()


def test_markup_a_system_sends_is_kept_as_text_and_shown_escaped(
    system_token: Callable[[], str], mini_hub: Any
) -> None:
    body = {
        "summary": hostile.SCRIPT + " " + hostile.FORMULAE[0],
        "factors": ["11A"],
        "people": [{"main": True, "name": hostile.ATTRIBUTE, "address": hostile.SCRIPTS}],
        "referrer": {"name": hostile.SCRIPT},
    }
    sent = Client().post(
        "/api/contacts",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {system_token()}"},
    )
    assert sent.status_code == 201, sent.content
    assert Contact.objects.get().summary == body["summary"]  # kept as sent, not mangled
    manager = matrix._client(staff("manager", "mash_manager", agency="cheshire-east-cs"))
    page = manager.get(f"/mash/contacts/{sent.json()['reference']}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "&lt;script&gt;alert(" in text
    assert not [m for m in hostile.RAW_MARKUP if m in text]

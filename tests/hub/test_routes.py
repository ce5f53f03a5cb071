"""Every route and API endpoint, with every method, as every role - generated from the URL
configuration, so a new route without an access rule, or without a declaration of the audit
event it writes, fails here.

For each call: a route the policy refuses answers 403 and writes exactly one `refused` event;
an allowed call with a method the view does not answer gets 405 and writes nothing; an allowed
call writes exactly one event - the type the view declares for that method, or `refused` when
the service refused (no need to know, a rule of the work) - and none when it declares none.
Each declared event must be seen at least once over all the roles, so the samples below keep
the matrix honest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import policy
from safeguard.access.events import EVENTS, Refused
from safeguard.access.policy import Role
from safeguard.hub import urls
from safeguard.hub.accounts.models import ApiToken
from safeguard.hub.accounts.services import digest
from safeguard.hub.api import api
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.mash.models import CheckRequest
from tests.hub.conftest import PASSWORD, current_code, system_account
from tests.hub.governance_setup import mini_governance
from tests.hub.mace_setup import mini_mace, today
from tests.hub.pack_setup import mini_pack

METHODS = ("GET", "POST")
#: What each path parameter is filled with: a person of the mini hub every agency's user may
#: meet (the police hold a record of P1, and the test users are police), and the MASH's
#: contact about them (`mini_mash`) with its police check.
PARAMETERS = {
    "person_id": lambda m: "1",
    "reference": lambda m: m["reference"],
    "check_id": lambda m: str(m["check_id"]),
    "alert_id": lambda m: "1",
    "episode_id": lambda m: str(m["episode_id"]),
    "interview_id": lambda m: str(m["interview_id"]),
    "task_id": lambda m: str(m["task_id"]),
    "home_id": lambda m: m["home_id"],
    "meeting_id": lambda m: str(mini_mace(m)["meeting_id"]),
    "item_id": lambda m: str(mini_mace(m)["item_id"]),
    "action_id": lambda m: str(mini_mace(m)["action_id"]),
    "key": lambda m: m["finding_key"],
    "recommendation_id": lambda m: mini_governance(m)["recommendation_id"],
    "assessment_id": lambda m: str(mini_governance(m)["assessment_id"]),
    "review_action_id": lambda m: str(mini_governance(m)["review_action_id"]),
    "kpi": lambda m: "decided_in_time",
    "pack_id": lambda m: str(mini_pack(m)),
}


def _waiting_check() -> int:
    found = CheckRequest.objects.filter(status="requested").order_by("-pk").first()
    return found.pk if found else 0


#: Data sent with a call, by route and method (only where the call needs some to do its work).
SAMPLES: dict[tuple[str, str], Callable[[Any, Any], dict[str, Any]]] = {
    ("people:search", "GET"): lambda user, m: {"q": "smith"},
    ("api:people_search", "GET"): lambda user, m: {"q": "smith"},
    ("people:explain", "GET"): lambda user, m: {
        "left": "cheshire-nhs:NHS-1",
        "right": "cheshire-police:POL-1",
    },
    ("people:break_glass", "POST"): lambda user, m: {"reason": "a child may be at risk now"},
    ("intelligence:confirm", "POST"): lambda user, m: {
        "band": "moderate",
        "reason": f"route matrix, {user.username}",
    },
    ("intelligence:record", "POST"): lambda user, m: {
        "code": "older_boyfriend",
        "seen_on": "1/11/2026",
        "note": f"route matrix, {user.username}",
    },
    ("intelligence:dispose", "POST"): lambda user, m: {
        "status": "under_investigation",
        "reason": f"route matrix, {user.username}",
    },
    ("people:decide", "POST"): lambda user, m: {
        "left": "cheshire-nhs:NHS-1",
        "right": "cheshire-police:POL-1",
        "same": "no",
        "reason": f"route matrix, {user.username}",
    },
    ("people:split", "POST"): lambda user, m: {
        "record": ["cheshire-schools:SCH-1"],
        "reason": f"route matrix, {user.username}",
    },
    ("login", "POST"): lambda user, m: {"username": user.username, "password": PASSWORD},
    ("verify", "POST"): lambda user, m: {"otp_token": current_code(user)},
    ("mash:new", "POST"): lambda user, m: {
        "child_name": "Jay Test",
        "factors": ["11A"],
        "summary": f"route matrix, {user.username}",
        "anonymity": "named",
    },
    ("api:contact_create", "POST"): lambda user, m: {
        "summary": f"route matrix, {user.username}",
        "factors": ["11A"],
        "people": [{"kind": "child", "main": True, "name": "Jay Test"}],
    },
    ("mash:rate", "POST"): lambda user, m: {"rating": "amber", "reason": "matrix"},
    ("mash:route", "POST"): lambda user, m: {"reason": "matrix"},
    ("mash:ask", "POST"): lambda user, m: {"agency": ["cheshire-nhs"], "basis": "safeguarding"},
    ("mash:withdraw", "POST"): lambda user, m: {"check": _waiting_check(), "reason": "matrix"},
    ("mash:link", "POST"): lambda user, m: {"subject": m["subject"], "person": 1},
    ("mash:note", "POST"): lambda user, m: {"text": f"route matrix, {user.username}"},
    ("mash:decide", "POST"): lambda user, m: {
        "outcome": ["nfa"],
        "reason": "matrix",
        "basis": "safeguarding",
    },
    ("mash:reopen", "POST"): lambda user, m: {"reason": "matrix"},
    ("mash:check", "POST"): lambda user, m: {"answer": "nothing held", "holds": "no"},
    ("concerns:report", "POST"): lambda user, m: {
        "what": "route matrix",
        "form_token": f"matrix-{user.username if user else 'public'}",
    },
    ("concerns:follow_up", "POST"): lambda user, m: {
        "code": m["code"],
        "adding": "yes",
        "text": "route matrix",
    },
    ("concerns:reporter", "POST"): lambda user, m: {"why": "to call them back about it"},
    ("missing:report", "POST"): lambda user, m: {"kind": "absent", "person": "P1", "home": "H-1"},
    ("missing:grade", "POST"): lambda user, m: {"grade": "medium", "reason": "matrix"},
    ("missing:find", "POST"): lambda user, m: {"found_where": "the park"},
    ("missing:cancel", "POST"): lambda user, m: {"reason": "matrix"},
    ("missing:part_two", "POST"): lambda user, m: {"clothing": "grey hoodie"},
    ("missing:part_one", "POST"): lambda user, m: {"description": "matrix: slim, dark hair"},
    ("missing:interview", "POST"): lambda user, m: {"action": "offer"},
    ("missing:task", "POST"): lambda user, m: {"action": "hold", "outcome": "matrix"},
    ("homes:visit", "POST"): lambda user, m: {"kind": "call", "notes": "matrix"},
    ("mace:new", "POST"): lambda user, m: {
        "held_on": today(),
        "areas": ["cheshire_east"],
        "chair": user.username,
        "attendees": ["police", "health"],
    },
    ("mace:edit", "POST"): lambda user, m: {
        "held_on": today(),
        "areas": ["cheshire_east", "halton"],
        "chair": user.username,
        "attendees": ["police"],
    },
    ("mace:add", "POST"): lambda user, m: {
        "kind": "place",
        "place": f"route matrix place, {user.username}",
        "reason": "matrix",
    },
    ("mace:decide", "POST"): lambda user, m: {"summary": "matrix", "decision": "matrix"},
    ("mace:set_action", "POST"): lambda user, m: {
        "what": "matrix",
        "owner": "matrix-mace-police",
        "agency": "police",
        "due_on": today(),
    },
    ("mace:action", "POST"): lambda user, m: {"step": "complete", "reason": "matrix"},
    ("mace:record_disruption", "POST"): lambda user, m: {
        "kind": "cawn",
        "on": today(),
        "against": "route matrix adult",
        "agency": "police",
    },
    ("governance:assess", "POST"): lambda user, m: {
        "rag": "red",
        "narrative": f"route matrix, {user.username}",
        "step": "save",
    },
    ("governance:review", "POST"): lambda user, m: {"step": "sign_off", "reason": "matrix"},
    ("governance:set_action", "POST"): lambda user, m: {
        "what": f"route matrix, {user.username}",
        "owner": user.username,
        "agency": "cheshire-police",
        "due_on": today(),
    },
    ("governance:action", "POST"): lambda user, m: {"step": "start", "reason": "matrix"},
    ("governance:kpi", "GET"): lambda user, m: {"area": "halton", "published": "1"},
    ("governance:make_pack", "POST"): lambda user, m: {"meeting": "not a date"},
    ("homes:notify", "POST"): lambda user, m: {
        "event": "other",
        "told": ["Ofsted"],
        "details": "matrix",
    },
}
#: Calls anyone may make, signed in or not (the public's pages): they write the event they
#: declare, a refusal, or (looking a code up) nothing.
PUBLIC_WRITES = {("concerns:report", "POST"), ("concerns:follow_up", "POST")}
#: Declared events no role can bring about in the mini hub, and where they are tested instead.
NOT_SEEN_HERE = {
    ("people:explain", "GET"),  # needs a linkage run's scored pairs: tests/browser
    ("enrol", "POST"),  # needs an account opened to set up an authenticator: test_enrol.py
    ("mash:route", "POST"),  # needs an open case: test_mash_services.py
    ("api:contact_status", "GET"),  # needs a contact the token's account sent: test_mash_api
    ("missing:handover", "POST"),  # needs a Philomena form: test_missing_services.py
    ("missing:cancel", "POST"),  # the episode is found first here: test_missing_services.py
    ("missing:pack", "GET"),  # needs a Philomena form: test_missing_services.py
    ("missing:part_two", "POST"),  # home staff or social workers: test_missing_pages.py
    ("missing:part_one", "POST"),  # home staff of the child's home: test_missing_pages.py
    ("missing:interview", "POST"),  # the provider's interviewers: test_missing_pages.py
    ("missing:interview", "GET"),  # the provider's interviewers: test_missing_pages.py
    ("homes:visit", "POST"),  # the home's own SPOC: test_missing_pages.py
    ("homes:notify", "POST"),  # the home's own staff: test_missing_pages.py
    ("governance:make_pack", "POST"),  # a PDF takes seconds: test_governance_data_set_pages.py
}


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", route: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            namespace = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, namespace, route + str(p.pattern))
        elif p.name:
            yield prefix + p.name, route + str(p.pattern), p.callback


def _api_declarations() -> dict[str, dict[str, Any]]:
    """What each API endpoint declares (django-ninja keeps the function beneath its view)."""
    found = {}
    for _, router in api._routers:
        for operations in router.path_operations.values():
            for op in operations.operations:
                found[f"api:{op.url_name}"] = getattr(op.view_func, "audited", None)
    return found


ALL = list(_walk(get_resolver(urls).url_patterns))
API = _api_declarations()
#: Django admin's routes are one rule (`admin:`), tried through its index; django-ninja's own
#: pages (its description and root) read nothing about anyone.
FRAMEWORK = {"api:openapi-json", "api:openapi-view", "api:api-root"}
ROUTES = [(n, r, c) for n, r, c in ALL if not n.startswith("admin:")] + [
    next((n, r, c) for n, r, c in ALL if n == "admin:index")
]


def _url(route: str, mash: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PARAMETERS[m.group(1)](mash), route)


def _declared(name: str, view: Any) -> dict[str, Any]:
    if name in API:
        return API[name] or {}
    if name.startswith("admin:") or name in FRAMEWORK:
        return {"GET": None, "POST": None}  # no events: reading the admin's index, or the API's
    return getattr(view, "audited", None) or {}


def test_every_route_has_an_access_rule_and_declares_its_audit_events() -> None:
    names = [n for n, _, _ in ALL]
    missing = [n for n in names if policy.rule_for(n) is None]
    assert not missing, f"routes without a rule in safeguard.access.policy.ROUTES: {missing}"
    undeclared = [n for n, _, view in ROUTES if not _declared(n, view)]
    assert not undeclared, (
        f"views that declare no methods and audit events (audits()): {undeclared}"
    )
    for n, _, view in ROUTES:
        for event in _declared(n, view).values():
            assert event is None or event.name in EVENTS, (n, event)


def _client(user: Any) -> Client:
    """A session signed in with both factors (as the sign-in pages would leave it)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def _call(
    name: str, route: str, method: str, user: Any, token: str | None, mash: dict[str, Any]
) -> Any:
    public = (name, method) in PUBLIC_WRITES
    sample = SAMPLES.get((name, method), lambda _u, _m: {})
    data = sample(user, mash) if user or public else {}
    url = _url(route, mash)
    if name.startswith("api:") and name not in FRAMEWORK:
        client, headers = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if method == "POST":
            return client.post(url, json.dumps(data), content_type="application/json", **headers)
    else:
        client, headers = (_signed_in(user) if user else Client()), {}
    send = client.get if method == "GET" else client.post
    response = send(url, data, **headers)
    if name in ("logout", "login", "verify"):  # the session changed: the next call signs in again
        _SESSIONS.pop(getattr(user, "pk", None), None)
    return response


#: A signed-in client per user, reused across calls (signing in afresh for each of thousands of
#: calls was most of the matrix's time).
_SESSIONS: dict[Any, Client] = {}


def _signed_in(user: Any) -> Client:
    found = _SESSIONS.get(user.pk)
    if found is None or found.session.get("_auth_user_id") != str(user.pk):
        found = _SESSIONS[user.pk] = _client(user)
    return found


@pytest.mark.parametrize("role", [None, *Role])
def test_each_role_on_every_route_and_method_gets_what_the_policy_says_and_one_event(
    role: Role | None, make_user, mini_mash
) -> None:
    _SESSIONS.clear()
    mini_mace(mini_mash)  # made before the calls, so that no call counts its events
    mini_governance(mini_mash)
    mini_pack(mini_mash)
    user = make_user(f"user-{role.value}", role.value) if role else None
    token = None
    if role is not None:  # the API is called by the role's agency system, with a token
        token = f"token-{role}"
        system = system_account(f"system-{role.value}", role.value)
        ApiToken.objects.create(user=system, name="matrix", digest=digest(token))
    actor = user.actor(verified=True) if user else None
    for name, route, view in ROUTES:
        declared = _declared(name, view)
        for method in METHODS:
            before = AuditEvent.objects.count()
            response = _call(name, route, method, user, token, mini_mash)
            # the caller's own event: the hub's rules may add their consequences (channel job)
            made = [e for e in AuditEvent.objects.order_by("pk")[before:] if e.channel != "job"]
            where = (role, name, method, response.status_code, [e.action for e in made])
            decision = policy.route(actor, name)
            if (name, method) in PUBLIC_WRITES and method in declared:
                assert len(made) <= 1 and response.status_code < 500, where
                assert {e.action for e in made} <= {declared[method].name, Refused.name}, where
                continue
            if actor is None:  # nobody signed in: sent to sign in, or a public page; no event
                assert not made and response.status_code < 500, where
                if not decision:
                    assert response.status_code == 302, where
                    assert response["Location"].startswith("/accounts/login/"), where
                continue
            if name.startswith("api:") and name not in FRAMEWORK and token is None:
                assert response.status_code == 401 and not made, where  # no token, no call
                continue
            if not decision:
                assert response.status_code == 403, where
                assert [e.action for e in made] == [Refused.name], where
                assert decision.reason.split(":")[0] in response.content.decode(), where
                continue
            if method not in declared:
                assert response.status_code == 405 and not made, where
                continue
            expected = declared[method]
            if expected is None:
                assert not made, where
                continue
            assert len(made) == 1 and made[0].action in (expected.name, Refused.name), where
            assert made[0].channel == ("api" if name.startswith("api:") else "web"), where
            if made[0].action == Refused.name:
                assert not made[0].allowed and response.status_code in (302, 400, 403, 404), where
            else:
                assert made[0].allowed and response.status_code < 400, where


def test_every_declared_event_is_seen_for_some_role(make_user, mini_mash) -> None:
    """The samples do their work: each route's declared event is written for some role."""
    _SESSIONS.clear()
    mini_mace(mini_mash)
    mini_governance(mini_mash)
    mini_pack(mini_mash)
    roles = [
        Role.MASH_MANAGER,
        Role.STRATEGIC_LEAD,
        Role.AGENCY_LEAD,
        Role.AUDITOR,
        Role.POLICE_OFFICER,
        Role.POLICE_SPOC,
        Role.RHI_WORKER,
    ]
    users = {r: make_user(f"seen-{r.value}", r.value) for r in roles}
    tokens = {}
    for r in users:
        tokens[r] = f"seen-token-{r}"
        system = system_account(f"seen-system-{r.value}", r.value)
        ApiToken.objects.create(user=system, name="matrix", digest=digest(tokens[r]))
    missed = []
    for name, route, view in ROUTES:
        for method, expected in _declared(name, view).items():
            if expected is None or (name, method) in NOT_SEEN_HERE:
                continue
            seen = False
            for r, user in users.items():
                before = AuditEvent.objects.count()
                _call(name, route, method, user, tokens[r], mini_mash)
                made = AuditEvent.objects.order_by("pk")[before:]
                seen = seen or any(e.action == expected.name for e in made)
            if not seen:
                missed.append((name, method, expected.name))
    assert not missed, f"no role brought about these declared events: {missed}"

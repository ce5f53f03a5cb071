"""The access chokepoint for pages: every request's route is decided by the access policy
before its view runs. Refusals are audited; a user not signed in (or not past the one-time
code) is sent to that step instead."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from safeguard.access import policy
from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel, Refused
from safeguard.hub.accounts.services import SIGNED_IN_AT
from safeguard.hub.audit import services as audit
from safeguard.hub.web.adapter import actor_of, refused

__all__ = ["actor_of"]


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else ""
        actor = actor_of(request)
        decision = policy.route(actor, name)
        if decision:
            return None
        if policy.rule_for(name) is not None and actor is None:
            return _to(reverse("login"), request)
        if policy.rule_for(name) is not None and actor is not None and not actor.verified:
            return _to(reverse("verify"), request)
        caller = Caller(actor, Channel.WEB) if actor else None
        try:
            audit.refuse(
                caller, Refused("open a page", f"{request.method} {request.path}"), decision
            )
        except Refusal as refusal:
            return refused(request, refusal)


class AdminAuditMiddleware:
    """Every change made through the admin site (a user's roles, a home's police SPOC, a reset
    authenticator, an administrator's own password) becomes an audit event too, copied from
    the admin's own log of the request, in one transaction with the change itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.path.startswith(reverse("admin:index")):
            return self.get_response(request)
        actor, user_id = actor_of(request), request.user.pk
        if actor is None or user_id is None:  # the access middleware refuses such a request
            return self.get_response(request)
        caller = Caller(actor, Channel.WEB)
        # the change and its audit events commit together, or neither
        response = audit.through_admin(caller, user_id, lambda: self.get_response(request))
        match = request.resolver_match
        if match and match.view_name == "admin:password_change" and response.status_code == 302:
            audit.own_password_changed(caller)  # Django's admin keeps no log entry of this one
        return response


def _to(url: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


#: How often an active session's idle clock is pushed back (a session write), at most.
IDLE_REFRESH_SECONDS = 60


class IdleSessionMiddleware:
    """Sessions end after `SESSION_COOKIE_AGE` without a request. Pushing the expiry back on
    every request would write the session on every request; this does it at most once a
    minute, so the idle limit holds to within a minute. However busy, a session also ends
    `SESSION_ABSOLUTE_SECONDS` after its sign-in: the user signs in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            since = session.get(SIGNED_IN_AT)
            if since is not None and now - int(since) >= settings.SESSION_ABSOLUTE_SECONDS:
                session.flush()  # signed out: the access middleware sends them to sign in
                return self.get_response(request)
            if now - int(session.get("_seen", 0)) >= IDLE_REFRESH_SECONDS:
                session["_seen"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)

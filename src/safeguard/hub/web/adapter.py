"""What every app's views share: the caller of a request (the signed-in user as the policy
sees them, on the web channel, with their live break-glass grants), the declaration of which
methods a view answers and the audit event each writes (the route matrix test reads it), and
the page a refusal gets."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel, Event
from safeguard.access.policy import Actor

#: How long a break-glass grant lasts in the session.
GLASS_SECONDS = 60 * 60
V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def actor_of(request: HttpRequest) -> Actor | None:
    """The signed-in user as the policy sees them (None when nobody is signed in)."""
    user = request.user
    if not user.is_authenticated:
        return None
    return user.signed_in_actor()


def caller_of(request: HttpRequest) -> Caller:
    """The request's caller. Only for routes the access middleware let through signed in."""
    actor = actor_of(request)
    if actor is None:
        raise PermissionError("not signed in")
    grants: dict[str, float] = request.session.get("glass", {})
    now = time.time()
    live = frozenset(int(p) for p, until in grants.items() if until > now)
    return Caller(actor, Channel.WEB, live)


def grant_glass(request: HttpRequest, person_id: int) -> None:
    """Keep a break-glass grant for `person_id` in the session, for `GLASS_SECONDS`."""
    grants = dict(request.session.get("glass", {}))
    grants[str(person_id)] = time.time() + GLASS_SECONDS
    request.session["glass"] = grants


def audits(**methods: type[Event] | None) -> Callable[[V], V]:
    """The HTTP methods a page answers (others get 405) and, for each, the audit event an
    allowed call writes (None: it writes none, such as a form shown before it is sent)."""

    def declare(view: V) -> V:
        allowed = require_http_methods(list(methods))(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return allowed(request, *args, **kwargs)

        return cast(V, marks(**methods)(wrapped))

    return declare


F = TypeVar("F", bound=Callable[..., Any])


def marks(**methods: type[Event] | None) -> Callable[[F], F]:
    """Only the declaration of `audits`, for API endpoints (django-ninja answers other methods
    with 405 itself)."""

    def mark(view: F) -> F:
        view.audited = dict(methods)  # type: ignore[attr-defined]
        return view

    return mark


def api_caller(request: HttpRequest) -> Caller:
    """The API token's account as the policy sees it, on the API channel (no break-glass:
    that is for people at a screen, not for systems)."""
    return Caller(request.auth.actor(verified=True), Channel.API)  # type: ignore[attr-defined]


def refused(
    request: HttpRequest, refusal: Refusal, template: str = "web/denied.html", **context: Any
) -> HttpResponse:
    """The page for a refusal the service has already audited: 403 for the policy's, 400 for
    a rule of the work."""
    return render(request, template, {"reason": refusal.reason, **context}, status=refusal.status)

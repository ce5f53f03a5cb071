"""What every page's navigation may offer the signed-in user: only what the policy allows."""

from __future__ import annotations

from django.http import HttpRequest

from safeguard.access import policy
from safeguard.hub.web.adapter import actor_of


def navigation(request: HttpRequest) -> dict[str, dict[str, bool]]:
    actor = actor_of(request)
    if actor is None or not actor.verified:
        return {"may": {}}
    return {"may": {a.value: bool(policy.act(actor, a)) for a in policy.Action}}

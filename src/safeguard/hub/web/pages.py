"""The signed-in user's own page, and health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.access import policy
from safeguard.hub.alerts import queries as alerts
from safeguard.hub.audit import queries as audit
from safeguard.hub.homes.queries import spoc_homes, staff_homes
from safeguard.hub.intelligence.queries import counts
from safeguard.hub.mash import queries as mash
from safeguard.hub.missing import queries as missing
from safeguard.hub.web.adapter import audits, caller_of
from safeguard.hub.web.context import navigation


@audits(GET=None)
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: the hub answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


@audits(GET=None)
def home(request: HttpRequest) -> HttpResponse:
    """Your work: who you are, a search box, the people you looked at recently, and what
    your roles watch over (counts only: no child is named here)."""
    actor = caller_of(request).actor
    may = navigation(request)["may"]
    overview = counts(actor) if may["decide_link"] else None
    context = {
        "actor": actor,
        "roles": [policy.ROLE_LABELS[r] for r in sorted(actor.roles)],
        "may": may,
        "recent": audit.recently_viewed(actor),
        "at_risk": overview["at_risk"] if overview else None,
        "open_findings": overview["open_findings"] if overview else None,
        "flagged": audit.flagged_count(actor) if may["view_audit"] else None,
        "team": getattr(request.user, "team", None),
        "homes": spoc_homes(actor, request.user.pk),  # a police SPOC's own homes
        "front_door": mash.counts(actor, timezone.now()),
        "missing": missing.counts(actor, timezone.now()),
        "my_homes": staff_homes(actor),
        "alerts": alerts.unread(actor),
    }
    return render(request, "web/home.html", context)

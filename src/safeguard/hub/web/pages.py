"""The signed-in user's own page, the audit trail for auditors, and health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from safeguard.access import policy
from safeguard.hub.audit import store as audit
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.intelligence.models import Finding, Screening
from safeguard.hub.web.context import navigation
from safeguard.hub.web.middleware import actor_of


def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: the hub answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    assert actor is not None  # the route needs a signed-in user
    may = navigation(request)["may"]
    recent = []
    seen: set[int] = set()
    for event in audit.events(
        username=actor.username, limit=100, action=AuditEvent.Action.VIEW_PERSON
    ):
        if event.allowed and event.person_id is not None and event.person_id not in seen:
            seen.add(event.person_id)
            recent.append(event)
    context = {
        "actor": actor,
        "roles": [policy.ROLE_LABELS[r] for r in sorted(actor.roles)],
        "may": may,
        "recent": recent[:10],
        "at_risk": Screening.objects.filter(current=True, at_risk=True).count()
        if may["decide_link"]
        else None,
        "open_findings": Finding.objects.filter(active=True, status=Finding.Status.OPEN).count()
        if may["decide_link"]
        else None,
        "flagged": audit.events(flagged=True).count() if may["view_audit"] else None,
        "team": getattr(request.user, "team", None),
        # a police SPOC's own homes (set by an administrator)
        "homes": list(ChildrensHome.objects.filter(police_spoc_id=request.user.pk, open=True))
        if policy.Role.POLICE_SPOC in actor.roles
        else [],
    }
    return render(request, "web/home.html", context)


def audit_events(request: HttpRequest) -> HttpResponse:
    """Who looked at whom, and why: filter by person, by user, or flagged for review."""
    person = request.GET.get("person", "").strip().lstrip("Pp")
    username = request.GET.get("user", "").strip()
    flagged = request.GET.get("flagged") == "1"
    person_id = int(person) if person.isdigit() else None
    rows = list(audit.events(person_id=person_id, username=username, flagged=flagged))
    return render(
        request,
        "web/audit.html",
        {"events": rows, "person": person, "user_filter": username, "flagged": flagged},
    )

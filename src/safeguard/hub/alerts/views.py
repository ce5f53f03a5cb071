"""A person's own alerts: what needs them, newest first, and marking one read. An alert
names a reference and a page, never a child."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from safeguard.hub.alerts import queries, services
from safeguard.hub.web.adapter import audits, caller_of


@never_cache
@audits(GET=None)
def alerts(request: HttpRequest) -> HttpResponse:
    found = queries.recent(caller_of(request).actor)
    return render(request, "alerts/list.html", {"alerts": found})


@audits(POST=None)
def read(request: HttpRequest, alert_id: int) -> HttpResponse:
    services.mark_read(caller_of(request), alert_id)
    return redirect("home" if request.POST.get("next") == "home" else "alerts:list")

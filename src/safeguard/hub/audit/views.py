"""The audit trail page, for auditors: who looked at whom, and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.access.events import ViewedAudit
from safeguard.hub.audit import services
from safeguard.hub.audit.forms import FiltersForm
from safeguard.hub.web.adapter import audits, caller_of, refused


@audits(GET=ViewedAudit)
def events(request: HttpRequest) -> HttpResponse:
    """Filter by person, by user, or flagged for review."""
    form = FiltersForm(request.GET)
    filters = form.filters()
    try:
        rows = services.trail(caller_of(request), filters)
    except services.Refusal as refusal:
        return refused(request, refusal)
    return render(request, "audit/events.html", {"events": rows, "form": form})

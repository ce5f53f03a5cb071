"""The children's homes pages: the register, the SPOC coverage report, a police SPOC's page,
one home (its residents, episodes, flags, visits, notifications), and logging a SPOC's visit
or a home's regulation 40 notification. Each parses, calls one service and renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import HomeNotified, ViewedList, VisitLogged
from safeguard.access.policy import Role
from safeguard.hub.carehomes import queries, services
from safeguard.hub.carehomes.forms import NoticeForm, VisitForm
from safeguard.hub.carehomes.models import Notification, Visit
from safeguard.hub.web.adapter import audits, caller_of, refused


def _words(caller: Caller) -> dict[str, Any]:
    return {
        "visit_kinds": Visit.Kind.choices,
        "events": Notification.Event.choices,
        "told_options": [(t, t) for t in services.TOLD],
        "is_spoc": Role.POLICE_SPOC in caller.actor.roles,
        "is_staff": Role.HOME_STAFF in caller.actor.roles,
        "now": timezone.now(),
        "today": timezone.localdate().isoformat(),
    }


@never_cache
@audits(GET=ViewedList)
def register(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    try:
        rows = services.register(caller)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "carehomes/register.html", {"rows": rows, **_words(caller)})


@never_cache
@audits(GET=ViewedList)
def coverage(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    try:
        homes = services.coverage(caller)
    except Refusal as refusal:
        return refused(request, refusal)
    gaps = [h for h in homes if h.police_spoc_id is None]
    context = {"homes": homes, "gaps": gaps, **_words(caller)}
    return render(request, "carehomes/coverage.html", context)


@never_cache
@audits(GET=ViewedList)
def spoc(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    try:
        views = services.spoc_page(caller)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "carehomes/spoc.html", {"views": views, **_words(caller)})


def _home_page(
    request: HttpRequest, caller: Caller, view: queries.HomeView, **extra: Any
) -> dict[str, Any]:
    return {
        "v": view,
        "posted": request.POST if request.method == "POST" else {},
        "done": request.session.pop("done", "") if request.method == "GET" else "",
        **_words(caller),
        **extra,
    }


@never_cache
@audits(GET=ViewedList)
def home(request: HttpRequest, home_id: str) -> HttpResponse:
    caller = caller_of(request)
    try:
        view = services.home(caller, home_id)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "carehomes/home.html", _home_page(request, caller, view))


def _act(
    request: HttpRequest, home_id: str, action: str, do: Callable[[Caller], Any], done: str
) -> HttpResponse:
    caller = caller_of(request)
    try:
        do(caller)
    except Refusal as refusal:
        shown = queries.visible_home(caller.actor, home_id) if refusal.rule else None
        if shown is None:
            return refused(request, refusal)
        view = queries.home_view(caller.actor, shown, timezone.now())
        problems = refusal.problems or {action: refusal.reason}
        context = _home_page(request, caller, view, errors={action: "; ".join(problems.values())})
        return render(request, "carehomes/home.html", context, status=400)
    request.session["done"] = done
    return redirect("homes:home", home_id=home_id)


@audits(POST=VisitLogged)
def visit(request: HttpRequest, home_id: str) -> HttpResponse:
    form = VisitForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    on = d.get("on") or timezone.localdate()
    return _act(
        request,
        home_id,
        "visit",
        lambda c: services.log_visit(
            c, home_id, str(d.get("kind") or ""), on, str(d.get("notes") or "")
        ),
        "Visit logged.",
    )


@audits(POST=HomeNotified)
def notify(request: HttpRequest, home_id: str) -> HttpResponse:
    form = NoticeForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    notice = services.Notice(
        event=str(d.get("event") or ""),
        happened_at=d.get("happened_at") or timezone.now(),
        told=tuple(d.get("told") or ()),
        details=str(d.get("details") or ""),
        person=d.get("person"),
        child_name=str(d.get("child_name") or ""),
    )
    return _act(
        request,
        home_id,
        "notify",
        lambda c: services.notify(c, home_id, notice),
        "Notification logged; the home's SPOC has been told.",
    )

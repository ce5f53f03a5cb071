"""The screening and findings pages: the queue of children proposed at risk, a child's
screening with every sign and its quoted evidence (a practitioner's level and reasons kept
beside it, never over it; an indicator they saw), the findings list, and a finding with its
members, evidence and network picture (a table first: the picture is for those who can see
it). Each parses, calls one service and renders; a form refused for what was in it is shown
again with what was typed and the problem (400)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Refusal
from safeguard.access.events import (
    FindingDisposed,
    IndicatorRecorded,
    ScreeningConfirmed,
    ViewedFinding,
    ViewedList,
    ViewedPerson,
)
from safeguard.casework import finding as disposition
from safeguard.hub.intelligence import queries, services
from safeguard.hub.intelligence.forms import ConfirmForm, DisposeForm, RecordForm
from safeguard.hub.web.adapter import audits, caller_of, refused
from safeguard.intelligence.catalogue import Catalogue
from safeguard.intelligence.catalogue import load as load_catalogue
from safeguard.settings import get_settings

KINDS = {
    "adult": "An adult linked to several children",
    "group": "A group: adults and places sharing children",
    "object": "A vehicle or phone linked to several children",
    "place": "A place several children of concern were found at, seen at or spoke of",
    "community": "A community of people and objects",
}


@lru_cache(maxsize=1)
def _catalogue() -> Catalogue:
    return load_catalogue(get_settings().screening_catalogue)


def _labels() -> dict[str, str]:
    return {i.code: i.label for i in _catalogue().indicators}


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "")
    return max(1, int(text)) if text.isdigit() else 1


@never_cache
@audits(GET=ViewedList)
def queue(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "to_decide")
    view = view if view in queries.QUEUE_VIEWS else "to_decide"
    page = _page_number(request)
    try:
        total, lines = services.screening_queue(caller_of(request), view, page)
    except Refusal as refusal:
        return refused(request, refusal)
    pages = max(1, -(-total // queries.PAGE))
    context = {
        "lines": lines,
        "view": view,
        "total": total,
        "page": page,
        "pages": pages,
        "labels": _labels(),
        "query": urlencode({"view": view}) + "&",
    }
    return render(request, "intelligence/queue.html", context)


def _screening_page(
    request: HttpRequest, person_id: int, status: int = 200, **extra: Any
) -> HttpResponse:
    caller = caller_of(request)
    try:
        view = services.screening(caller, person_id)
    except Refusal as refusal:
        return refused(request, refusal)
    catalogue = _catalogue()
    context = {
        "s": view,
        "person_id": person_id,
        "name": queries.name_of(person_id),
        "labels": _labels(),
        "bands": [b.name for b in catalogue.bands],
        "indicators": [(i.code, i.label) for i in catalogue.indicators],
        "posted": request.POST if request.method == "POST" else {},
        "done": request.session.pop("done", "") if request.method == "GET" else "",
        **extra,
    }
    return render(request, "intelligence/screening.html", context, status=status)


@never_cache
@audits(GET=ViewedPerson)
def screening(request: HttpRequest, person_id: int) -> HttpResponse:
    return _screening_page(request, person_id)


@audits(POST=ScreeningConfirmed)
def confirm(request: HttpRequest, person_id: int) -> HttpResponse:
    form = ConfirmForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {"band": "", "reason": ""}
    bands = [b.name for b in _catalogue().bands]
    try:
        services.confirm(caller_of(request), person_id, d["band"], d["reason"], bands)
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _screening_page(
            request, person_id, 400, errors={"confirm": refusal.reason}, form="confirm"
        )
    request.session["done"] = "Your level and reasons are recorded beside the screening."
    return redirect("intelligence:screening", person_id=person_id)


@audits(POST=IndicatorRecorded)
def record(request: HttpRequest, person_id: int) -> HttpResponse:
    form = RecordForm(request.POST)
    form.is_valid()  # what did not parse is left out; the service names what is missing
    d = {"code": "", "seen_on": None, "note": "", **form.cleaned_data}
    codes = [i.code for i in _catalogue().indicators]
    try:
        services.record_indicator(
            caller_of(request), person_id, d["code"], d["seen_on"], d["note"], codes
        )
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _screening_page(request, person_id, 400, errors={"record": refusal.reason})
    request.session["done"] = "Recorded. The next screening counts it, with your note."
    return redirect("intelligence:screening", person_id=person_id)


@never_cache
@audits(GET=ViewedList)
def findings(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    kind = kind if kind in KINDS else None
    status = request.GET.get("status", disposition.OPEN)
    status = status if status in (*disposition.MACHINE.states, "all") else disposition.OPEN
    filters = queries.FindingFilters(kind=kind, status=status)
    page = _page_number(request)
    try:
        total, rows = services.findings(caller_of(request), filters, page * queries.PAGE)
    except Refusal as refusal:
        return refused(request, refusal)
    rows = rows[(page - 1) * queries.PAGE :]
    context = {
        "rows": rows,
        "total": total,
        "kind": kind or "",
        "status": status,
        "kinds": KINDS,
        "states": disposition.MACHINE.states,
        "page": page,
        "pages": max(1, -(-total // queries.PAGE)),
        "query": urlencode({"kind": kind or "", "status": status}) + "&",
    }
    return render(request, "intelligence/findings.html", context)


def _finding_page(request: HttpRequest, key: str, status: int = 200, **extra: Any) -> HttpResponse:
    caller = caller_of(request)
    try:
        view = services.finding(caller, key)
    except Refusal as refusal:
        return refused(request, refusal)
    found = view.finding
    nodes = sorted(
        {str(m.get("node")) for m in found.members}
        | {str(e[end]) for e in view.evidence for end in ("from", "to")}
    )
    names = queries.node_names(caller.actor, nodes)
    roles = {str(m.get("node")): str(m.get("role", "")) for m in found.members}
    graph = {
        "nodes": [{"id": n, "label": names[n], "role": roles.get(n, "")} for n in nodes],
        "edges": [
            {"from": e["from"], "to": e["to"], "relation": e["relation"], "date": e["date"]}
            for e in view.evidence
        ],
    }
    moves = [
        (t.target, t.label) for t in disposition.MACHINE.actions(found.status, caller.actor.roles)
    ]
    context = {
        "v": view,
        "f": found,
        "names": names,
        "members": [(str(m.get("node")), str(m.get("role", ""))) for m in found.members],
        "graph": graph,
        "kind_label": KINDS.get(found.kind, found.kind),
        "moves": moves,
        "posted": request.POST if request.method == "POST" else {},
        "done": request.session.pop("done", "") if request.method == "GET" else "",
        **extra,
    }
    return render(request, "intelligence/finding.html", context, status=status)


@never_cache
@audits(GET=ViewedFinding)
def finding(request: HttpRequest, key: str) -> HttpResponse:
    return _finding_page(request, key)


@audits(POST=FindingDisposed)
def dispose(request: HttpRequest, key: str) -> HttpResponse:
    form = DisposeForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {"status": "", "reason": ""}
    try:
        services.dispose(caller_of(request), key, d["status"], d["reason"])
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _finding_page(request, key, 400, errors={"dispose": refusal.reason})
    request.session["done"] = "The finding's disposition is recorded with your reason."
    return redirect("intelligence:finding", key=key)

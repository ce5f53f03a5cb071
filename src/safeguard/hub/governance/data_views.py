"""The partnership's data set and the strategic group's meeting packs, as pages: every KPI's
latest figure (filtered by council area), one KPI with its definition, chart and table, each
table as CSV (as held, or as published with small counts suppressed), and the packs: the list,
the button that makes one, the download. Each parses, calls one service and renders; each
writes exactly one audit event (`viewed_data_set`, `viewed_list`, `pack_made`,
`pack_downloaded`) or one refusal."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Refusal
from safeguard.access.events import PackDownloaded, PackMade, ViewedDataSet, ViewedList
from safeguard.access.policy import Action, act
from safeguard.hub.governance import charts, kpis
from safeguard.hub.governance.forms import PackForm
from safeguard.hub.governance.queries import data_set as reading
from safeguard.hub.governance.queries import pack as pack_queries
from safeguard.hub.governance.services import data_set as figures
from safeguard.hub.governance.services import pack as packs_service
from safeguard.hub.web.adapter import audits, caller_of, refused


def _asked(request: HttpRequest) -> tuple[str, bool]:
    """The council area asked for (all areas unless one is), and whether the figures are to
    be as published (small counts suppressed)."""
    return reading.chosen_area(request.GET.get("area")), request.GET.get("published") == "1"


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@audits(GET=ViewedDataSet)
def data_set(request: HttpRequest) -> HttpResponse:
    area, published = _asked(request)
    try:
        tables = figures.data_set(caller_of(request), area, "summary", published)
    except Refusal as refusal:
        return refused(request, refusal)
    lines = [
        (t, reading.latest(t, _area_of(t, area), t.categories[0]), trend_words_for(t, area))
        for t in tables
    ]
    context = {
        "lines": lines,
        "area": area,
        "area_label": kpis.area_label(area),
        "areas": reading.areas(),
        "published": published,
        "months": _span(tables[0]),
    }
    return render(request, "governance/data_set.html", context)


def _area_of(table: kpis.Table, area: str) -> str:
    """`area`, or all areas for a KPI with one figure for the partnership."""
    return area if area in table.areas else kpis.ALL


def trend_words_for(table: kpis.Table, area: str) -> str:
    """The trend of `area`'s line in words (the all-areas line's when the KPI has no areas)."""
    if area == kpis.ALL or area in table.areas:
        return reading.trend_words(_only(table, area))
    return "One figure for the partnership: see all areas."


def _only(table: kpis.Table, area: str) -> kpis.Table:
    """The table with `area`'s rows standing as all areas' (for the trend in words)."""
    if area == kpis.ALL:
        return table
    rows = tuple(replace(r, area=kpis.ALL) for r in table.rows if r.area == area)
    return replace(table, rows=rows)


def _span(table: kpis.Table) -> str:
    first, last = table.months[0], table.months[-1]
    return f"{reading.month_label(first)} to {reading.month_label(last)}"


@never_cache
@audits(GET=ViewedDataSet)
def kpi(request: HttpRequest, kpi: str) -> HttpResponse:
    area, published = _asked(request)
    try:
        table = figures.kpi(caller_of(request), kpi, area, "page", published)
    except Refusal as refusal:
        return refused(request, refusal)
    drawn = area if area == kpis.ALL or area in table.areas else kpis.ALL
    context = {
        "t": table,
        "d": table.definition,
        "grid": reading.grid(table, drawn),
        "chart": charts.svg(table, drawn),
        "area": area,
        "drawn_label": kpis.area_label(drawn),
        "by_area": table.definition.by_area,
        "areas": reading.areas(),
        "published": published,
        "months": _span(table),
        "split": table.categories != ("",),
        "suppress_below": kpis.catalogue().suppress_below,
    }
    return render(request, "governance/kpi.html", context)


@never_cache
@audits(GET=ViewedDataSet)
def kpi_csv(request: HttpRequest, kpi: str) -> HttpResponse:
    _, published = _asked(request)
    try:
        table = figures.kpi(caller_of(request), kpi, "", "csv", published)
    except Refusal as refusal:
        return refused(request, refusal)
    suffix = "-published" if published else ""
    return _csv(kpis.to_csv(table), f"kpi-{kpi.replace('_', '-')}{suffix}.csv")


@never_cache
@audits(GET=ViewedDataSet)
def data_set_csv(request: HttpRequest) -> HttpResponse:
    _, published = _asked(request)
    try:
        tables = figures.data_set(caller_of(request), "", "csv", published)
    except Refusal as refusal:
        return refused(request, refusal)
    parts = [kpis.to_csv(t) for t in tables]
    text = parts[0] + "".join(p.split("\r\n", 1)[1] for p in parts[1:])
    suffix = "-published" if published else ""
    return _csv(text, f"data-set{suffix}.csv")


# --- the meeting packs ---


def _packs_page(request: HttpRequest, errors: dict[str, str] | None = None) -> HttpResponse:
    """The packs (their reading audited), or the form sent back with its problems (the
    refusal audited already, so the list is read as it stands)."""
    caller = caller_of(request)
    try:
        found = pack_queries.made() if errors else packs_service.packs(caller)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {
        "packs": found,
        "makes": bool(act(caller.actor, Action.MAKE_PACK)),
        "errors": errors or {},
        "posted": request.POST if request.method == "POST" else {},
        "done": str(request.session.pop("done", "")) if request.method == "GET" else "",
        "today": timezone.localdate(),
    }
    return render(request, "governance/packs.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=ViewedList)
def packs(request: HttpRequest) -> HttpResponse:
    return _packs_page(request)


@audits(POST=PackMade)
def make_pack(request: HttpRequest) -> HttpResponse:
    form = PackForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    unread = {name: str(found[0]) for name, found in form.errors.items()}
    try:
        made = packs_service.make(
            caller_of(request), d.get("meeting"), d.get("next_meeting"), unread
        )
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _packs_page(request, refusal.problems or {"meeting": refusal.reason})
    request.session["done"] = f"The pack for {made.meeting_on:%-d %B %Y} is ready (pack {made.pk})."
    return redirect("governance:packs")


@never_cache
@audits(GET=PackDownloaded)
def pack(request: HttpRequest, pack_id: int) -> HttpResponse:
    try:
        found = packs_service.download(caller_of(request), pack_id)
    except Refusal as refusal:
        return refused(request, refusal)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    name = f"meeting-pack-{found.meeting_on.isoformat()}-{found.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

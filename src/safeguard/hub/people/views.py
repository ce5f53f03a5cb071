"""People pages: search, the person (their dossier: linked records, a joined-up chronology,
current flags, links to review), break-glass, link decisions, and why two records scored as
they did. Each parses the request, calls one service (which asks the policy and audits) and
renders; a refusal is shown as the service recorded it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers

from safeguard.access.caller import Refusal
from safeguard.access.events import (
    BrokeGlass,
    ExplainedPair,
    LinkDecided,
    PersonSplit,
    Searched,
    ViewedPerson,
)
from safeguard.hub.people import queries, services
from safeguard.hub.people.forms import (
    ChronologyForm,
    DecideForm,
    PairForm,
    ReasonForm,
    SearchForm,
    SplitForm,
)
from safeguard.hub.people.search import parse
from safeguard.hub.web.adapter import audits, caller_of, grant_glass, refused


@never_cache
@vary_on_headers("HX-Request")
@audits(GET=Searched)
def search_people(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    valid = form.is_valid()
    text = form.cleaned_data["q"] if valid else ""
    # a MASH contact's named person being found: each result can be chosen as them
    naming = (
        {"contact": form.cleaned_data["contact"], "subject": form.cleaned_data["subject"]}
        if valid and form.cleaned_data.get("contact") and form.cleaned_data.get("subject")
        else None
    )
    query, results = parse(text), list[dict[str, Any]]()
    if text:
        try:
            query, results = services.find(caller_of(request), text)
        except Refusal as refusal:
            return refused(request, refusal)
    template = "people/_results.html" if request.headers.get("HX-Request") else "people/search.html"
    context = {"q": text, "query": query, "results": results, "naming": naming}
    return render(request, template, context)


@never_cache
@vary_on_headers("HX-Request")
@audits(GET=ViewedPerson)
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    exists, merged_into = queries.where(person_id)
    if not exists:
        raise Http404("no such person")
    if merged_into is not None:
        return redirect("people:detail", person_id=merged_into)
    try:
        d = services.open_person(caller_of(request), person_id, request.get_full_path())
    except Refusal as refusal:
        return refused(request, refusal, "people/person_denied.html", person_id=person_id)
    everything = d.chronology
    kinds = sorted({e.kind for e in everything})
    agencies, chosen_kinds = ChronologyForm(request.GET, d.agencies, kinds).chosen()
    entries = [
        e
        for e in everything
        if (not agencies or e.agency in agencies) and (not chosen_kinds or e.kind in chosen_kinds)
    ]
    if request.headers.get("HX-Request"):
        return render(request, "people/_chronology.html", {"entries": entries})
    context = {
        "d": d,
        "person_id": person_id,
        "records": [(r, d.names.get(r.unique_id)) for r in d.records],
        "entries": entries,
        "all_kinds": kinds,
        "chosen_agencies": agencies,
        "chosen_kinds": chosen_kinds,
        "decision_error": request.session.pop("decision_error", ""),
        "decision_note": request.session.pop("decision_note", ""),
        "job": _job(request),
    }
    return render(request, "people/person.html", context)


def _job(request: HttpRequest) -> dict[str, object] | None:
    """The relinking job the user's last decision queued, while there is news of it."""
    result = request.session.get("relink_job")
    if not result:
        return None
    job = services.job(str(result))
    if job["status"] in ("done", "failed", "unknown"):
        del request.session["relink_job"]
    return job


@audits(POST=BrokeGlass)
def break_glass(request: HttpRequest, person_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.break_glass(caller_of(request), person_id, reason)
    except Refusal as refusal:
        context = {"person_id": person_id, "error": refusal.reason}
        return refused(request, refusal, "people/person_denied.html", **context)
    grant_glass(request, person_id)
    return redirect("people:detail", person_id=person_id)


@audits(POST=LinkDecided)
def decide(request: HttpRequest, person_id: int) -> HttpResponse:
    """Confirm or reject an uncertain link between two records, with a reason."""
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise Http404("name the two records and the decision")
    left, right = form.cleaned_data["left"], form.cleaned_data["right"]
    if not {left, right} & {r.unique_id for r in queries.records_of(person_id)}:
        raise Http404("neither record is this person's")
    same = form.cleaned_data["same"] == "yes"
    return _decided(
        request,
        person_id,
        lambda caller: services.decide(
            caller, left, right, same, form.cleaned_data["reason"], person_id
        ),
    )


@audits(POST=PersonSplit)
def split(request: HttpRequest, person_id: int) -> HttpResponse:
    """Split the chosen records off the person, with a reason."""
    mine = [r.unique_id for r in queries.records_of(person_id)]
    form = SplitForm(request.POST, mine)
    chosen = form.cleaned_data["record"] if form.is_valid() else request.POST.getlist("record")
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    return _decided(
        request, person_id, lambda caller: services.split(caller, person_id, chosen, reason)
    )


def _decided(request: HttpRequest, person_id: int, decide: object) -> HttpResponse:
    """Record a decision; the page then reports the job resolving people again, or why the
    decision was refused."""
    try:
        done = decide(caller_of(request))  # type: ignore[operator]
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        request.session["decision_error"] = refusal.reason
        return redirect("people:detail", person_id=person_id)
    if done.job:
        request.session["relink_job"] = done.job
    else:
        request.session["decision_note"] = "Recorded; it takes effect at the next linkage run."
    return redirect("people:detail", person_id=person_id)


@never_cache
@audits(GET=ExplainedPair)
def explain(request: HttpRequest, person_id: int) -> HttpResponse:
    """Why two records scored as they did (comparison by comparison), as the last run scored
    them: the web never scores a pair on demand."""
    form = PairForm(request.GET)
    if not form.is_valid():
        raise Http404("name the two records")
    left, right = sorted((form.cleaned_data["left"], form.cleaned_data["right"]))
    try:
        x = services.explain_scored(caller_of(request), person_id, left, right)
    except Refusal as refusal:
        if refusal.rule:
            raise Http404(refusal.reason) from None
        return refused(request, refusal)
    return render(request, "people/_explain.html", {"x": x})

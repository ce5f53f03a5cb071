"""The review's pages: the overview (each recommendation with each agency's rating), one
recommendation (its assessments with their history, the forms to assess, challenge or sign off
and to set an action), the actions lists and one action, and the Ofsted register. Each parses,
calls one service and renders; a form refused for what was in it is shown again with what was
typed and each problem beside its field (400)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import (
    AssessmentReviewed,
    AssessmentSaved,
    ReviewActionSet,
    ReviewActionStepped,
    ViewedList,
    ViewedReview,
)
from safeguard.casework import review as rules
from safeguard.governance import ofsted as scales
from safeguard.hub.governance import queries, services
from safeguard.hub.governance.forms import ActionForm, AssessForm, ReviewForm, StepForm
from safeguard.hub.web.adapter import audits, caller_of, refused
from safeguard.hub.web.csv import Writer


def _words(caller: Caller | None = None) -> dict[str, Any]:
    roles = caller.actor.roles if caller else frozenset()
    return {
        "rag_labels": rules.RAG_LABELS,
        "rag_options": list(rules.RAG_LABELS.items()),
        "states": rules.STATE_LABELS,
        "action_states": rules.ACTION_LABELS,
        "judgements": scales.LABELS,
        "assesses": bool(roles & rules.ASSESSORS),
        "reviews": bool(roles & rules.REVIEWERS),
        "keeps_actions": bool(roles & rules.ACTION_KEEPERS),
        "catalogue": queries.catalogue(),
        "today": timezone.localdate(),
    }


def _errors(form: forms.Form) -> dict[str, str]:
    return {name: str(found[0]) for name, found in form.errors.items()}


def _done(request: HttpRequest) -> str:
    return str(request.session.pop("done", "")) if request.method == "GET" else ""


@never_cache
@audits(GET=ViewedList)
def overview(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    try:
        found = services.reads.overview(caller)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"o": found, "done": _done(request), **_words(caller)}
    return render(request, "governance/overview.html", context)


# --- a recommendation: its assessments, their review, its actions ---


def _page(
    request: HttpRequest,
    view: queries.RecommendationView,
    errors: dict[str, str] | None = None,
    form: str = "",
) -> HttpResponse:
    caller = caller_of(request)
    roles = caller.actor.roles
    context = {
        "v": view,
        "r": view.recommendation,
        "errors": errors or {},
        "form": form,
        "posted": request.POST if request.method == "POST" else {},
        "done": _done(request),
        "owners": [
            (u.username, f"{u.username} ({queries.agency_label(u.agency)})")
            for u in queries.owners()
            if roles & rules.REVIEWERS or u.agency == caller.actor.agency
        ],
        "agencies": queries.agencies_for(caller.actor),
        **_words(caller),
    }
    return render(request, "governance/recommendation.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=ViewedReview)
def recommendation(request: HttpRequest, recommendation_id: str) -> HttpResponse:
    try:
        view = services.reads.recommendation(caller_of(request), recommendation_id)
    except Refusal as refusal:
        return refused(request, refusal)
    return _page(request, view)


def _on_recommendation(
    request: HttpRequest,
    recommendation_id: str,
    form: forms.Form,
    do: Callable[[Caller], Any],
    done: str,
    fallback: str,
    which: str,
) -> HttpResponse:
    caller = caller_of(request)
    problems = _errors(form) if not form.is_valid() else {}
    if not problems:
        try:
            do(caller)
        except Refusal as refusal:
            if not refusal.rule:
                return refused(request, refusal)
            problems = refusal.problems or {fallback: refusal.reason}
        else:
            request.session["done"] = done
            return redirect("governance:recommendation", recommendation_id=recommendation_id)
    found = queries.catalogue().get(recommendation_id)
    if found is None:
        raise Http404("no such recommendation")
    view = queries.recommendation_view(caller.actor, found, timezone.now())
    return _page(request, view, problems, which)


@audits(POST=AssessmentSaved)
def assess(request: HttpRequest, recommendation_id: str) -> HttpResponse:
    form = AssessForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    move = str(d.get("step") or "save")
    said = services.Statement(
        rag=str(d.get("rag") or ""),
        narrative=str(d.get("narrative") or ""),
        evidence=tuple(rules.evidence_lines(str(d.get("evidence") or ""))),
    )
    labels = {
        "save": "Draft saved.",
        "submit": "Submitted for review; the strategic lead has been told.",
        "revise": "Reopened as a draft.",
    }
    return _on_recommendation(
        request,
        recommendation_id,
        form,
        lambda c: services.assess(c, recommendation_id, said, move, str(d.get("reason") or "")),
        labels.get(move, "Saved."),
        "narrative",
        "assess",
    )


@audits(POST=AssessmentReviewed)
def review(request: HttpRequest, assessment_id: int) -> HttpResponse:
    caller = caller_of(request)
    found = queries.visible_assessment(caller.actor, assessment_id)
    form = ReviewForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    move = str(d.get("step") or "")
    labels = {"challenge": "Challenged; the agency has been told.", "sign_off": "Signed off."}
    return _on_recommendation(
        request,
        found.recommendation if found else "",
        form,
        lambda c: services.decide(c, assessment_id, move, str(d.get("reason") or "")),
        labels.get(move, "Recorded."),
        "reason",
        f"review-{assessment_id}",
    )


@audits(POST=ReviewActionSet)
def set_action(request: HttpRequest, recommendation_id: str) -> HttpResponse:
    form = ActionForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    task = services.Task(
        what=str(d.get("what") or ""),
        owner=str(d.get("owner") or ""),
        agency=str(d.get("agency") or ""),
        due_on=d.get("due_on"),
    )
    return _on_recommendation(
        request,
        recommendation_id,
        form,
        lambda c: services.set_action(c, recommendation_id, task),
        "Action set; its owner has been told.",
        "what",
        "action",
    )


# --- actions ---


@never_cache
@audits(GET=ViewedList)
def actions(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "mine")
    view = view if view in queries.VIEWS else "mine"
    caller = caller_of(request)
    try:
        found = services.reads.actions(caller, view)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"actions": found, "view": view, "views": queries.VIEWS, **_words(caller)}
    return render(request, "governance/actions.html", context)


def _action_page(
    request: HttpRequest, line: queries.ActionLine, errors: dict[str, str] | None = None
) -> HttpResponse:
    caller = caller_of(request)
    a = line.action
    moves = rules.ACTION.actions(a.status, caller.actor.roles)
    mine = a.owner.username == caller.actor.username
    if not mine and not (caller.actor.roles & rules.REVIEWERS or a.agency == caller.actor.agency):
        moves = []
    context = {
        "line": line,
        "a": a,
        "moves": moves,
        "errors": errors or {},
        "posted": request.POST if request.method == "POST" else {},
        "done": _done(request),
        **_words(caller),
    }
    return render(request, "governance/action.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=ViewedReview, POST=ReviewActionStepped)
def action(request: HttpRequest, review_action_id: int) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        try:
            line = services.reads.action(caller, review_action_id)
        except Refusal as refusal:
            return refused(request, refusal)
        return _action_page(request, line)
    form = StepForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    move = str(d.get("step") or "")
    try:
        services.step(caller, review_action_id, move, str(d.get("reason") or ""))
    except Refusal as refusal:
        found = queries.visible_action(caller.actor, review_action_id) if refusal.rule else None
        if found is None:
            return refused(request, refusal)
        problems = refusal.problems or {"reason": refusal.reason}
        return _action_page(request, queries.action_line(found, timezone.now()), problems)
    labels = {"start": "Started.", "complete": "Marked done.", "cancel": "Cancelled."}
    request.session["done"] = labels.get(move, "Recorded.")
    return redirect("governance:action", review_action_id=review_action_id)


# --- the Ofsted register ---


@never_cache
@audits(GET=ViewedList)
def ofsted(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    try:
        found = services.reads.register(caller)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"councils": found, "sif_start": scales.SIF_START, **_words(caller)}
    return render(request, "governance/ofsted.html", context)


@never_cache
@audits(GET=ViewedList)
def ofsted_csv(request: HttpRequest) -> HttpResponse:
    try:
        found = services.reads.register(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    out = io.StringIO()
    writer = Writer(out)
    writer.writerow(
        ["Local authority", "Inspection date", "Overall effectiveness", "Framework", "Source"]
    )
    for council in found:
        for j in council.judgements:
            label = scales.LABELS.get(j.judgement, j.judgement)
            writer.writerow([j.council, j.judged_on.isoformat(), label, j.framework, j.source])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ofsted-register.csv"'
    return response

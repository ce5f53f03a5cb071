"""Missing children's pages: the queue, reporting a child away, an episode and the actions on
it, a child's pattern, the Philomena form and pack, the provider's interviews, strategy
discussions, and the figures by area and month. Each parses, calls one service and renders;
a form refused for what was in it is shown again with what was typed and the problem (400)."""

from __future__ import annotations

import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import (
    ChildReturned,
    EpisodeCancelled,
    EpisodeGraded,
    EpisodeReported,
    InterviewRecorded,
    PhilomenaHandedOver,
    PhilomenaKept,
    StrategyTaskClosed,
    ViewedEpisode,
    ViewedList,
)
from safeguard.casework import episode as episodes
from safeguard.casework import rhi
from safeguard.hub.homes.queries import choosable
from safeguard.hub.missing import queries, services
from safeguard.hub.missing.forms import (
    FindForm,
    GradeForm,
    InterviewForm,
    PartOneForm,
    PartTwoForm,
    ReasonForm,
    ReportForm,
    TaskForm,
)
from safeguard.hub.web.adapter import audits, caller_of, refused
from safeguard.hub.web.csv import Writer


def _words() -> dict[str, Any]:
    return {
        "kinds": list(episodes.KINDS.items()),
        "grades": list(episodes.GRADES.items()),
        "interview_states": rhi.STATE_LABELS,
        "now": timezone.now(),
    }


def _homes(caller: Caller) -> list[tuple[str, str]]:
    return choosable(caller.actor)


@never_cache
@audits(GET=ViewedList)
def queue(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "away")
    view = view if view in ("away", "interviews", "recent") else "away"
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    try:
        total, rows = services.reads.queue(caller_of(request), view, page)
    except Refusal as refusal:
        return refused(request, refusal)
    pages = max(1, -(-total // queries.PAGE))
    context = {"rows": rows, "view": view, "total": total, "page": page, "pages": pages}
    context["query"] = urlencode({"view": view}) + "&"
    return render(request, "missing/queue.html", {**context, **_words()})


@never_cache
@audits(GET=None, POST=EpisodeReported)
def report(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        form = ReportForm(initial={"kind": "missing", "person": request.GET.get("person", "")})
        return render(
            request, "missing/report.html", {"form": form, "homes": _homes(caller), **_words()}
        )
    form = ReportForm(request.POST)
    valid = form.is_valid()
    d = form.cleaned_data
    away = services.Away(
        kind=str(d.get("kind") or ""),
        started_at=d.get("started_at") or timezone.now(),
        person=d.get("person"),
        child_name=str(d.get("child_name") or ""),
        home=str(d.get("home") or ""),
        last_seen_where=str(d.get("last_seen_where") or ""),
        last_seen_with=str(d.get("last_seen_with") or ""),
        circumstances=str(d.get("circumstances") or ""),
    )
    try:
        if not valid:
            raise _FormInvalid
        found = services.report(caller, away)
    except (Refusal, _FormInvalid) as problem:
        if isinstance(problem, Refusal):
            if not problem.rule:
                return refused(request, problem)
            for field, why in problem.problems.items():
                form.add_error(field if field in form.fields else None, why)
        context = {"form": form, "homes": _homes(caller), **_words()}
        return render(request, "missing/report.html", context, status=400)
    request.session["done"] = "Reported. The police and the home's SPOC have been told."
    return redirect("missing:episode", episode_id=found.pk)


class _FormInvalid(Exception):
    """The form itself did not parse (a date that is not a date): shown as it is."""


def _page(request: HttpRequest, view: queries.EpisodeView, **extra: Any) -> dict[str, Any]:
    blank = SimpleNamespace(clothing="", taken="", new_information="")
    return {
        "v": view,
        "e": view.episode,
        "p2": view.part_two or blank,
        "posted": request.POST if request.method == "POST" else {},
        "done": request.session.pop("done", "") if request.method == "GET" else "",
        **_words(),
        **extra,
    }


@never_cache
@audits(GET=ViewedEpisode)
def episode(request: HttpRequest, episode_id: int) -> HttpResponse:
    try:
        view = services.reads.episode(caller_of(request), episode_id)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "missing/episode.html", _page(request, view))


def _act(
    request: HttpRequest, episode_id: int, action: str, do: Callable[[Caller], Any], done: str
) -> HttpResponse:
    caller = caller_of(request)
    try:
        do(caller)
    except Refusal as refusal:
        found = queries.visible_episode(caller.actor, episode_id) if refusal.rule else None
        if found is None:
            return refused(request, refusal)
        view = queries.episode_view(caller.actor, found, timezone.now())
        problems = refusal.problems or {action: refusal.reason}
        context = _page(request, view, errors={action: "; ".join(problems.values())})
        return render(request, "missing/episode.html", context, status=400)
    request.session["done"] = done
    return redirect("missing:episode", episode_id=episode_id)


@audits(POST=EpisodeGraded)
def grade(request: HttpRequest, episode_id: int) -> HttpResponse:
    form = GradeForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {"grade": "", "reason": ""}
    return _act(
        request,
        episode_id,
        "grade",
        lambda c: services.grade(c, episode_id, d["grade"], d["reason"]),
        "Risk grade recorded.",
    )


@audits(POST=ChildReturned)
def find(request: HttpRequest, episode_id: int) -> HttpResponse:
    form = FindForm(request.POST)
    valid = form.is_valid()
    d = form.cleaned_data
    back = services.Found(
        returned_at=(d.get("returned_at") if valid else None) or timezone.now(),
        found_where=str(d.get("found_where") or ""),
        found_postcode=str(d.get("found_postcode") or ""),
        found_by=str(d.get("found_by") or ""),
        found_with=str(d.get("found_with") or ""),
    )
    return _act(
        request,
        episode_id,
        "find",
        lambda c: services.find(c, episode_id, back),
        "Return recorded. The return home interview is open for the provider.",
    )


@audits(POST=EpisodeCancelled)
def cancel(request: HttpRequest, episode_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        episode_id,
        "cancel",
        lambda c: services.cancel(c, episode_id, reason),
        "Cancelled.",
    )


@audits(POST=PhilomenaKept)
def part_two(request: HttpRequest, episode_id: int) -> HttpResponse:
    form = PartTwoForm(request.POST)
    d = (
        form.cleaned_data
        if form.is_valid()
        else {"clothing": "", "taken": "", "new_information": ""}
    )
    return _act(
        request,
        episode_id,
        "part_two",
        lambda c: services.keep_part_two(
            c, episode_id, d["clothing"], d["taken"], d["new_information"]
        ),
        "Philomena part 2 kept.",
    )


@audits(POST=PhilomenaHandedOver)
def handover(request: HttpRequest, episode_id: int) -> HttpResponse:
    return _act(
        request,
        episode_id,
        "handover",
        lambda c: services.hand_over(c, episode_id),
        "The Philomena pack is with the police: they can print it from this page.",
    )


@never_cache
@audits(GET=PhilomenaHandedOver)
def pack(request: HttpRequest, episode_id: int) -> HttpResponse:
    try:
        pdf = services.pack(caller_of(request), episode_id)
    except Refusal as refusal:
        return refused(request, refusal)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="philomena-episode-{episode_id}.pdf"'
    return response


@never_cache
@audits(GET=ViewedList)
def pattern(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        found = services.reads.pattern(caller_of(request), person_id)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"episodes": found, "person_id": person_id, **_words()}
    return render(request, "missing/pattern.html", context)


@never_cache
@audits(GET=None, POST=PhilomenaKept)
def part_one(request: HttpRequest, person_id: int) -> HttpResponse:
    caller = caller_of(request)
    profile = queries.profile_of(caller.actor, person_id)
    if request.method == "GET":
        form = PartOneForm(initial=queries.profile_initial(profile))
        return render(
            request,
            "missing/part_one.html",
            {"form": form, "person_id": person_id, "profile": profile, "homes": _homes(caller)},
        )
    form = PartOneForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    part = services.PartOne(
        **{
            k: str(d.get(k) or "")
            for k in (
                "description",
                "photo_reference",
                "associates",
                "places",
                "phones",
                "social_media",
                "transport",
                "medical",
            )
        }
    )
    try:
        services.keep_part_one(caller, person_id, part, str(d.get("home") or ""))
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        for field, why in (refusal.problems or {"description": refusal.reason}).items():
            form.add_error(field if field in form.fields else None, why)
        context = {
            "form": form,
            "person_id": person_id,
            "profile": profile,
            "homes": _homes(caller),
        }
        return render(request, "missing/part_one.html", context, status=400)
    request.session["done"] = "Philomena part 1 kept."
    return redirect("missing:pattern", person_id=person_id)


@never_cache
@audits(GET=ViewedList)
def interviews(request: HttpRequest) -> HttpResponse:
    status = "closed" if request.GET.get("status") == "closed" else "open"
    try:
        found = services.reads.interviews(caller_of(request), status)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(
        request, "missing/interviews.html", {"interviews": found, "status": status, **_words()}
    )


@never_cache
@audits(GET=ViewedEpisode, POST=InterviewRecorded)
def interview(request: HttpRequest, interview_id: int) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "POST":
        form = InterviewForm(request.POST, signs=queries.signs())
        form.is_valid()
        d = form.cleaned_data
        said = services.Said(
            **{
                k: str(d.get(k) or "")
                for k in (
                    "push_factors",
                    "pull_factors",
                    "with_whom",
                    "where",
                    "disclosures",
                    "next_steps",
                )
            },
            signs=tuple(d.get("signs") or ()),
        )
        action = str(d.get("action") or "")
        try:
            services.step(caller, interview_id, action, str(d.get("reason") or ""), said)
        except Refusal as refusal:
            found = queries.visible_interview(caller.actor, interview_id) if refusal.rule else None
            if found is None:
                return refused(request, refusal)
            problems = refusal.problems or {"action": refusal.reason}
            context = {
                "i": found,
                "form": form,
                "errors": problems,
                "signs": queries.signs(),
                **_words(),
            }
            return render(request, "missing/interview.html", context, status=400)
        request.session["done"] = f"Recorded: {rhi.STATE_LABELS.get(action, action)}."
        return redirect("missing:interview", interview_id=interview_id)
    try:
        found = services.reads.interview(caller, interview_id)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {
        "i": found,
        "form": InterviewForm(signs=queries.signs()),
        "errors": {},
        "signs": queries.signs(),
        "done": request.session.pop("done", ""),
        **_words(),
    }
    return render(request, "missing/interview.html", context)


@never_cache
@audits(GET=ViewedList)
def tasks(request: HttpRequest) -> HttpResponse:
    try:
        found = services.reads.tasks(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "missing/tasks.html", {"tasks": found, **_words()})


@never_cache
@audits(GET=ViewedEpisode, POST=StrategyTaskClosed)
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    caller = caller_of(request)
    error = ""
    if request.method == "POST":
        form = TaskForm(request.POST)
        form.is_valid()
        d = form.cleaned_data
        try:
            services.close(caller, task_id, str(d.get("action") or ""), str(d.get("outcome") or ""))
        except Refusal as refusal:
            if not refusal.rule:
                return refused(request, refusal)
            error = refusal.reason
            found = queries.visible_task(caller.actor, task_id)
            if found is None:
                return refused(request, refusal)
            context = {"t": found, "error": error, "posted": request.POST, **_words()}
            return render(request, "missing/task.html", context, status=400)
        return redirect("missing:tasks")
    try:
        found = services.reads.task(caller, task_id)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "missing/task.html", {"t": found, "error": "", "posted": {}, **_words()})


@never_cache
@audits(GET=ViewedList)
def figures(request: HttpRequest) -> HttpResponse:
    try:
        found = services.reads.figures(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "missing/figures.html", {"figures": found, **_words()})


@never_cache
@audits(GET=ViewedList)
def figures_csv(request: HttpRequest) -> HttpResponse:
    try:
        found = services.reads.figures(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    out = io.StringIO()
    writer = Writer(out)
    writer.writerow(
        [
            "council_area",
            "month",
            "returns",
            "offered_within_72_hours",
            "accepted",
            "done",
            "done_within_72_hours",
        ]
    )
    for f in found:
        writer.writerow(
            [
                f.area or "unknown",
                f.month,
                f.returns,
                f.offered_in_time,
                f.accepted,
                f.done,
                f.done_in_time,
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="return-home-interviews.csv"'
    return response

"""The MACE pages: the meetings, scheduling one, a meeting with its agenda, an item with its
decision and actions, the actions lists and one action, and disruption with its counts. Each
parses, calls one service and renders; a form refused for what was in it is shown again with
what was typed and each problem beside its field (400)."""

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
    AgendaBuilt,
    AgendaItemAdded,
    DisruptionRecorded,
    ItemDecided,
    MaceActionSet,
    MaceActionStepped,
    MeetingScheduled,
    ViewedList,
    ViewedMeeting,
)
from safeguard.access.policy import intelligence
from safeguard.casework import mace
from safeguard.hub.mace import queries, services
from safeguard.hub.mace.forms import (
    ActionForm,
    AddForm,
    DecisionForm,
    DisruptionForm,
    MeetingForm,
    StepForm,
)
from safeguard.hub.web.adapter import audits, caller_of, refused
from safeguard.hub.web.csv import Writer


def _words() -> dict[str, Any]:
    rules = queries.rules()
    return {
        "agencies": list(rules.agencies.items()),
        "meeting_areas": queries.MEETING_AREAS,
        "all_areas": list(queries.AREA_LABELS.items()),
        "disruption_kinds": [(k, d.label) for k, d in rules.disruptions.items()],
        "disruption_labels": {k: d.label for k, d in rules.disruptions.items()},
        "agency_labels": rules.agencies,
        "kind_options": [
            (mace.CHILD, "A child"),
            (mace.FINDING, "A network finding"),
            (mace.PLACE, "A place"),
        ],
        "kind_labels": mace.KIND_LABELS,
        "states": mace.STATE_LABELS,
        "lookback": rules.lookback_days,
        "now": timezone.now(),
        "today": timezone.localdate(),
    }


def _errors(form: forms.Form) -> dict[str, str]:
    return {name: str(found[0]) for name, found in form.errors.items()}


def _done(request: HttpRequest) -> str:
    return str(request.session.pop("done", "")) if request.method == "GET" else ""


# --- meetings ---


@never_cache
@audits(GET=ViewedList)
def meetings(request: HttpRequest) -> HttpResponse:
    try:
        upcoming, past = services.reads.meetings(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"upcoming": upcoming, "past": past, "done": _done(request), **_words()}
    return render(request, "mace/meetings.html", context)


def _meeting_form(data: Any = None, **kwargs: Any) -> MeetingForm:
    agencies = list(queries.rules().agencies.items())
    return MeetingForm(data, areas=queries.MEETING_AREAS, agencies=agencies, **kwargs)


def _plan(form: MeetingForm) -> services.Plan:
    d = form.cleaned_data
    return services.Plan(
        held_on=d.get("held_on"),
        areas=tuple(d.get("areas") or ()),
        chair=str(d.get("chair") or ""),
        attendees=tuple(d.get("attendees") or ()),
        venue=str(d.get("venue") or ""),
    )


def _meeting_page(
    request: HttpRequest, form: MeetingForm, errors: dict[str, str], meeting: Any = None
) -> HttpResponse:
    context = {
        "form": form,
        "errors": errors,
        "meeting": meeting,
        "chairs": [(u.username, f"{u.username} ({u.agency})") for u in queries.attendees()],
        **_words(),
    }
    return render(request, "mace/meeting_form.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=None, POST=MeetingScheduled)
def new(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        initial = {
            "chair": caller.actor.username,
            "attendees": ["police", "childrens_social_care", "health", "education"],
        }
        return _meeting_page(request, _meeting_form(initial=initial), {})
    form = _meeting_form(request.POST)
    if not form.is_valid():
        return _meeting_page(request, form, _errors(form))
    try:
        found = services.schedule(caller, _plan(form))
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _meeting_page(request, form, refusal.problems or {"held_on": refusal.reason})
    request.session["done"] = "Meeting scheduled; the chair has been told. Build its agenda next."
    return redirect("mace:meeting", meeting_id=found.pk)


@never_cache
@audits(GET=None, POST=MeetingScheduled)
def edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    caller = caller_of(request)
    found = queries.visible_meeting(caller.actor, meeting_id)
    if found is None:
        raise Http404("no such meeting")
    if request.method == "GET":
        initial = {
            "held_on": found.held_on.strftime("%d/%m/%Y"),
            "areas": found.areas,
            "chair": found.chair.username,
            "attendees": found.attendees,
            "venue": found.venue,
        }
        return _meeting_page(request, _meeting_form(initial=initial), {}, found)
    form = _meeting_form(request.POST)
    if not form.is_valid():
        return _meeting_page(request, form, _errors(form), found)
    try:
        services.change(caller, meeting_id, _plan(form))
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _meeting_page(request, form, refusal.problems or {"held_on": refusal.reason}, found)
    request.session["done"] = "Meeting changed."
    return redirect("mace:meeting", meeting_id=meeting_id)


def _agenda(
    request: HttpRequest, view: queries.MeetingView, errors: dict[str, str] | None = None
) -> HttpResponse:
    context = {
        "v": view,
        "m": view.meeting,
        "errors": errors or {},
        "posted": request.POST if request.method == "POST" else {},
        "done": _done(request),
        **_words(),
    }
    return render(request, "mace/meeting.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=ViewedMeeting)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        view = services.reads.meeting(caller_of(request), meeting_id)
    except Refusal as refusal:
        return refused(request, refusal)
    return _agenda(request, view)


def _on_meeting(
    request: HttpRequest,
    meeting_id: int,
    do: Callable[[Caller], Any],
    done: Callable[[Any], str],
    form: forms.Form | None = None,
) -> HttpResponse:
    """Take a step on a meeting; refused for what was sent, the meeting again with the
    problems beside their fields."""
    caller = caller_of(request)
    problems = _errors(form) if form is not None and not form.is_valid() else {}
    if not problems:
        try:
            result = do(caller)
        except Refusal as refusal:
            if not refusal.rule:
                return refused(request, refusal)
            problems = refusal.problems or {"agenda": refusal.reason}
        else:
            request.session["done"] = done(result)
            return redirect("mace:meeting", meeting_id=meeting_id)
    found = queries.visible_meeting(caller.actor, meeting_id)
    if found is None:
        raise Http404("no such meeting")
    return _agenda(request, queries.meeting_view(caller.actor, found, timezone.now()), problems)


@audits(POST=AgendaBuilt)
def build(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _on_meeting(
        request,
        meeting_id,
        lambda c: services.build(c, meeting_id),
        lambda n: (
            f"Agenda built: {n} item{'s' if n != 1 else ''} added."
            if n
            else "Agenda built: nothing new to add."
        ),
    )


@audits(POST=AgendaItemAdded)
def add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    form = AddForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    addition = services.Addition(
        kind=str(d.get("kind") or ""),
        reason=str(d.get("reason") or ""),
        person=d.get("person"),
        finding_key=str(d.get("finding_key") or ""),
        place=str(d.get("place") or ""),
    )
    return _on_meeting(
        request,
        meeting_id,
        lambda c: services.add(c, meeting_id, addition),
        lambda item: f"Added to the agenda: {item.title}.",
        form,
    )


# --- items ---


def _item_page(
    request: HttpRequest, view: queries.ItemView, errors: dict[str, str] | None = None
) -> HttpResponse:
    context = {
        "v": view,
        "i": view.item,
        "m": view.meeting,
        "errors": errors or {},
        "posted": request.POST if request.method == "POST" else {},
        "done": _done(request),
        "owners": [(u.username, f"{u.username} ({u.agency})") for u in queries.attendees()],
        **_words(),
    }
    return render(request, "mace/item.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=ViewedMeeting)
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        view = services.reads.item(caller_of(request), item_id)
    except Refusal as refusal:
        return refused(request, refusal)
    return _item_page(request, view)


def _on_item(
    request: HttpRequest,
    item_id: int,
    form: forms.Form,
    do: Callable[[Caller], Any],
    done: str,
    fallback: str,
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
            return redirect("mace:item", item_id=item_id)
    found = queries.visible_item(caller.actor, item_id)
    if found is None:
        raise Http404("no such item")
    return _item_page(request, queries.item_view(caller.actor, found, timezone.now()), problems)


@audits(POST=ItemDecided)
def decide(request: HttpRequest, item_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    return _on_item(
        request,
        item_id,
        form,
        lambda c: services.decide(
            c, item_id, str(d.get("summary") or ""), str(d.get("decision") or "")
        ),
        "Decision recorded.",
        "summary",
    )


@audits(POST=MaceActionSet)
def set_action(request: HttpRequest, item_id: int) -> HttpResponse:
    form = ActionForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    task = services.Task(
        what=str(d.get("what") or ""),
        owner=str(d.get("owner") or ""),
        agency=str(d.get("agency") or ""),
        due_on=d.get("due_on"),
    )
    return _on_item(
        request,
        item_id,
        form,
        lambda c: services.set_action(c, item_id, task),
        "Action set; its owner has been told.",
        "what",
    )


# --- actions ---


@never_cache
@audits(GET=ViewedList)
def actions(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "mine")
    view = view if view in queries.VIEWS else "mine"
    try:
        found = services.reads.actions(caller_of(request), view)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"actions": found, "view": view, "views": queries.VIEWS, **_words()}
    return render(request, "mace/actions.html", context)


def _action_page(
    request: HttpRequest, line: queries.ActionLine, errors: dict[str, str] | None = None
) -> HttpResponse:
    caller = caller_of(request)
    a = line.action
    moves = mace.MACHINE.actions(a.status, caller.actor.roles)
    if a.owner.username != caller.actor.username and not queries.recorder(caller.actor):
        moves = []
    context = {
        "line": line,
        "a": a,
        "moves": moves,
        "errors": errors or {},
        "posted": request.POST if request.method == "POST" else {},
        "done": _done(request),
        **_words(),
    }
    return render(request, "mace/action.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=ViewedMeeting, POST=MaceActionStepped)
def action(request: HttpRequest, action_id: int) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        try:
            line = services.reads.action(caller, action_id)
        except Refusal as refusal:
            return refused(request, refusal)
        return _action_page(request, line)
    form = StepForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    move = str(d.get("step") or "")
    try:
        services.step(caller, action_id, move, str(d.get("reason") or ""))
    except Refusal as refusal:
        found = queries.visible_action(caller.actor, action_id) if refusal.rule else None
        if found is None:
            return refused(request, refusal)
        line = queries.action_line(bool(intelligence(caller.actor)), found, timezone.now())
        problems = refusal.problems or {"reason": refusal.reason}
        return _action_page(request, line, problems)
    labels = {"complete": "Marked done.", "cancel": "Cancelled."}
    request.session["done"] = labels.get(move, "Recorded.")
    return redirect("mace:action", action_id=action_id)


# --- disruption ---


def _area(request: HttpRequest) -> str:
    area = request.GET.get("area", "")
    return area if area in queries.AREA_LABELS or area == "unknown" else ""


@never_cache
@audits(GET=ViewedList)
def disruption(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    try:
        found = services.reads.figures(caller_of(request), area)
    except Refusal as refusal:
        return refused(request, refusal)
    context = {"f": queries.figures(found), "area": area, "done": _done(request), **_words()}
    return render(request, "mace/disruption.html", context)


@never_cache
@audits(GET=ViewedList)
def disruption_csv(request: HttpRequest) -> HttpResponse:
    try:
        found = services.reads.figures(caller_of(request), _area(request))
    except Refusal as refusal:
        return refused(request, refusal)
    labels = dict(_words()["disruption_kinds"])
    out = io.StringIO()
    writer = Writer(out)
    writer.writerow(["month", "council_area", "type", "type_label", "count"])
    for t in found:
        writer.writerow([t.month, t.area or "unknown", t.kind, labels.get(t.kind, t.kind), t.count])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mace-disruption.csv"'
    return response


def _disruption_page(
    request: HttpRequest, form: DisruptionForm, errors: dict[str, str]
) -> HttpResponse:
    caller = caller_of(request)
    meeting_id = form["meeting"].value()
    found = (
        queries.visible_meeting(caller.actor, int(meeting_id))
        if str(meeting_id or "").isdigit()
        else None
    )
    context = {"form": form, "errors": errors, "meeting": found, **_words()}
    return render(request, "mace/disruption_form.html", context, status=400 if errors else 200)


@never_cache
@audits(GET=None, POST=DisruptionRecorded)
def record_disruption(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        initial = {
            k: request.GET[k] for k in ("meeting", "item", "kind") if request.GET.get(k, "").strip()
        }
        initial["on"] = timezone.localdate().strftime("%d/%m/%Y")
        return _disruption_page(request, DisruptionForm(initial=initial), {})
    form = DisruptionForm(request.POST)
    if not form.is_valid():
        return _disruption_page(request, form, _errors(form))
    d = form.cleaned_data
    disrupt = services.Disrupt(
        kind=str(d.get("kind") or ""),
        on=d.get("on"),
        agency=str(d.get("agency") or ""),
        against_person=d.get("against_person"),
        against=str(d.get("against") or ""),
        place=str(d.get("place") or ""),
        area=str(d.get("area") or ""),
        meeting=d.get("meeting"),
        item=d.get("item"),
        details=str(d.get("details") or ""),
    )
    try:
        found = services.record(caller, disrupt)
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        return _disruption_page(request, form, refusal.problems or {"kind": refusal.reason})
    request.session["done"] = "Disruption recorded."
    if found.item_id:
        return redirect("mace:item", item_id=found.item_id)
    if found.meeting_id:
        return redirect("mace:meeting", meeting_id=found.meeting_id)
    return redirect("mace:disruption")

"""The MASH's pages: the queue, a new contact, one contact and the actions on it, an agency's
checks, what a professional sent, and the manager's load and breaches. Each parses the
request, calls one service (which asks the policy and audits) and renders. A form refused for
what was in it is shown again with what was typed and the problem beside each field (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import (
    CheckAnswered,
    ChecksRequested,
    CheckWithdrawn,
    ContactDecided,
    ContactNoted,
    ContactRated,
    ContactReceived,
    ContactReopened,
    ContactRouted,
    SubjectLinked,
    ViewedContact,
    ViewedList,
)
from safeguard.access.policy import Role
from safeguard.hub.mash import clocks, queries, services
from safeguard.hub.mash.forms import (
    AnswerForm,
    AskForm,
    ContactForm,
    DecideForm,
    LinkForm,
    NoteForm,
    QueueForm,
    RateForm,
    ReasonForm,
    WithdrawForm,
    field_of,
)
from safeguard.hub.mash.models import Contact
from safeguard.hub.web.adapter import audits, caller_of, refused

#: The census referral source a professional's contact has, by their role (they may change it).
ROLE_SOURCE = {
    Role.SCHOOL_DSL: "2A",
    Role.POLICE_OFFICER: "6",
    Role.POLICE_SPOC: "6",
    Role.HEALTH_LEAD: "3F",
    Role.SOCIAL_WORKER: "5A",
    Role.MASH_PRACTITIONER: "5A",
    Role.MASH_MANAGER: "5A",
    Role.ANALYST: "6",
}
PROFESSIONAL_SOURCES = (
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    "5D",
    "6",
    "7",
    "8",
)


def _source(caller: Caller) -> str:
    return next((ROLE_SOURCE[r] for r in sorted(caller.actor.roles) if r in ROLE_SOURCE), "8")


def _vocabulary() -> dict[str, Any]:
    """What the MASH's pages offer and name: the vocabulary's codes and labels."""
    v = clocks.vocabulary()
    return {
        "ratings": v.ratings,
        "rating_options": [(k, f"{r.label}: {r.meaning}") for k, r in v.ratings.items()],
        "factors": v.factors,
        "outcomes": v.outcomes,
        "outcome_options": [(k, o.label) for k, o in v.outcomes.items()],
        "bases": v.bases,
        "sources": [(c, v.sources[c]) for c in PROFESSIONAL_SOURCES if c in v.sources],
        "all_sources": v.sources,
        "areas": queries.AREAS,
        "person_kinds": [("adult", "Adult"), ("child", "Child")],
        "aware_options": Contact.Aware.choices,
        "consent_options": Contact.Consent.choices,
        "anonymity_options": Contact.Anonymity.choices,
        "holds_options": [("yes", "Yes"), ("no", "No")],
        "now": timezone.now(),
        "days": queries.MANAGER_DAYS,
    }


@never_cache
@audits(GET=ViewedList)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.QueueFilters(
        status=data.get("status") or "open",
        rating=data.get("rating") or "",
        area=data.get("area") or "",
        mine=bool(data.get("mine")),
        page=data.get("page") or 1,
        person=data.get("person"),
    )
    try:
        total, rows = services.queue(caller_of(request), filters)
    except Refusal as refusal:
        return refused(request, refusal)
    pages = max(1, -(-total // queries.PAGE))
    context = {"filters": filters, "total": total, "rows": rows, "pages": pages, **_vocabulary()}
    return render(request, "mash/queue.html", context)


@never_cache
@audits(GET=None, POST=ContactReceived)
def new(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    user = request.user
    if request.method == "GET":
        initial = {
            "source": _source(caller),
            "referrer_name": getattr(user, "get_full_name", lambda: "")() or caller.actor.username,
            "referrer_email": getattr(user, "email", ""),
            "anonymity": "named",
            "parents_aware": "unknown",
            "consent": "not_sought",
        }
        return render(
            request, "mash/new.html", {"form": ContactForm(initial=initial), **_vocabulary()}
        )
    form = ContactForm(request.POST)
    if not form.is_valid():
        # the service records the refusal; the form keeps what was typed
        form.cleaned_data = {**dict.fromkeys(form.fields, ""), **form.cleaned_data, "dob": None}
    try:
        found = services.receive(caller, form.intake(_source(caller), caller.actor.agency))
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        for key, problem in refusal.problems.items():
            name = field_of(key)
            if name in form.fields and name not in form.errors:
                form.add_error(name, problem)
        if not form.errors:
            form.add_error(None, refusal.reason)
        return render(request, "mash/new.html", {"form": form, **_vocabulary()}, status=400)
    request.session["sent"] = found.reference
    return redirect("mash:mine")


@never_cache
@audits(GET=ViewedList)
def mine(request: HttpRequest) -> HttpResponse:
    try:
        found = services.mine(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    sent = request.session.pop("sent", "")
    return render(request, "mash/mine.html", {"contacts": found, "sent": sent, **_vocabulary()})


def _page(request: HttpRequest, view: queries.ContactView, **extra: Any) -> dict[str, Any]:
    return {
        "v": view,
        "c": view.contact,
        "agencies": queries.agencies(),
        "teams": queries.teams(),
        "posted": request.POST if request.method == "POST" else {},
        "done": request.session.pop("done", "") if request.method == "GET" else "",
        **_vocabulary(),
        **extra,
    }


@never_cache
@audits(GET=ViewedContact)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    caller = caller_of(request)
    try:
        view = services.contact(caller, reference)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "mash/contact.html", _page(request, view))


def _act(
    request: HttpRequest, reference: str, action: str, do: Callable[[Caller], Any], done: str
) -> HttpResponse:
    """Take an action on a contact; refused for what was sent, the page is shown again with
    what was typed and the problem beside the action's form (400)."""
    caller = caller_of(request)
    try:
        do(caller)
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        found = queries.visible_contact(caller.actor, reference)
        if found is None:
            return refused(request, refusal)
        view = queries.contact_view_now(caller.actor, found)
        context = _page(request, view, errors={action: refusal.reason})
        return render(request, "mash/contact.html", context, status=400)
    request.session["done"] = done
    return redirect("mash:contact", reference=reference)


@audits(POST=ContactRated)
def rate(request: HttpRequest, reference: str) -> HttpResponse:
    form = RateForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {"rating": "", "reason": ""}
    return _act(
        request,
        reference,
        "rate",
        lambda c: services.rate(c, reference, d["rating"], d["reason"]),
        "Rating recorded.",
    )


@audits(POST=ContactRouted)
def route(request: HttpRequest, reference: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    back = request.POST.get("back") == "yes"
    do = services.take_back if back else services.route
    return _act(
        request,
        reference,
        "route",
        lambda c: do(c, reference, reason),
        "Taken back into the MASH." if back else "Sent to the allocated worker's team.",
    )


@audits(POST=ChecksRequested)
def ask(request: HttpRequest, reference: str) -> HttpResponse:
    form = AskForm(request.POST, agencies=queries.agencies())
    d = form.cleaned_data if form.is_valid() else {}
    return _act(
        request,
        reference,
        "ask",
        lambda c: services.ask(
            c,
            reference,
            [str(a) for a in (d.get("agency") or request.POST.getlist("agency") or [])],
            d.get("basis", ""),
            d.get("question", ""),
            d.get("consent_reason", ""),
        ),
        "Agencies asked.",
    )


@audits(POST=CheckWithdrawn)
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    form = WithdrawForm(request.POST)
    valid = form.is_valid()
    check_id = int(form.cleaned_data["check"]) if valid else 0
    reason = str(form.cleaned_data["reason"]) if valid else ""
    return _act(
        request,
        reference,
        "withdraw",
        lambda c: services.withdraw(c, check_id, reason),
        "Check withdrawn.",
    )


@audits(POST=SubjectLinked)
def link(request: HttpRequest, reference: str) -> HttpResponse:
    form = LinkForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {"subject": 0, "person": 0}
    return _act(
        request,
        reference,
        "link",
        lambda c: services.link(c, reference, d["subject"], d["person"]),
        "Recorded who that person is.",
    )


@audits(POST=ContactNoted)
def note(request: HttpRequest, reference: str) -> HttpResponse:
    form = NoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _act(request, reference, "note", lambda c: services.note(c, reference, text), "Added.")


@audits(POST=ContactDecided)
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    form = DecideForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    return _act(
        request,
        reference,
        "decide",
        lambda c: services.decide(
            c,
            reference,
            [str(o) for o in (d.get("outcome") or request.POST.getlist("outcome") or [])],
            d.get("reason", ""),
            d.get("basis", ""),
            d.get("feedback", ""),
            d.get("team"),
        ),
        "Decision recorded; the referrer has been told.",
    )


@audits(POST=ContactReopened)
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        reference,
        "reopen",
        lambda c: services.reopen(c, reference, reason),
        "Reopened: rate it again.",
    )


@never_cache
@audits(GET=ViewedList)
def checks(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "requested")
    filters = queries.CheckFilters(status if status in ("requested", "answered") else "requested")
    try:
        rows = services.checks(caller_of(request), filters)
    except Refusal as refusal:
        return refused(request, refusal)
    return render(
        request,
        "mash/checks.html",
        {"rows": rows, "filters": filters, "ratings": clocks.vocabulary().ratings},
    )


@never_cache
@audits(GET=ViewedContact, POST=CheckAnswered)
def check(request: HttpRequest, check_id: int) -> HttpResponse:
    caller = caller_of(request)
    if request.method == "GET":
        try:
            found, view = services.one_check(caller, check_id)
        except Refusal as refusal:
            return refused(request, refusal)
        return render(request, "mash/check.html", _check_page(found, view, "", {}))
    form = AnswerForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {"answer": "", "holds": ""}
    try:
        services.answer(caller, check_id, d["answer"], d["holds"] == "yes")
    except Refusal as refusal:
        shown = queries.visible_check(caller.actor, check_id) if refusal.rule else None
        if shown is None:
            return refused(request, refusal)
        view = queries.contact_view_now(caller.actor, shown.contact)
        context = _check_page(shown, view, refusal.reason, request.POST)
        return render(request, "mash/check.html", context, status=400)
    return redirect("mash:checks")


def _check_page(found: Any, view: queries.ContactView, error: str, posted: Any) -> dict[str, Any]:
    return {
        "k": found,
        "v": view,
        "c": view.contact,
        "error": error,
        "posted": posted,
        **_vocabulary(),
    }


@never_cache
@audits(GET=ViewedList)
def manager(request: HttpRequest) -> HttpResponse:
    try:
        load = services.load(caller_of(request))
    except Refusal as refusal:
        return refused(request, refusal)
    return render(request, "mash/manager.html", {"load": load, **_vocabulary()})

"""The public's pages (no account): report a concern at /report/, and add to it or see
whether it was followed up with the code at /report/follow-up/. Both say "call 999" first,
offer a quick exit (the button, or the Escape key), keep nothing about the device, and
answer every refusal in plain words. And the MASH's page to see who reported one."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from safeguard.access.caller import Refusal
from safeguard.access.events import ConcernAddedTo, ConcernReported, ViewedReporter
from safeguard.hub.concerns import limits, services
from safeguard.hub.concerns.forms import FollowUpForm, ReportForm, WhyForm
from safeguard.hub.web.adapter import audits, caller_of, refused

TOO_MANY = (
    "We have had a lot of reports from here in the last hour. Please try again later. "
    "If a child is in danger now, call 999."
)


#: The report form's choices, in plain words.
OPTIONS = {
    "public_concerns": [
        (
            "exploitation",
            "Sexual exploitation or grooming: an older person using a child for "
            "sex, or giving them gifts, drink or drugs",
        ),
        ("missing", "Going missing, or staying out very late"),
        ("crime", "Being used to sell drugs or to commit crime"),
        ("sexual_abuse", "Sexual abuse"),
        ("physical_abuse", "Being hit or hurt"),
        ("neglect", "Not being looked after: no food, not clean, left alone"),
        ("other", "Something else"),
    ],
    "tell_options": [("no", "No, I want to stay anonymous"), ("yes", "Yes")],
    "relationships": [
        ("1A", "I am family, or I look after the child"),
        ("1B", "I am a friend or a neighbour"),
        ("1C", "I am the child"),
        ("1D", "Another way"),
    ],
    "yes_no": [("yes", "Yes"), ("no", "No")],
}


def _public(response: HttpResponse) -> HttpResponse:
    """What a shared or watched device must not keep: nothing cached (the hub's own policy
    already sends no referrer to another site; "no-referrer" here would make browsers send
    `Origin: null` with the form, which the CSRF check rightly refuses)."""
    response["Cache-Control"] = "no-store"
    return response


def _form_page(request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
    token = form.data.get("form_token") if form.is_bound else None
    context = {"form": form, "token": token or secrets.token_urlsafe(24), **OPTIONS}
    return _public(render(request, "concerns/report.html", context, status=status))


@never_cache
@audits(GET=None, POST=ConcernReported)
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, ReportForm())
    if not limits.spend(request, "report"):
        return _public(render(request, "concerns/refused.html", {"why": TOO_MANY}, status=429))
    form = ReportForm(request.POST)
    valid = form.is_valid()
    if valid and form.cleaned_data.get("website"):
        why = "We could not accept this form. Please fill it in again, or call 101."
        return _public(render(request, "concerns/refused.html", {"why": why}, status=400))
    if not valid:
        return _form_page(request, form, status=400)
    try:
        _, code = services.report(form.report(), form.cleaned_data["form_token"] or "")
    except Refusal as refusal:
        for field, problem in refusal.problems.items():
            if field in form.fields:
                form.add_error(field, problem)
        if not refusal.problems:
            return _public(
                render(
                    request,
                    "concerns/refused.html",
                    {"why": refusal.reason.capitalize() + "."},
                    status=400,
                )
            )
        return _form_page(request, form, status=400)
    return _public(render(request, "concerns/sent.html", {"code": code}))


@never_cache
@audits(GET=None, POST=ConcernAddedTo)
def follow_up(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _public(render(request, "concerns/follow_up.html", {"form": FollowUpForm()}))
    if not limits.spend(request, "follow-up"):
        return _public(render(request, "concerns/refused.html", {"why": TOO_MANY}, status=429))
    form = FollowUpForm(request.POST)
    form.is_valid()
    code, text = form.cleaned_data.get("code", ""), form.cleaned_data.get("text", "")
    found = services.status(code) if code else None
    context: dict[str, object] = {"form": form, "code": code}
    if found is None:
        form.add_error("code", "We could not find that code. Check it and try again")
        return _public(render(request, "concerns/follow_up.html", context, status=400))
    context["status"] = found[1]
    if request.POST.get("adding") != "yes":  # looking the code up: nothing is written
        return _public(render(request, "concerns/follow_up.html", context))
    try:
        services.add(code, text)
    except Refusal as refusal:
        for field, problem in refusal.problems.items():
            form.add_error(field if field in form.fields else None, problem)
        return _public(render(request, "concerns/follow_up.html", context, status=400))
    context["added"] = True
    context["form"] = FollowUpForm()
    return _public(render(request, "concerns/follow_up.html", context))


@never_cache
@audits(GET=None, POST=ViewedReporter)
def reporter(request: HttpRequest, reference: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "concerns/reporter.html", {"reference": reference})
    form = WhyForm(request.POST)
    why = form.cleaned_data["why"] if form.is_valid() else ""
    try:
        found = services.reporter(caller_of(request), reference, why)
    except Refusal as refusal:
        if not refusal.rule:
            return refused(request, refusal)
        context = {"reference": reference, "error": refusal.reason, "why": why}
        return render(request, "concerns/reporter.html", context, status=400)
    context = {"reference": reference, "reporter": found, "shown": True}
    return render(request, "concerns/reporter.html", context)

"""People pages: search, the person (linked records, joined-up chronology, current flags,
uncertain links to review), break-glass, and link decisions.

Every page here runs after the route check in `AccessMiddleware`; each then asks the policy
about the person (need to know) and each record (sexual health, intelligence). Its audit event
is committed before the answer is built and sent, so a view that cannot be audited is not
shown. (The event has its own short transaction: on SQLite a transaction around the whole read
would hold the write lock for it, and every page would wait for every other.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from safeguard.access import policy
from safeguard.hub.audit import store as audit
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.deliveries.models import SourceRecord
from safeguard.hub.intelligence.models import Finding, MissingAlert, Screening
from safeguard.hub.people import chronology, review, search
from safeguard.hub.people import store as people
from safeguard.hub.people.models import Person, SearchEntry
from safeguard.hub.web.middleware import actor_of

#: How long a break-glass grant lasts in the session.
GLASS_SECONDS = 60 * 60


def _actor(request: HttpRequest) -> policy.Actor:
    actor = actor_of(request)
    if actor is None:  # the middleware lets nobody here unsigned
        raise PermissionError("not signed in")
    return actor


def _glass(request: HttpRequest, person_id: int) -> bool:
    grants: dict[str, float] = request.session.get("glass", {})
    return grants.get(str(person_id), 0) > time.time()


@never_cache
@vary_on_headers("HX-Request")
def search_people(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    text = request.GET.get("q", "").strip()
    query, results = search.parse(text), list[dict[str, Any]]()
    if text:
        query, results = search.scoped(actor, text, lambda pid: _glass(request, pid))
        audit.searched(actor, text, [r["person_id"] for r in results if r["visible"]])
    template = "web/_results.html" if request.headers.get("HX-Request") else "web/search.html"
    return render(request, template, {"q": text, "query": query, "results": results})


@never_cache
@vary_on_headers("HX-Request")
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    found = Person.objects.filter(pk=person_id).first()
    if found is None:
        raise Http404("no such person")
    if found.merged_into_id is not None:
        return redirect("people:detail", person_id=found.merged_into_id)
    records = chronology.records_of(person_id)
    decision = policy.person(actor, chronology.holders(records), _glass(request, person_id))
    audit.viewed(actor, person_id, decision, request.get_full_path())
    if not decision:
        return render(
            request,
            "web/person_denied.html",
            {"person_id": person_id, "reason": decision.reason},
            status=403,
        )
    agencies = request.GET.getlist("agency")
    kinds = request.GET.getlist("kind")
    everything = chronology.entries(records, actor)
    entries = chronology.only(everything, agencies, kinds)
    if request.headers.get("HX-Request"):
        return render(request, "web/_chronology.html", {"entries": entries})
    may_decide = bool(policy.act(actor, policy.Action.DECIDE_LINK))
    screening = Screening.objects.filter(person_id=person_id, current=True).first()
    withheld = _restricted_reasons(screening, actor) if screening else 0
    names = {e.unique_id: e for e in SearchEntry.objects.filter(person_id=person_id)}
    context = {
        "person_id": person_id,
        "decision": decision,
        "records": [(r, names.get(r.unique_id)) for r in records],
        "title": _title(names.values()),
        "entries": entries,
        "all_agencies": sorted({r.agency for r in records}),
        "all_kinds": sorted({e.kind for e in everything}),
        "chosen_agencies": agencies,
        "chosen_kinds": kinds,
        "screening": screening,
        "withheld_reasons": withheld,
        "alerts": list(MissingAlert.objects.filter(person_id=person_id, current=True)),
        "findings": _findings(person_id) if policy.intelligence(actor) else None,
        "links": review.links_of([r.unique_id for r in records], pending=may_decide),
        "may_decide": may_decide,
        "can_split": may_decide and len(records) > 1,
        "history": people.history(person_id),
        "decision_error": request.session.pop("decision_error", ""),
        "decision_note": request.session.pop("decision_note", ""),
    }
    return render(request, "web/person.html", context)


def _restricted_reasons(screening: Screening, actor: policy.Actor) -> int:
    """Drop from the screening's reasons any resting on records the reader may not see in
    full (sexual health, intelligence); how many were dropped."""
    cited = [
        tuple(r.split(":", 2))
        for reason in screening.reasons or []
        for r in reason.get("records") or []
        if r.count(":") >= 2
    ]
    health = Q()
    for agency, kind, rid in cited:
        if kind == "health_events":
            health |= Q(agency__code=agency, kind=kind, record_id=rid, is_current=True)
    details = (
        {
            (r.agency.code, r.record_id): (
                str(r.data.get("event_code") or ""),
                str(r.data.get("setting") or ""),
            )
            for r in SourceRecord.objects.filter(health).select_related("agency")
        }
        if health
        else {}
    )
    kept = []
    for reason in screening.reasons or []:
        readable = True
        for r in reason.get("records") or []:
            agency, kind, rid = [*r.split(":", 2), "", ""][:3]
            code, setting = details.get((agency, rid), ("", ""))
            if not policy.record(actor, kind, code, setting):
                readable = False
        if readable:
            kept.append(reason)
    dropped = len(screening.reasons or []) - len(kept)
    screening.reasons = kept
    return dropped


def _title(entries: object) -> str:
    names = [e.display_name for e in entries]  # type: ignore[attr-defined]
    return max(set(names), key=names.count) if names else "(no name recorded)"


def _findings(person_id: int) -> list[Finding]:
    node = f"P:{person_id}"
    live = (
        Finding.objects.filter(active=True)
        .exclude(status=Finding.Status.CLOSED)
        .filter(members__icontains=f'"{node}"')  # narrows in SQL; the exact check follows
    )
    return [f for f in live if any(m.get("node") == node for m in f.members)]


@require_POST
def break_glass(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    reason = request.POST.get("reason", "")
    decision = policy.break_glass(actor, reason)
    with transaction.atomic():
        audit.record(
            actor,
            AuditEvent.Action.BREAK_GLASS,
            decision,
            person_id=person_id,
            target=request.path,
            why=reason.strip(),
        )
    if not decision:
        return render(
            request,
            "web/person_denied.html",
            {"person_id": person_id, "reason": decision.reason, "error": decision.reason},
            status=400,
        )
    grants = dict(request.session.get("glass", {}))
    grants[str(person_id)] = time.time() + GLASS_SECONDS
    request.session["glass"] = grants
    return redirect("people:detail", person_id=person_id)


@require_POST
def decide(request: HttpRequest, person_id: int) -> HttpResponse:
    """Confirm or reject an uncertain link between two records, with a reason; people are
    resolved again at once, as `safeguard review decide` does."""
    actor = _actor(request)
    left, right = request.POST.get("left", ""), request.POST.get("right", "")
    same = request.POST.get("same") == "yes"
    reason = request.POST.get("reason", "").strip()
    verdict = "same person" if same else "different people"
    if not {left, right} & {r.unique_id for r in chronology.records_of(person_id)}:
        raise Http404("neither record is this person's")
    return _decided(
        request,
        actor,
        person_id,
        f"{left} {right}: {verdict}",
        reason,
        lambda: [people.decide(left, right, same, reason, actor.username)],
    )


@require_POST
def split(request: HttpRequest, person_id: int) -> HttpResponse:
    """Split the chosen records off the person (each decided a different person from the
    person's other records), with a reason, as `safeguard review split` does."""
    actor = _actor(request)
    chosen = request.POST.getlist("record")
    reason = request.POST.get("reason", "").strip()
    return _decided(
        request,
        actor,
        person_id,
        f"split {' '.join(chosen)}",
        reason,
        lambda: people.split(person_id, chosen, reason, actor.username),
    )


def _decided(
    request: HttpRequest,
    actor: policy.Actor,
    person_id: int,
    what: str,
    reason: str,
    record: Callable[[], list[Any]],
) -> HttpResponse:
    """Store a link decision and its audit event together, then resolve people again; a
    refused decision is shown on the person's page."""
    from safeguard.linkage.run import NotLinkedYet
    from safeguard.settings import get_settings

    try:
        with transaction.atomic():
            record()
            audit.record(
                actor,
                AuditEvent.Action.LINK_DECISION,
                policy.Decision(True, what),
                person_id=person_id,
                target=what[:300],
                why=reason,
            )
    except people.DecisionRefused as exc:
        request.session["decision_error"] = str(exc)
        return redirect("people:detail", person_id=person_id)
    settings = get_settings()
    try:
        people.relink_people(settings.linkage_dir, settings.linkage_config())
        request.session["decision_note"] = "Recorded, and people resolved again."
    except NotLinkedYet:
        request.session["decision_note"] = "Recorded; it takes effect at the next linkage run."
    return redirect("people:detail", person_id=person_id)


@never_cache
def explain(request: HttpRequest, person_id: int) -> HttpResponse:
    """Why two records scored as they did (comparison by comparison): two of this person's
    records, or (for those who decide links) a pair awaiting review that touches them. Only
    pairs the last run scored: the web never scores a pair on demand."""
    from safeguard.linkage.explain import explain_row

    actor = _actor(request)
    left, right = sorted((request.GET.get("left", ""), request.GET.get("right", "")))
    records = chronology.records_of(person_id)
    decision = policy.person(actor, chronology.holders(records), _glass(request, person_id))
    audit.viewed(actor, person_id, decision, f"explain {left} {right}")
    if not decision:
        return render(request, "web/denied.html", {"reason": decision.reason}, status=403)
    mine = {r.unique_id for r in records}
    pair = review.saved_pair(left, right)
    if pair is None or not ({left, right} & mine):
        raise Http404("no scored pair of those records touches this person")
    if not {left, right} <= mine and not policy.act(actor, policy.Action.DECIDE_LINK):
        return render(
            request,
            "web/denied.html",
            {"reason": "a pair with another person's record: for those who decide links"},
            status=403,
        )
    return render(request, "web/_explain.html", {"x": explain_row(pair, review.model())})

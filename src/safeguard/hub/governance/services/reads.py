"""Reading the review, each reading audited before anything is shown: the overview, one
recommendation with its assessments and actions, the actions lists, one action, and the
Ofsted register. No child is named anywhere in the review."""

from __future__ import annotations

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import Refused, ViewedList, ViewedReview
from safeguard.access.policy import Action, Decision, act
from safeguard.hub.audit import services as audit
from safeguard.hub.governance import queries


def _may(caller: Caller, what: str, where: str = "") -> Decision:
    return audit.check(caller, act(caller.actor, Action.VIEW_REVIEW), Refused(what, where))


def overview(caller: Caller) -> queries.Overview:
    allowed = _may(caller, "list", "the review")
    audit.seen(caller, ViewedList("the review against the recommendations"), allowed)
    return queries.overview(caller.actor)


def recommendation(caller: Caller, recommendation_id: str) -> queries.RecommendationView:
    refused = Refused("view a recommendation", recommendation_id[:63])
    allowed = _may(caller, refused.attempted, refused.where)
    found = queries.catalogue().get(recommendation_id)
    if found is None:
        why = Decision(False, f"no recommendation {recommendation_id[:63]} in the catalogue")
        audit.refuse(caller, refused, why, rule=True)
    audit.seen(caller, ViewedReview(found.id), allowed)
    return queries.recommendation_view(caller.actor, found, timezone.now())


def actions(caller: Caller, view: str) -> list[queries.ActionLine]:
    allowed = _may(caller, "list", f"review actions: {view}")
    audit.seen(caller, ViewedList(f"review actions: {view}"), allowed)
    return queries.actions(caller.actor, view, timezone.now())


def action(caller: Caller, action_id: int) -> queries.ActionLine:
    refused = Refused("view a review action", f"review action {action_id}")
    allowed = _may(caller, refused.attempted, refused.where)
    found = queries.visible_action(caller.actor, action_id)
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no review action {action_id}"), rule=True)
    audit.seen(caller, ViewedReview(found.recommendation, f"action {action_id}"), allowed)
    return queries.action_line(found, timezone.now())


def register(caller: Caller) -> list[queries.Council]:
    allowed = _may(caller, "list", "the Ofsted register")
    audit.seen(caller, ViewedList("the Ofsted register"), allowed)
    return queries.register(caller.actor)

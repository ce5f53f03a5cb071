"""Reading the review: the catalogue in use, the overview (each recommendation with each
visible agency's rating and state), one recommendation with its assessments, their versions
and its actions, the actions lists, and who may own an action. Reads only: the services ask
the policy and audit first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from safeguard.access.policy import Actor
from safeguard.casework import review
from safeguard.governance import catalogue as cat
from safeguard.hub import clocks
from safeguard.hub.accounts.models import User
from safeguard.hub.governance.models import Assessment, AssessmentVersion, ReviewAction
from safeguard.settings import get_settings
from safeguard.timescales.deadline import LONDON
from safeguard.workflow.machine import Transition


@cache
def catalogue() -> cat.Catalogue:
    """The recommendations in use (`SAFEGUARD_RECOMMENDATIONS`, or the default), read once."""
    return cat.load(get_settings().recommendations)


def agency_label(code: str) -> str:
    return catalogue().agencies.get(code, code)


def agencies_for(actor: Actor) -> list[tuple[str, str]]:
    """The agencies whose assessments the actor reads: all, or their own."""
    agencies = catalogue().agencies
    if actor.roles & review.PARTNERSHIP_READERS:
        return list(agencies.items())
    return [(actor.agency, agencies.get(actor.agency, actor.agency))]


@dataclass(frozen=True)
class Row:
    recommendation: cat.Recommendation
    cells: list[Assessment | None]


@dataclass
class Overview:
    agencies: list[tuple[str, str]]
    groups: list[tuple[cat.Source, list[Row]]]
    rag: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    missing: int = 0
    entries: int = 0
    unchecked: int = 0
    waiting: list[tuple[Assessment, cat.Recommendation]] = field(default_factory=list)
    """The queue: assessments waiting on the reader (to review, or to revise), oldest first."""


def overview(actor: Actor) -> Overview:
    """Every recommendation, and for each agency the actor reads, its assessment (or none)."""
    agencies = agencies_for(actor)
    held = {
        (a.recommendation, a.agency): a
        for a in Assessment.objects.visible_to(actor).filter(agency__in=[c for c, _ in agencies])
    }
    listed = catalogue().recommendations
    found = Overview(agencies, [], entries=len(listed))
    found.unchecked = sum(1 for r in listed if not r.checked)
    for source, entries in catalogue().by_source():
        rows = []
        for r in entries:
            cells = [held.get((r.id, code)) for code, _ in agencies]
            for a in cells:
                if a is None or not a.version:
                    found.missing += 1
                    continue
                found.rag[a.rag or "none"] += 1
                found.states[a.status] += 1
            rows.append(Row(r, cells))
        found.groups.append((source, rows))
    for a in _waiting(actor).order_by("changed_at", "pk"):
        entry = catalogue().get(a.recommendation)
        if entry is not None:  # an entry a partnership's catalogue dropped is not waited on
            found.waiting.append((a, entry))
    return found


def due_at(due_on: dt.date) -> dt.datetime:
    """An action due on a day is due by the end of it."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time()).replace(tzinfo=LONDON)


@dataclass(frozen=True)
class ActionLine:
    action: ReviewAction
    title: str
    standing: str

    @property
    def agency(self) -> str:
        return agency_label(self.action.agency)

    @property
    def overdue(self) -> bool:
        return self.standing == "overdue"


def action_line(action: ReviewAction, now: dt.datetime) -> ActionLine:
    found = catalogue().get(action.recommendation)
    title = found.label if found else action.recommendation
    if action.status == review.CANCELLED:
        return ActionLine(action, title, "cancelled")
    done = action.closed_at if action.status == review.DONE else None
    return ActionLine(action, title, clocks.standing(due_at(action.due_on), done, now))


@dataclass
class AssessmentView:
    agency: str
    label: str
    assessment: Assessment | None
    versions: list[AssessmentVersion]
    moves: list[Transition] = field(default_factory=list)
    """The steps the reader may take on it (their own agency's, as an agency lead)."""


@dataclass
class RecommendationView:
    recommendation: cat.Recommendation
    assessments: list[AssessmentView]
    actions: list[ActionLine]


def recommendation_view(
    actor: Actor, found: cat.Recommendation, now: dt.datetime
) -> RecommendationView:
    held = {
        a.agency: a for a in Assessment.objects.visible_to(actor).filter(recommendation=found.id)
    }
    versions: dict[int, list[AssessmentVersion]] = {}
    for v in AssessmentVersion.objects.filter(assessment__in=list(held.values())):
        versions.setdefault(v.assessment_id, []).append(v)
    views = []
    for code, label in agencies_for(actor):
        found_here = held.get(code)
        view = AssessmentView(
            code, label, found_here, versions.get(found_here.pk, []) if found_here else []
        )
        if code == actor.agency:
            state = found_here.status if found_here else review.DRAFT
            view.moves = [
                t
                for t in review.ASSESSMENT.actions(state, actor.roles)
                if found_here is not None or t.action != "revise"
            ]
        views.append(view)
    actions = ReviewAction.objects.visible_to(actor).filter(recommendation=found.id)
    return RecommendationView(
        found, views, [action_line(a, now) for a in actions.select_related("owner")]
    )


def visible_assessment(actor: Actor, assessment_id: int) -> Assessment | None:
    return Assessment.objects.visible_to(actor).filter(pk=assessment_id).first()


def visible_action(actor: Actor, action_id: int) -> ReviewAction | None:
    return (
        ReviewAction.objects.visible_to(actor).select_related("owner").filter(pk=action_id).first()
    )


VIEWS = {"mine": "Yours", "open": "All open", "overdue": "Overdue", "closed": "Done or cancelled"}


def actions(actor: Actor, view: str, now: dt.datetime) -> list[ActionLine]:
    """Actions soonest due first: the actor's own (open, then the last 30 closed), every open
    one, the overdue ones, or the last 200 closed."""
    today = now.astimezone(LONDON).date()
    qs = ReviewAction.objects.visible_to(actor).select_related("owner")
    active = {"status__in": review.ACTIVE}
    if view == "mine":
        mine = qs.filter(owner__username=actor.username)
        rows = list(mine.filter(**active).order_by("due_on", "pk")) + list(
            mine.exclude(**active).order_by("-closed_at")[:30]
        )
    elif view == "overdue":
        rows = list(qs.filter(due_on__lt=today, **active).order_by("due_on", "pk"))
    elif view == "closed":
        rows = list(qs.exclude(**active).order_by("-closed_at")[:200])
    else:
        rows = list(qs.filter(**active).order_by("due_on", "pk")[:500])
    return [action_line(a, now) for a in rows]


def counts(actor: Actor, today: dt.date) -> dict[str, int]:
    """Numbers for "Your work": the actor's open actions and how many are overdue, and the
    assessments waiting on them (to submit again, or to review)."""
    mine = ReviewAction.objects.visible_to(actor).filter(
        owner__username=actor.username, status__in=review.ACTIVE
    )
    return {
        "actions": mine.count(),
        "overdue": mine.filter(due_on__lt=today).count(),
        "waiting": _waiting(actor).count(),
    }


def _waiting(actor: Actor) -> Any:
    """Assessments waiting on `actor`: submitted ones for a reviewer; their agency's challenged
    ones for an agency lead; none for anyone else."""
    found = Assessment.objects.visible_to(actor)
    if actor.roles & review.REVIEWERS:
        return found.filter(status=review.SUBMITTED)
    if actor.roles & review.ASSESSORS:
        return found.filter(agency=actor.agency, status=review.CHALLENGED)
    return found.none()


def owners() -> list[User]:
    """Who may own an action: active agency leads and strategic leads."""
    held = {r.value for r in review.ACTION_KEEPERS}
    users = User.objects.filter(is_active=True).order_by("username")
    return [u for u in users if held & set(u.roles or [])]


def owner(username: str, agency: str) -> User | None:
    """The user `username` if they may own an action of `agency`: the strategic lead, or an
    agency lead of that agency."""
    found = User.objects.filter(username=username, is_active=True).first()
    roles = set(found.roles or []) if found else set()
    if found is None:
        return None
    if roles & {r.value for r in review.REVIEWERS}:
        return found
    if roles & {r.value for r in review.ASSESSORS} and found.agency == agency:
        return found
    return None


def overdue_actions(today: dt.date) -> list[ReviewAction]:
    return list(
        ReviewAction.objects.filter(status__in=review.ACTIVE, due_on__lt=today).select_related(
            "owner"
        )
    )


def day(on: dt.date) -> str:
    return f"{on:%A} {on.day} {on:%B %Y}"

"""An agency's self-assessment against a recommendation: its agency lead saves a draft or
submits it (a RAG rating, a narrative, evidence), and revises it after a challenge or for a
new year; the strategic lead challenges it (with the reasons) or signs it off. Every step is a
new version, kept for ever (`safeguard.casework.review.ASSESSMENT`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Denied, Invalid, RuleBroken
from safeguard.access.events import AssessmentReviewed, AssessmentSaved
from safeguard.access.policy import Action, Decision
from safeguard.casework import review
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.governance import queries
from safeguard.hub.governance.models import Assessment, AssessmentVersion
from safeguard.hub.governance.services.steps import changing, recording
from safeguard.workflow.machine import Transition


@dataclass(frozen=True)
class Statement:
    """What an agency says against a recommendation: its rating, narrative and evidence."""

    rag: str
    narrative: str
    evidence: tuple[str, ...] = ()


def _move(caller: Caller, state: str, move: str, reason: str = "") -> Transition:
    taken = review.ASSESSMENT.step(state, move, caller.actor.roles, reason)
    if taken.transition is None:
        raise RuleBroken(taken.decision.reason) if taken.rule else Denied(taken.decision)
    return taken.transition


def _keep(found: Assessment, move: str, by: str, reason: str = "") -> AssessmentVersion:
    found.version += 1
    found.changed_by, found.changed_at = by, timezone.now()
    found.save()
    return AssessmentVersion.objects.create(
        assessment=found,
        number=found.version,
        step=move,
        state=found.status,
        rag=found.rag,
        narrative=found.narrative,
        evidence=found.evidence,
        reason=reason.strip(),
        by=by,
        at=found.changed_at,
    )


def assess(
    caller: Caller, recommendation: str, said: Statement, move: str = "save", reason: str = ""
) -> Assessment:
    """Save (`save`) or submit (`submit`) the caller's own agency's assessment of a
    recommendation, or reopen it after sign-off (`revise`, with the reason: `said` is then
    ignored, the signed-off text is the draft's start); a new version each time."""
    where = f"{recommendation} ({caller.actor.agency or 'no agency'})"
    with recording(caller, Action.ASSESS, f"{move} a self-assessment", where) as allowed:
        if queries.catalogue().get(recommendation) is None:
            raise RuleBroken(f"no recommendation {recommendation} in the catalogue")
        if caller.actor.agency not in queries.catalogue().agencies:
            raise RuleBroken(f"your agency ({caller.actor.agency}) does not assess in this review")
        found: Assessment
        found, _ = Assessment.objects.select_for_update().get_or_create(
            recommendation=recommendation,
            agency=caller.actor.agency,
            defaults={"changed_by": caller.actor.username, "changed_at": timezone.now()},
        )
        t = _move(caller, found.status, move, reason)
        if move != "revise":
            wrong = review.assessment_problems(said.rag, said.narrative, list(said.evidence), move)
            if wrong:
                raise Invalid(wrong)
            found.rag, found.narrative = said.rag, said.narrative.strip()
            found.evidence = list(said.evidence)
        found.status = t.target
        kept = _keep(found, move, caller.actor.username, reason)
        event = AssessmentSaved(recommendation, found.agency, kept.number, move, found.rag)
        audit.write(caller.actor, event, allowed, caller.channel)
        if move == "submit":
            _tell_reviewers(found)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def decide(caller: Caller, assessment_id: int, move: str, reason: str) -> Assessment:
    """Challenge an assessment submitted for review (`challenge`, with the reasons) or sign it
    off (`sign_off`, with an optional note); its agency's leads are told. No one reviews an
    assessment they submitted themselves (someone holding both roles)."""
    with changing(
        caller, Assessment, assessment_id, f"{move} a self-assessment", Action.REVIEW_ASSESSMENT
    ) as (found, allowed):
        t = _move(caller, found.status, move, reason)
        if found.changed_by == caller.actor.username:
            raise Denied(Decision(False, "you submitted this assessment: someone else reviews it"))
        if len(reason) > review.MAX_TEXT:
            raise Invalid({"reason": "Keep it under 20,000 characters"})
        found.status = t.target
        kept = _keep(found, move, caller.actor.username, reason)
        event = AssessmentReviewed(
            found.recommendation, found.agency, kept.number, move, reason.strip()
        )
        audit.write(caller.actor, event, allowed, caller.channel)
        _tell_agency(found, move)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def _link(found: Assessment) -> str:
    return f"/governance/recommendations/{found.recommendation}/"


def _tell_reviewers(found: Assessment) -> None:
    from safeguard.hub.accounts.models import User

    reviewers = [
        u
        for u in User.objects.filter(is_active=True)
        if {r.value for r in review.REVIEWERS} & set(u.roles or [])
    ]
    alerts.tell(
        reviewers,
        "review_submitted",
        f"{found.pk}:{found.version}",
        f"To review: {queries.agency_label(found.agency)} on {found.recommendation}",
        _link(found),
    )


def _tell_agency(found: Assessment, move: str) -> None:
    from safeguard.hub.accounts.models import User

    leads = [
        u
        for u in User.objects.filter(is_active=True, agency=found.agency)
        if {r.value for r in review.ASSESSORS} & set(u.roles or [])
    ]
    said = "challenged" if move == "challenge" else "signed off"
    alerts.tell(
        leads,
        "review_decided",
        f"{found.pk}:{found.version}",
        f"Your assessment of {found.recommendation} was {said}",
        _link(found),
    )

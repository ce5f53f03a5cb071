"""The review against the inquiries' recommendations: each agency's self-assessment of each
recommendation (where it stands now) with every version ever saved (append-only: a version is
never changed or deleted), the actions of the partnership's action plan, and the Ofsted
register of councils' judgements.

The scoping query: `<Model>.objects.visible_to(actor)`. The strategic lead and the auditor
read every agency's assessments and actions; an agency lead, their own agency's (and the
actions they own). The Ofsted register is public information: every reader of the review.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.access.policy import Action, Actor, act
from safeguard.casework import review
from safeguard.governance import ofsted


class ReviewQuerySet(models.QuerySet[Any]):
    """Assessments and actions: the partnership's readers see all; an agency lead, their
    agency's (and, for actions, those they own)."""

    def visible_to(self, actor: Actor) -> ReviewQuerySet:
        if not act(actor, Action.VIEW_REVIEW):
            return self.none()
        if actor.roles & review.PARTNERSHIP_READERS:
            return self
        mine = Q(agency=actor.agency)
        if self.model is ReviewAction:
            mine |= Q(owner__username=actor.username)
        return self.filter(mine)


class Assessment(models.Model):
    """Where one agency stands against one recommendation: the latest version's rating,
    narrative and evidence, and the state of its review (`safeguard.casework.review`)."""

    recommendation = models.CharField(max_length=63)
    agency = models.CharField(max_length=63)
    status = models.CharField(max_length=12, default=review.DRAFT)
    rag = models.CharField(max_length=5, blank=True)
    narrative = models.TextField(blank=True)
    evidence = models.JSONField(default=list)
    version = models.PositiveIntegerField(default=0)
    changed_by = models.CharField(max_length=150)
    changed_at = models.DateTimeField()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ("recommendation", "agency")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "agency"], name="gov_assessment_once")
        ]


class AssessmentVersion(models.Model):
    """One saved version of an assessment, kept for ever: what was said, the step taken
    (save, submit, challenge, sign off, revise), the state it left, why, who and when."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    step = models.CharField(max_length=12)
    state = models.CharField(max_length=12)
    rag = models.CharField(max_length=5, blank=True)
    narrative = models.TextField(blank=True)
    evidence = models.JSONField(default=list)
    reason = models.TextField(blank=True, help_text="A challenge's reasons, a sign-off's note")
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ("assessment", "-number")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="gov_version_once")
        ]


class ReviewAction(models.Model):
    """An action of the partnership's action plan on a recommendation: what, its owner, their
    agency, the due date; open until done (with the evidence) or cancelled (with why)."""

    recommendation = models.CharField(max_length=63)
    what = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(max_length=63)
    due_on = models.DateField()
    status = models.CharField(max_length=12, default=review.OPEN)
    set_by = models.CharField(max_length=150)
    set_at = models.DateTimeField()
    closed_by = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(null=True)
    outcome = models.TextField(blank=True, help_text="The evidence it is done, or why cancelled")
    history = models.JSONField(default=list, help_text="Each step: step, by, at, reason")

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ("due_on", "pk")
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="gov_action_owner"),
            models.Index(fields=["status", "due_on"], name="gov_action_due"),
        ]


class OfstedQuerySet(models.QuerySet[Any]):
    def visible_to(self, actor: Actor) -> OfstedQuerySet:
        return self if act(actor, Action.VIEW_REVIEW) else self.none()


class OfstedJudgement(models.Model):
    """One Ofsted judgement of a council's children's services: the council, the date (the
    inspection's end), the judgement on the scale of that date, the framework and the source."""

    JUDGEMENTS = list(ofsted.LABELS.items())

    council = models.CharField(max_length=120)
    judged_on = models.DateField()
    judgement = models.CharField(max_length=24, choices=JUDGEMENTS)
    framework = models.CharField(max_length=60, blank=True)
    published_on = models.DateField(null=True)
    source = models.CharField(max_length=300)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    objects = OfstedQuerySet.as_manager()

    class Meta:
        ordering = ("council", "-judged_on")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "judged_on", "framework"], name="gov_ofsted_once"
            )
        ]


class MeetingPack(models.Model):
    """A meeting pack made for the Multi-Agency Strategic Group: the PDF as it was made (kept
    whole, never changed), the meeting it is for, who made it and when, and its SHA-256 (in
    the audit trail too). It names no child: counts only, small ones suppressed."""

    meeting_on = models.DateField()
    next_meeting_on = models.DateField()
    figures_to = models.DateField(help_text="The last day the pack's figures count")
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pdf = models.BinaryField()

    class Meta:
        ordering = ("-made_at", "-pk")
        indexes = [models.Index(fields=["meeting_on"], name="gov_pack_meeting")]

"""Intelligence in the hub: each analysis run's screenings, network findings and missing-episode
alerts, and the decisions people make about them.

A screening proposes; a person confirms (`ScreeningDecision`, kept apart from the proposal).
Practitioners also record indicators they see themselves (`RecordedIndicator`), which later
screenings count beside the derived ones. A
finding keeps its stable id across runs and its disposition with it: a finding someone has
explained (for example school transport) stays explained when later runs find it again, and
every change of disposition is kept (`FindingDisposition`).
"""

from __future__ import annotations

from typing import Self, TypeVar

from django.db import models

from safeguard.access.policy import Actor, intelligence
from safeguard.hub.people.models import Person

M = TypeVar("M", bound=models.Model)


class AboutPeopleQuerySet(models.QuerySet[M]):
    """Rows about a person: seen by those with need to know of the person."""

    def visible_to(self, actor: Actor, glass: frozenset[int] = frozenset()) -> Self:
        return self.filter(person__in=Person.objects.visible_to(actor, glass))


class FindingQuerySet(models.QuerySet["Finding"]):
    def visible_to(self, actor: Actor) -> FindingQuerySet:
        """Findings are built from intelligence: for those who read it only."""
        return self if intelligence(actor) else self.none()


class AnalysisRun(models.Model):
    """One run of `safeguard analyse`."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField()
    catalogue = models.CharField(max_length=200)
    summary = models.JSONField()


class Screening(models.Model):
    """A child's screening on a run's assessment date: the proposal and its reasons."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.PROTECT, related_name="screenings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    current = models.BooleanField(default=True)
    assessed_on = models.DateField()
    age = models.PositiveSmallIntegerField()
    score = models.PositiveIntegerField()
    band_by_score = models.CharField(max_length=63)
    band = models.CharField(max_length=63)
    at_risk = models.BooleanField()
    referral = models.BooleanField()
    disclosed = models.BooleanField()
    reasons = models.JSONField()
    catalogue = models.CharField(max_length=200)
    latest_evidence = models.DateTimeField(null=True)
    """When the newest evidence it counts was seen (the screening queue's order)."""

    objects = AboutPeopleQuerySet["Screening"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["person", "current"]),
            models.Index(fields=["current", "at_risk", "-latest_evidence"]),
        ]


class RecordedIndicator(models.Model):
    """An indicator a practitioner records for a child (a catalogue code), with when it was
    seen and what they saw: evidence beside what the records show, counted by every later
    screening."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(max_length=63)
    seen_on = models.DateField()
    note = models.TextField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)


class ScreeningDecision(models.Model):
    """A practitioner's level for a child, with their reasons: their judgement, kept apart from
    what the screening proposed."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="decisions")
    band = models.CharField(max_length=63)
    reason = models.TextField()
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now_add=True)


class Finding(models.Model):
    """A network finding, by its stable id, with its members and evidence edges as last found."""

    class Status(models.TextChoices):
        OPEN = "open"
        UNDER_INVESTIGATION = "under_investigation"
        EXPLAINED = "explained"
        CLOSED = "closed"

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16)
    anchor = models.CharField(max_length=200)
    summary = models.TextField()
    at_risk_children = models.PositiveIntegerField()
    strength = models.FloatField()
    first_seen = models.DateTimeField(null=True)
    last_seen = models.DateTimeField(null=True)
    members = models.JSONField()
    evidence = models.JSONField()
    first_run = models.ForeignKey(AnalysisRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(AnalysisRun, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    """Found by the latest run."""
    new_members = models.JSONField(default=list)
    """Members the latest run found that the run before did not: newly linked to a known
    network."""
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.OPEN)

    objects = FindingQuerySet.as_manager()


class FindingDisposition(models.Model):
    """A change of a finding's disposition: to what, why, by whom, when."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="dispositions")
    status = models.CharField(max_length=32, choices=Finding.Status.choices)
    reason = models.TextField()
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now_add=True)


class MissingAlert(models.Model):
    """A missing-episode trigger for a child: repeat, long, or a return home interview overdue."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.PROTECT, related_name="missing_alerts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="missing_alerts")
    current = models.BooleanField(default=True)
    kind = models.CharField(max_length=32)
    day = models.DateTimeField()
    detail = models.TextField()
    records = models.JSONField()

    objects = AboutPeopleQuerySet["MissingAlert"].as_manager()

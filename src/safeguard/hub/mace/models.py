"""The MACE meeting (multi-agency child exploitation): each meeting for a date and council
areas, with its chair and attending agencies; its agenda (children at risk, referrals from the
MASH, network findings, places of concern, and items added by hand), each item citing why it is
on the agenda; the discussion and decision on each; actions with a named owner, an agency and
a due date; and disruption (notices, orders, Operation Makesafe visits, licensing reviews).

The scoping queries: `Meeting.objects.visible_to(actor)` and the same on items, actions and
disruptions (everyone who attends MACE meetings; `safeguard.casework.mace.ATTENDEES`). What
an item says about a network finding is read only by those who read intelligence: the pages
ask `safeguard.access.policy.intelligence` before they show it (`Item.intelligence`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.access.policy import Action, Actor, act
from safeguard.casework import mace
from safeguard.hub.mash.models import AREAS
from safeguard.hub.people.models import Person


class MaceQuerySet(models.QuerySet[Any]):
    """Meetings and what hangs off them: for those who attend MACE meetings."""

    def visible_to(self, actor: Actor) -> MaceQuerySet:
        return self if act(actor, Action.VIEW_MACE) else self.none()


class Meeting(models.Model):
    held_on = models.DateField()
    areas = models.JSONField(help_text="Council area codes the meeting covers")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendees = models.JSONField(help_text="Agency codes (the MACE configuration's agencies)")
    venue = models.CharField(max_length=200, blank=True)
    scheduled_by = models.CharField(max_length=150)
    scheduled_at = models.DateTimeField()
    agenda_built_at = models.DateTimeField(null=True)

    objects = MaceQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["held_on"], name="mace_meeting_date")]

    def __str__(self) -> str:
        return f"MACE meeting {self.pk} on {self.held_on}"


class Item(models.Model):
    """An agenda item: a child (`P:<person>`, or `C:<contact>` for a referred child the hub
    cannot name yet), a network finding (`F:<key>`) or a place (`L:<place>`), with why it is
    on the agenda, and the meeting's discussion and decision."""

    KINDS = [(k, v) for k, v in mace.KIND_LABELS.items()]

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=12, choices=KINDS)
    subject = models.CharField(max_length=220)
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300, help_text="The child's name, the finding, the place")
    finding_key = models.CharField(max_length=64, blank=True)
    place = models.CharField(max_length=300, blank=True)
    area = models.CharField(max_length=32, blank=True, choices=AREAS)
    sources = models.JSONField(default=list, help_text="screening, referral, finding, hand")
    reasons = models.JSONField(default=list, help_text="Why it is on the agenda, each cited")
    intelligence = models.BooleanField(
        default=False, help_text="Drawn from network findings: for intelligence readers only"
    )
    rank = models.PositiveIntegerField(default=0)
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField()
    summary = models.TextField(blank=True, help_text="What the meeting discussed")
    decision = models.TextField(blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True)

    objects = MaceQuerySet.as_manager()

    class Meta:
        ordering = ("rank", "pk")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "subject"], name="mace_item_once"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | ~Q(decision=""), name="mace_decided_says"
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "decided_at"], name="mace_item_discussed"),
            models.Index(fields=["person", "decided_at"], name="mace_item_person"),
        ]


class MeetingAction(models.Model):
    """An action the meeting set on an item: what, who owns it, their agency, when it is due;
    open until done or cancelled, with the reason (`safeguard.casework.mace.MACHINE`)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(max_length=63)
    due_on = models.DateField()
    status = models.CharField(max_length=12, default=mace.OPEN)
    set_by = models.CharField(max_length=150)
    set_at = models.DateTimeField()
    closed_by = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(null=True)
    outcome = models.TextField(blank=True, help_text="What was done, or why it was cancelled")

    objects = MaceQuerySet.as_manager()

    class Meta:
        ordering = ("due_on", "pk")
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="mace_action_owner"),
            models.Index(fields=["status", "due_on"], name="mace_action_due"),
        ]


class Disruption(models.Model):
    """A disruption: its type, when, against whom (a person, or a description) or where, by
    which agency, in which council area, and the meeting and item it came from."""

    kind = models.CharField(max_length=32)
    on = models.DateField()
    against_person = models.ForeignKey(
        Person, null=True, on_delete=models.PROTECT, related_name="+"
    )
    against = models.CharField(max_length=300, blank=True)
    place = models.CharField(max_length=300, blank=True)
    agency = models.CharField(max_length=63)
    area = models.CharField(max_length=32, blank=True, choices=AREAS)
    meeting = models.ForeignKey(
        Meeting, null=True, on_delete=models.PROTECT, related_name="disruptions"
    )
    item = models.ForeignKey(Item, null=True, on_delete=models.PROTECT, related_name="disruptions")
    details = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    objects = MaceQuerySet.as_manager()

    class Meta:
        ordering = ("-on", "-pk")
        indexes = [models.Index(fields=["on", "kind"], name="mace_disruption_month")]

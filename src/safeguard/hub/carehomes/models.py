"""Children's homes at work: a police SPOC's visits to and calls with their homes, and the
notifications homes make under regulation 40. The homes themselves are reference data
(`safeguard.hub.homes`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from safeguard.access.policy import Action, Actor, act
from safeguard.hub.homes.models import ChildrensHome


class WorkQuerySet(models.QuerySet[Any]):
    """Visits and notifications: for those who work with homes (the register's readers), a
    home's SPOC, and the home's own staff."""

    def visible_to(self, actor: Actor) -> WorkQuerySet:
        if act(actor, Action.VIEW_HOMES):
            return self
        mine = Q(home__police_spoc__username=actor.username) | Q(
            home__staff__username=actor.username
        )
        if act(actor, Action.SPOC_WORK) or act(actor, Action.NOTIFY_REG40):
            return self.filter(mine)
        return self.none()


class Visit(models.Model):
    """A police SPOC's visit to, or call with, a home: the relationship the SPOC builds."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        CALL = "call", "Call or message"
        MEETING = "meeting", "Meeting"

    home = models.ForeignKey(ChildrensHome, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    on = models.DateField()
    notes = models.TextField()
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ("-on", "-pk")


class Notification(models.Model):
    """A notification a home made under regulation 40 of the Children's Homes Regulations 2015
    (Ofsted, the placing authority and the police told without delay of, among other events,
    suspected child sexual exploitation and serious police incidents): what, about whom, when,
    and to whom."""

    class Event(models.TextChoices):
        CSE = "suspected_cse", "A child is suspected of being sexually exploited"
        POLICE = "police_incident", "A serious incident needing police involvement"
        ABSCONDED = "absconded", "A child has absconded (under regulation 40 practice)"
        OTHER = "other", "Another serious event"

    home = models.ForeignKey(ChildrensHome, on_delete=models.PROTECT, related_name="notices")
    event = models.CharField(max_length=20, choices=Event.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child_name = models.CharField(max_length=200, blank=True)
    happened_at = models.DateTimeField()
    told = models.JSONField(help_text="Who was told: Ofsted, the placing authority, the police")
    told_at = models.DateTimeField()
    details = models.TextField()
    by = models.CharField(max_length=150)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ("-told_at", "-pk")

"""Alerts: a named person is told, the moment something needs them (a Red contact, a clock run
out, a check asked of their agency), on their page and by email. An alert names a reference
and a page, never a child: emails leave the hub."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.access.policy import Action, Actor, act


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, actor: Actor) -> AlertQuerySet:
        """Each person sees their own alerts."""
        if not act(actor, Action.SIGNED_IN):
            return self.none()
        return self.filter(owner__username=actor.username)


class Alert(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=200, help_text="What it is about: raised once per owner")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True)
    read_at = models.DateTimeField(null=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "key"], name="one_alert_per_owner")
        ]
        indexes = [models.Index(fields=["owner", "read_at"], name="alert_unread")]

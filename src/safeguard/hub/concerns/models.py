"""Concerns from the public, reported at /report/ without an account. Each becomes a contact
in the MASH queue (source 9, anonymous, or 1A to 1D when the person says who they are).

What identifies the person who reported it is kept apart (`Reporter`), read only by the MASH,
and every reading is audited. Nothing about their device is kept: no IP address, no browser
details. They keep a code (only its SHA-256 is stored) to add information later and to see
whether the concern was followed up."""

from __future__ import annotations

from django.db import models

from safeguard.access.policy import Action, Actor, act
from safeguard.hub.mash.models import Contact


class Concern(models.Model):
    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="concern")
    code_digest = models.CharField(max_length=64, unique=True)
    form_digest = models.CharField(
        max_length=64, unique=True, help_text="The form's one-time token: sent twice, one concern"
    )
    created_at = models.DateTimeField()


class ReporterQuerySet(models.QuerySet["Reporter"]):
    def visible_to(self, actor: Actor) -> ReporterQuerySet:
        """Who reported a concern: the MASH only."""
        return self if act(actor, Action.VIEW_REPORTER) else self.none()


class Reporter(models.Model):
    """Who reported a concern, when they chose to say (kept apart from the concern)."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="reporter")
    name = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=4, help_text="Census source: 1A, 1B, 1C or 1D")
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=254, blank=True)
    may_contact = models.BooleanField(default=False)
    safe_contact = models.CharField(
        max_length=300, blank=True, help_text="When and how it is safe to get in touch"
    )

    objects = ReporterQuerySet.as_manager()

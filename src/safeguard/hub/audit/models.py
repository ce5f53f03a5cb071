"""The audit trail: one row per view of a person, search, export, link decision and access
decision, written in the same transaction as the thing it records. Rows are only added."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW_PERSON = "view_person"
        SEARCH = "search"
        EXPORT = "export"
        LINK_DECISION = "link_decision"
        BREAK_GLASS = "break_glass"
        DENIED = "denied"
        SIGN_IN = "sign_in"
        SIGN_OUT = "sign_out"
        ADMINISTER = "administer"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    agency = models.CharField(max_length=63, blank=True)
    roles = models.JSONField(default=list)
    action = models.CharField(max_length=32, choices=Action.choices)
    person_id = models.BigIntegerField(null=True, db_index=True)
    target = models.CharField(max_length=300, blank=True, help_text="route, query or record")
    allowed = models.BooleanField()
    reason = models.TextField(help_text="why the policy allowed or refused it")
    why = models.TextField(blank=True, help_text="the user's own stated reason (break-glass)")
    lawful_basis = models.TextField(blank=True)
    flagged = models.BooleanField(default=False, help_text="for review (break-glass)")
    channel = models.CharField(max_length=16, default="web")

    class Meta:
        ordering = ["-at", "-id"]

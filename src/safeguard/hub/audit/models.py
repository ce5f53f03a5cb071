"""The audit trail: one row per typed event (`safeguard.access.events`) - every view of a
person, search, decision, refusal, sign-in and change - written in the same transaction as the
thing it records. Rows are only added, and each is chained to the one before it by a hash
(`seq`, `prev_hash`, `hash`; see `chain`), once, by the seal; database triggers refuse any
other change and every delete. `AuditHead` is the chain's last link (and the seal's lock)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safeguard.access.events import EVENTS
from safeguard.access.policy import Action, Actor, act


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, actor: Actor) -> AuditQuerySet:
        """The events `actor` may read: the whole trail for auditors, nothing for anyone else."""
        return self if act(actor, Action.VIEW_AUDIT) else self.none()


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    agency = models.CharField(max_length=63, blank=True)
    roles = models.JSONField(default=list)
    action = models.CharField(max_length=32, help_text="the event's name (safeguard.access.events)")
    person_id = models.BigIntegerField(null=True, db_index=True)
    target = models.CharField(max_length=300, blank=True, help_text="route, query or record")
    allowed = models.BooleanField()
    reason = models.TextField(help_text="why the policy allowed or refused it")
    why = models.TextField(blank=True, help_text="the user's own stated reason")
    lawful_basis = models.TextField(blank=True)
    flagged = models.BooleanField(default=False, help_text="for an auditor's review")
    channel = models.CharField(max_length=16, default="web")
    seq = models.BigIntegerField(
        null=True, unique=True, help_text="place in the chain (empty until sealed)"
    )
    prev_hash = models.CharField(max_length=64, blank=True, help_text="the hash before it")
    hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of it and prev_hash")

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["id"], condition=Q(seq__isnull=True), name="audit_unsealed")
        ]

    @property
    def label(self) -> str:
        """The event's plain-English name."""
        kind = EVENTS.get(self.action)
        return kind.label if kind else self.action


class AuditHead(models.Model):
    """The chain's last link: one row, locked by each seal, so that two writers never give
    two events the same place (and deleting the newest events shows against it)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

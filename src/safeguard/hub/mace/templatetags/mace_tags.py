"""What "Your work" shows of MACE meetings: the user's own open actions and how many are
overdue (numbers only: no child is named there)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from safeguard.access.policy import Actor
from safeguard.hub.mace import queries

register = template.Library()


@register.simple_tag
def mace_counts(actor: Actor) -> dict[str, int]:
    return queries.counts(actor, timezone.localdate())

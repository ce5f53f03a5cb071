"""What "Your work" shows of the review: the user's own open actions, how many are overdue,
and the assessments waiting on them; and the colour of a RAG rating."""

from __future__ import annotations

from django import template
from django.utils import timezone

from safeguard.access.policy import Actor
from safeguard.hub.governance import queries

register = template.Library()


@register.simple_tag
def review_counts(actor: Actor) -> dict[str, int]:
    return queries.counts(actor, timezone.localdate())


@register.filter
def rag_tag(rag: str) -> str:
    """The GOV.UK tag colour for a RAG rating."""
    return {"red": "govuk-tag--red", "amber": "govuk-tag--yellow", "green": "govuk-tag--green"}.get(
        rag or "", "govuk-tag--grey"
    )


@register.filter
def judgement_tag(judgement: str) -> str:
    """The GOV.UK tag colour for an Ofsted judgement."""
    return {
        "outstanding": "govuk-tag--green",
        "good": "govuk-tag--turquoise",
        "adequate": "govuk-tag--yellow",
        "requires_improvement": "govuk-tag--yellow",
        "inadequate": "govuk-tag--red",
    }.get(judgement, "govuk-tag--grey")

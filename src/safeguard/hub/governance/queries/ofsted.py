"""Reading the Ofsted register: each council with its judgements over time (newest first)."""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.access.policy import Actor
from safeguard.hub.governance.models import OfstedJudgement


@dataclass(frozen=True)
class Council:
    name: str
    judgements: list[OfstedJudgement]

    @property
    def latest(self) -> OfstedJudgement:
        return self.judgements[0]


def register(actor: Actor) -> list[Council]:
    """Every council in the register, by name, each with its judgements newest first."""
    found: dict[str, list[OfstedJudgement]] = {}
    for j in OfstedJudgement.objects.visible_to(actor).order_by("council", "-judged_on", "-pk"):
        found.setdefault(j.council, []).append(j)
    return [Council(name, rows) for name, rows in found.items()]

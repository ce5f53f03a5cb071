"""Who is asking, and through which channel: what every hub service is given. A refusal is
raised as `Refusal`, after the service has audited it. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass, field

from safeguard.access.events import Channel
from safeguard.access.roles import Actor, Decision


@dataclass(frozen=True)
class Caller:
    actor: Actor
    channel: Channel
    glass: frozenset[int] = field(default_factory=frozenset)
    """People this caller holds a live break-glass grant for (pages only)."""

    def glassed(self, person: int) -> bool:
        return person in self.glass


class Refusal(Exception):
    """The policy, or a rule of the workflow, refused what was asked; already audited.

    `rule`: refused by a rule of the work (a contradicting decision, a missing reason), not by
    who is asking; pages answer 400 for those and 403 for the policy's refusals."""

    def __init__(
        self, decision: Decision, rule: bool = False, problems: dict[str, str] | None = None
    ) -> None:
        super().__init__(decision.reason)
        self.decision = decision
        self.rule = rule
        self.problems: dict[str, str] = problems or {}
        """What was wrong, field by field, when what was sent was not valid."""

    @property
    def reason(self) -> str:
        return self.decision.reason

    @property
    def status(self) -> int:
        return 400 if self.rule else 403


class RuleBroken(ValueError):
    """What was asked breaks a rule of the work (a missing reason, a date in the future, a
    record that does not exist); services audit it as a refusal."""


class Invalid(RuleBroken):
    """What was sent is not valid, field by field (`problems`: field -> what is wrong)."""

    def __init__(self, problems: dict[str, str]) -> None:
        first = next(iter(problems.items()), ("", "not valid"))
        super().__init__(f"{first[0]}: {first[1]}" if first[0] else first[1])
        self.problems = problems


class Denied(Exception):
    """The policy refused a step inside a service's transaction (a role that may not take
    it); services audit it as a refusal."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.reason)
        self.decision = decision

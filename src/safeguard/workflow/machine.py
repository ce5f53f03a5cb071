"""A small state machine whose transitions are a table: from state, action, to state, the roles
that may take it, whether a reason is required, and the clocks it starts and stops.

The table is the one place "who may do this" is written for a workflow: the access policy
reads `Machine.roles()` for its rules, services ask `Machine.step()` before changing state,
and pages offer only `Machine.actions()`. Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.access.roles import Decision, Role, deny, names


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[Role]
    label: str
    reason_required: bool = True
    starts: tuple[str, ...] = ()
    """Clocks (timescales catalogue names) that start when the transition is taken."""
    stops: tuple[str, ...] = ()
    """Clocks that stop: the thing they time is done."""


@dataclass(frozen=True)
class Step:
    """The outcome of asking to take an action: the policy-style decision, and the transition
    when allowed."""

    decision: Decision
    transition: Transition | None = None
    rule: bool = False
    """Refused by the work's rules (no such step from here, no reason given), not by who is
    asking: pages answer 400 for these and 403 for the rest."""

    def __bool__(self) -> bool:
        return self.decision.allowed


class MachineError(ValueError):
    """A transition table that does not hang together."""


@dataclass(frozen=True)
class Machine:
    name: str
    states: tuple[str, ...]
    initial: str
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        known = set(self.states)
        if self.initial not in known:
            raise MachineError(f"{self.name}: initial state {self.initial!r} is not a state")
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for state in (t.source, t.target):
                if state not in known:
                    raise MachineError(f"{self.name}: {t.action} names unknown state {state!r}")
            if (t.source, t.action) in seen:
                raise MachineError(f"{self.name}: {t.action} from {t.source} is listed twice")
            if not t.roles:
                raise MachineError(f"{self.name}: nobody may {t.action} from {t.source}")
            seen.add((t.source, t.action))

    def roles(self, action: str | None = None) -> frozenset[Role]:
        """Every role that may take `action` (any action when None) from some state."""
        found = [t.roles for t in self.transitions if action in (None, t.action)]
        return frozenset().union(*found)

    def actions(self, state: str, roles: Iterable[Role]) -> list[Transition]:
        """The transitions someone holding `roles` may take from `state`."""
        held = set(roles)
        return [t for t in self.transitions if t.source == state and t.roles & held]

    def towards(self, state: str, target: str) -> Transition | None:
        """The transition from `state` that ends in `target`, if there is one."""
        return next((t for t in self.transitions if (t.source, t.target) == (state, target)), None)

    def step(self, state: str, action: str, roles: Iterable[Role], reason: str = "") -> Step:
        """May someone holding `roles` take `action` from `state`, giving `reason`?"""
        t = next((t for t in self.transitions if (t.source, t.action) == (state, action)), None)
        if t is None:
            offered = [x.action for x in self.transitions if x.source == state]
            why = f"{self.name}: cannot {action} from {state} ({_or(offered)})"
            return Step(deny(why), rule=True)
        held = frozenset(roles) & t.roles
        if not held:
            return Step(deny(f"{self.name}: {action} is for {names(t.roles)}"))
        if t.reason_required and not reason.strip():
            return Step(deny(f"{self.name}: give a reason to {action}: it is kept"), rule=True)
        return Step(Decision(True, f"role {names(held)} may {action} a {self.name}"), t)


def _or(actions: list[str]) -> str:
    return "may: " + ", ".join(actions) if actions else "no action leads on from there"

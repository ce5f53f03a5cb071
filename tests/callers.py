"""Callers for service tests: someone with these roles, in this agency, on a channel."""

from __future__ import annotations

from safeguard.access.caller import Caller
from safeguard.access.events import Channel
from safeguard.access.roles import Actor, Role


def caller(
    *roles: Role,
    agency: str = "cheshire-police",
    username: str = "tester",
    channel: Channel = Channel.CLI,
) -> Caller:
    return Caller(Actor(username, agency, frozenset(roles), True), channel)

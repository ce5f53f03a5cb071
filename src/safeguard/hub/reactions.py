"""What happens after a stage, in one registry: "after a delivery loads" (the children's homes
follow the homes' deliveries), "after people are linked" (the search index follows the
people), "after an analysis is recorded", and "when the clocks are checked" (every minute,
each app's watch alerts the owners of what has run out of time). Each app registers its own
reactions from its services module (`@on(Stage...)`), in the spirit of Datasette's built-in
plugins, so the web, the API and the command line run the same steps whichever starts the
stage.

A reaction runs after its stage has committed, in its own transaction, and must be idempotent:
if the process dies between the two, running the stage again (which changes nothing the second
time) catches the reaction up.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from safeguard.access.caller import Caller


class Stage(StrEnum):
    DELIVERY_LOADED = "delivery loaded"
    PEOPLE_LINKED = "people linked"
    ANALYSIS_RECORDED = "analysis recorded"
    CLOCKS_CHECKED = "clocks checked"  # every minute beside the pages: `safeguard watch`


Reaction = Callable[[Caller], dict[str, Any]]
_REGISTRY: dict[Stage, dict[str, Reaction]] = {stage: {} for stage in Stage}


def on(stage: Stage, name: str) -> Callable[[Reaction], Reaction]:
    """Register a reaction to `stage`, called `name` in what the stage reports."""

    def register(reaction: Reaction) -> Reaction:
        _REGISTRY[stage][name] = reaction
        return reaction

    return register


def after(stage: Stage, caller: Caller) -> dict[str, dict[str, Any]]:
    """Run every reaction to `stage`, in the order registered; what each did, by name."""
    return {name: reaction(caller) for name, reaction in _REGISTRY[stage].items()}


def registered() -> dict[Stage, list[str]]:
    """The reactions to each stage, by name (for the docs and their test)."""
    return {stage: list(found) for stage, found in _REGISTRY.items()}

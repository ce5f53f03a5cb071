"""The MASH's configuration: its vocabulary, read once and checked against the timescales
catalogue; the clocks themselves are the hub's (`safeguard.hub.clocks`)."""

from __future__ import annotations

from functools import lru_cache

from safeguard.casework.vocabulary import Vocabulary
from safeguard.casework.vocabulary import load as load_vocabulary
from safeguard.hub.clocks import clock, due, standing, timescales
from safeguard.settings import get_settings


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The configured MASH vocabulary, its ratings' clocks checked against the timescales."""
    found = load_vocabulary(get_settings().mash_vocabulary)
    found.check_clocks(timescales())
    return found


__all__ = ["clock", "due", "standing", "timescales", "vocabulary"]

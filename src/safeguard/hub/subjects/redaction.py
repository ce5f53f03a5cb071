"""Third parties in a subject-access export: who they are (the other people the person's
records name) and the one scrub that takes them out of what is disclosed. Pure: no Django.

Pragmatic by design: a third party is known by the names, phone numbers, postcodes and
addresses the hub holds for them; each is replaced wherever it appears in text, whole words
only, longest first. Words that are also the person's own names are left (their own name is
theirs to see). What this cannot find (a third party described, never named) is for the data
protection officer's review before disclosure (docs/security.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

REDACTED = "[redacted third party]"
#: Name words shorter than this are not scrubbed on their own (initials, "Jo" in "Jones").
SHORTEST = 3


@dataclass
class ThirdParties:
    """What identifies the people who are not the subject, and the subject's own names."""

    own: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    details: set[str] = field(default_factory=set)  # phones, postcodes, addresses, emails

    def add_own(self, *names: object) -> None:
        for name in names:
            for word in _words(name):
                self.own.add(word.lower())

    def add_person(self, *names: object, details: Iterable[object] = ()) -> None:
        """A third party's names (whole, and each word of them) and other details."""
        for name in names:
            text = " ".join(_words(name))
            if text:
                self.names.add(text)
                self.names.update(w for w in _words(name) if len(w) >= SHORTEST)
        self.details.update(str(d).strip() for d in details if d and str(d).strip())

    def pattern(self) -> re.Pattern[str] | None:
        terms = {n for n in self.names if n.lower() not in self.own} | self.details
        terms = {t for t in terms if len(t) >= SHORTEST}
        if not terms:
            return None
        ordered = sorted(terms, key=len, reverse=True)
        alternatives = "|".join(_loose(t) for t in ordered)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class Scrubber:
    """Replaces every third party's name and details in text, and in any JSON value."""

    def __init__(self, parties: ThirdParties) -> None:
        self._pattern = parties.pattern()

    def text(self, value: str) -> str:
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(REDACTED, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value


def _words(name: object) -> list[str]:
    if isinstance(name, list | tuple):
        return [w for n in name for w in _words(n)]
    return re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", str(name or ""))


def _loose(term: str) -> str:
    """`term` matched with any run of spaces between its words (and a postcode's space
    optional)."""
    parts = [re.escape(p) for p in term.split()]
    return r"\s*".join(parts) if len(parts) == 2 and len(parts[1]) == 3 else r"\s+".join(parts)

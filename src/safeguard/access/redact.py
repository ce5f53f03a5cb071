"""One redaction of what rests on records: a screening's reasons, a finding's evidence, any
export. An item that cites a record the reader may not see in full (sexual health,
intelligence: `policy.record`) is left out, and the count of those left out is kept so the page
can say so. Pure: the caller looks up the few details the rule needs (a health event's code
and setting) and passes them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from safeguard.access import policy
from safeguard.access.roles import Actor

T = TypeVar("T")


@dataclass(frozen=True)
class Cited:
    """A record an item rests on: its agency, kind and id."""

    agency: str
    kind: str
    record_id: str

    @classmethod
    def parse(cls, ref: str) -> Cited | None:
        """`agency:kind:record_id`, as screening reasons cite records (None if not one)."""
        parts = ref.split(":", 2)
        return cls(*parts) if len(parts) == 3 else None

    @property
    def detailed(self) -> bool:
        """Whether the rule needs the record's details (a health event's code and setting)."""
        return self.kind == "health_events"


#: A health event's (code, setting), by (agency, kind, record_id).
Details = Mapping[tuple[str, str, str], tuple[str, str]]


@dataclass(frozen=True)
class Redacted(Generic[T]):
    kept: list[T]
    withheld: int


def needing_details(cited: Iterable[Cited]) -> set[Cited]:
    """The records whose details the caller must look up for `redact`."""
    return {c for c in cited if c.detailed}


def readable(reader: Actor, cited: Cited, details: Details) -> bool:
    code, setting = details.get((cited.agency, cited.kind, cited.record_id), ("", ""))
    return bool(policy.record(reader, cited.kind, code, setting))


def redact(
    reader: Actor,
    items: Sequence[T],
    cites: Callable[[T], Iterable[Cited]],
    details: Details,
) -> Redacted[T]:
    """The `items` every record of which (`cites`) `reader` may see in full, and how many
    were withheld."""
    kept = [i for i in items if all(readable(reader, c, details) for c in cites(i))]
    return Redacted(kept, len(items) - len(kept))


def reason_records(reason: Mapping[str, object]) -> list[Cited]:
    """The records a screening reason cites."""
    refs = reason.get("records") or []
    found = (Cited.parse(str(r)) for r in refs) if isinstance(refs, list) else iter(())
    return [c for c in found if c is not None]


def edge_record(edge: Mapping[str, object]) -> list[Cited]:
    """The record a finding's evidence edge rests on."""
    return [Cited(str(edge.get("agency")), str(edge.get("kind")), str(edge.get("record_id")))]

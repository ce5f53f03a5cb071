"""Agency records before they are written: batches of rows in canonical form plus their truth.

A `Batch` holds rows of one record kind as columns (dates as numpy datetimes, people as true
person indices) with, for every row, the scenario and the signal it carries. `Ledger` collects
batches per agency and kind; `deliveries` later turns true people into each agency's own people
records and formats everything the agency's way. Keeping truth beside every row from the start is
what makes `truth/records.csv` exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from safeguard.synthetic.types import Array, Ints

PeopleRefs = list[tuple[int, ...]]


@dataclass
class Batch:
    """Rows of one kind: field columns, the true subject, people references and truth labels."""

    kind: str
    cols: dict[str, Array]
    person: Ints
    refs: dict[str, PeopleRefs] = field(default_factory=dict)
    keys: Ints | None = None
    key_refs: dict[str, Ints] = field(default_factory=dict)
    scenario: Array | None = None
    signal: Array | None = None

    def __len__(self) -> int:
        return len(self.person)

    def labels(self) -> tuple[Array, Array]:
        n = len(self)
        scen = self.scenario if self.scenario is not None else np.full(n, "")
        sig = self.signal if self.signal is not None else np.full(n, "")
        return scen, sig


def batch(
    kind: str,
    person: Any,
    *,
    scenario: Any = "",
    signal: Any = "",
    refs: dict[str, PeopleRefs] | None = None,
    **cols: Any,
) -> Batch:
    """A batch from columns or scalars (scalars are repeated for every row)."""
    person_arr = np.atleast_1d(np.asarray(person, dtype=np.int64))
    n = len(person_arr)

    def full(value: Any) -> Array:
        arr = np.asarray(value)
        return arr if arr.ndim == 1 and len(arr) == n else np.full(n, value)

    columns = {k: full(v) for k, v in cols.items() if v is not None}
    return Batch(
        kind, columns, person_arr, refs or {}, scenario=full(scenario), signal=full(signal)
    )


def one(
    kind: str,
    person: int,
    *,
    scenario: str = "",
    signal: str = "",
    refs: dict[str, tuple[int, ...]] | None = None,
    **cols: Any,
) -> Batch:
    """A single-row batch, for planted scenario records."""
    wrapped = {k: [v] for k, v in (refs or {}).items()}
    return batch(
        kind,
        [person],
        scenario=scenario,
        signal=signal,
        refs=wrapped,
        **{k: [v] for k, v in cols.items()},
    )


class Ledger:
    """All batches, by agency and kind, plus key counters for records other records point at."""

    def __init__(self) -> None:
        self.batches: dict[tuple[str, str], list[Batch]] = defaultdict(list)
        self._next: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, agency: str, item: Batch) -> Batch:
        if len(item):
            self.batches[(agency, item.kind)].append(item)
        return item

    def keys(self, agency: str, kind: str, n: int) -> Ints:
        """`n` new keys for records of `kind` that another kind will refer to."""
        start = self._next[(agency, kind)]
        self._next[(agency, kind)] = start + n
        return np.arange(start, start + n, dtype=np.int64)

    def agencies(self) -> list[str]:
        return sorted({a for a, _ in self.batches})

    def kinds(self, agency: str) -> list[str]:
        return sorted({k for a, k in self.batches if a == agency})

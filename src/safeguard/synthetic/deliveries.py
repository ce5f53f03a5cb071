"""Turn the ledger into each agency's delivery: its own people records and formatted tables.

Each delivery carries the people it mentions (a few twice, as real systems hold duplicates), record
ids that rise with time as real systems issue them (so ids never give away planted records), and
every value written the agency's way. Beside every row it keeps the truth: the true person, the
scenario and the signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from safeguard.contract import KINDS
from safeguard.contract.fields import FieldType
from safeguard.synthetic.agencies import KIND_LETTERS, THIN_LEAVES_OUT, Agency
from safeguard.synthetic.noise import (
    format_phone,
    format_postcode,
    format_vrm,
    render_people,
    strftime,
)
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, Ledger
from safeguard.synthetic.types import Array, Ints, Strs

#: Kinds referred to by other kinds come first.
ORDER = (
    "care_homes",
    "incidents",
    "involvements",
    "missing_episodes",
    "sightings",
    "intelligence",
    "contacts",
    "placements",
    "health_events",
    "education_events",
)
DUPLICATE_USE = 0.35


@dataclass
class Table:
    """A formatted table of one kind, with the truth for each row."""

    kind: str
    columns: dict[str, Strs]
    person: Ints
    scenario: Strs
    signal: Strs

    def __len__(self) -> int:
        return len(self.person)


def numbered(prefix: str, start: int, n: int) -> Strs:
    """Record ids `prefix` + 7-digit running numbers from `start`."""
    return np.array([f"{prefix}{i:07d}" for i in range(start, start + n)], dtype=str)


def _blank(like: Array, n: int) -> Array:
    if np.issubdtype(like.dtype, np.datetime64):
        return np.full(n, np.datetime64("NaT"), dtype=like.dtype)
    if np.issubdtype(like.dtype, np.integer):
        return np.full(n, -1, dtype=np.int64)
    return np.full(n, "", dtype=str)


def concat(batches: list[Batch]) -> Batch:
    """One batch from many of the same kind (absent columns are blank)."""
    names = sorted({c for b in batches for c in b.cols})
    cols: dict[str, Array] = {}
    for name in names:
        like = next(b.cols[name] for b in batches if name in b.cols)
        parts = [b.cols.get(name, _blank(like, len(b))) for b in batches]
        if like.dtype.kind in "UO":
            parts = [p.astype(str) for p in parts]
        cols[name] = np.concatenate(parts)
    refs = {
        r: [x for b in batches for x in b.refs.get(r, [()] * len(b))]
        for r in sorted({r for b in batches for r in b.refs})
    }
    keys = None
    if any(b.keys is not None for b in batches):
        keys = np.concatenate(
            [b.keys if b.keys is not None else np.full(len(b), -1) for b in batches]
        )
    key_refs = {
        r: np.concatenate([b.key_refs[r] for b in batches])
        for r in sorted({r for b in batches for r in b.key_refs})
    }
    labels = [b.labels() for b in batches]
    return Batch(
        batches[0].kind,
        cols,
        np.concatenate([b.person for b in batches]),
        refs,
        keys,
        key_refs,
        np.concatenate([s.astype(str) for s, _ in labels]),
        np.concatenate([s.astype(str) for _, s in labels]),
    )


class _PeopleIndex:
    """Which people records stand for each true person (a few people have two)."""

    def __init__(
        self, rng: np.random.Generator, size: int, mentioned: Ints, dup_rate: float, prefix: str
    ) -> None:
        dup = mentioned[rng.random(len(mentioned)) < dup_rate]
        persons = np.concatenate([mentioned, dup])
        order = rng.permutation(len(persons))
        self.persons = persons[order]
        start = int(rng.integers(10_000, 90_000))
        self.ids = numbered(prefix, start, len(persons))
        self.primary = np.full(size, -1, dtype=np.int64)
        self.second = np.full(size, -1, dtype=np.int64)
        unique, first = np.unique(self.persons, return_index=True)
        self.primary[unique] = first
        later = np.ones(len(persons), dtype=bool)
        later[first] = False
        self.second[self.persons[later]] = np.flatnonzero(later)
        self.rng = rng

    def ids_for(self, persons: Ints) -> Strs:
        rows = self.primary[persons]
        alt = self.second[persons]
        use_alt = (alt >= 0) & (self.rng.random(len(persons)) < DUPLICATE_USE)
        rows = np.where(use_alt, alt, rows)
        return np.where(persons >= 0, self.ids[np.maximum(rows, 0)], "")


def _mentioned(kinds: dict[str, Batch]) -> Ints:
    parts = []
    for kind, b in kinds.items():
        if "person_id" in KINDS[kind].field_names:
            parts.append(b.person[b.person >= 0])
        for refs in b.refs.values():
            parts.append(np.array([p for r in refs for p in r], dtype=np.int64))
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def build(
    rng: np.random.Generator, agency: Agency, ledger: Ledger, pop: Population
) -> dict[str, Table]:
    """All tables of one agency's delivery, people first."""
    kinds = {
        k: concat(ledger.batches[(agency.code, k)])
        for k in agency.kinds
        if k != "people" and ledger.batches.get((agency.code, k))
    }
    people = _PeopleIndex(
        rng, len(pop), _mentioned(kinds), agency.style.duplicate, f"{agency.prefix}-P"
    )
    cols = render_people(rng, pop, people.persons, agency.style)
    tables = {
        "people": Table(
            "people",
            {"record_id": people.ids, **cols},
            people.persons,
            np.full(len(people.persons), ""),
            np.full(len(people.persons), ""),
        )
    }
    key_ids: dict[str, Strs] = {}
    for kind in ORDER:
        if kind in kinds:
            tables[kind] = _table(rng, agency, kinds[kind], people, key_ids)
    return tables


def make_thin(people: Table) -> None:
    """A thin people file: the columns of `THIN_LEAVES_OUT` are left out of the file altogether
    (not written empty), as an agency that never holds them would send it. Only columns go, so
    no random draw changes and every other value is the full file's."""
    for name in THIN_LEAVES_OUT:
        people.columns.pop(name, None)


def _table(
    rng: np.random.Generator,
    agency: Agency,
    b: Batch,
    people: _PeopleIndex,
    key_ids: dict[str, Strs],
) -> Table:
    spec, _style, n = KINDS[b.kind], agency.style, len(b)
    when = b.cols.get(spec.when) if spec.when else None
    order = np.lexsort((rng.random(n), when)) if when is not None else rng.permutation(n)
    start = int(rng.integers(1_000, 60_000))
    ids = numbered(f"{agency.prefix}-{KIND_LETTERS[b.kind]}", start, n)
    record_id = np.empty(n, dtype=ids.dtype)
    record_id[order] = ids
    if "record_id" in b.cols:
        record_id = b.cols["record_id"].astype(str)
    if b.keys is not None:
        by_key = np.full(int(b.keys.max()) + 1, "", dtype=ids.dtype)
        by_key[b.keys] = record_id
        key_ids[b.kind] = by_key
    out: dict[str, Strs] = {"record_id": record_id}
    for f in spec.fields[1:]:
        raw = b.cols.get(f.name)
        if f.name == "person_id":
            out[f.name] = people.ids_for(b.person)
        elif f.type is FieldType.REF and f.ref_kind is not None:
            keys = b.key_refs[f.name]
            out[f.name] = key_ids[f.ref_kind][keys]
        elif f.type is FieldType.REFS:
            out[f.name] = _refs(people, b.refs.get(f.name, [()] * n))
        elif raw is None:
            out[f.name] = np.full(n, "")
        else:
            out[f.name] = _format(rng, f.type, raw, agency)
    return Table(
        b.kind,
        {k: v[order] for k, v in out.items()},
        b.person[order],
        b.labels()[0][order].astype(str),
        b.labels()[1][order].astype(str),
    )


def _refs(people: _PeopleIndex, refs: list[tuple[int, ...]]) -> Strs:
    out = np.full(len(refs), "", dtype=object)
    for i, r in enumerate(refs):
        if r:
            out[i] = ";".join(people.ids_for(np.array(r, dtype=np.int64)).tolist())
    return out.astype(str)


def _format(rng: np.random.Generator, kind: FieldType, raw: Array, agency: Agency) -> Strs:
    style = agency.style
    if kind is FieldType.DATETIME:
        return strftime(raw, style.datetime)
    if kind is FieldType.DATE:
        return strftime(raw, style.date)
    if kind is FieldType.INTEGER:
        return np.where(raw >= 0, raw.astype(str), "")
    text = raw.astype(str)
    if kind is FieldType.PHONE:
        return format_phone(rng, text, style.phone_format)
    if kind is FieldType.POSTCODE:
        return format_postcode(rng, text, style.compact_postcode)
    if kind is FieldType.VRM:
        return format_vrm(text, style)
    return text

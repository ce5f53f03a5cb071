"""Validate and normalise a chunk of delivered rows against its record kind.

Each field is normalised by the rule of its type. A row whose required or typed value fails goes to
quarantine with every problem it has; an identifier that fails its check keeps its raw value in the
row's `_issues` and the row is accepted. Work is per distinct value (memoised), not per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safeguard.contract import identifiers, values
from safeguard.contract.fields import Field, FieldType
from safeguard.contract.identifiers import Checked
from safeguard.contract.kinds import Kind
from safeguard.ingest.reader import LIST_SEPARATOR, Chunk

T = FieldType
Normaliser = Callable[[str], Checked]

_SCALAR: dict[FieldType, Normaliser] = {
    T.NAME: identifiers.name,
    T.NAMES: identifiers.name,
    T.BOOL: values.boolean,
    T.INTEGER: values.integer,
    T.DATE: values.date,
    T.PARTIAL_DATE: values.partial_date,
    T.DATETIME: values.datetime,
    T.NHS_NUMBER: identifiers.nhs_number,
    T.UPN: identifiers.upn,
    T.PNC_ID: identifiers.pnc_id,
    T.POSTCODE: identifiers.postcode,
    T.POSTCODES: identifiers.postcode,
    T.PHONE: identifiers.phone,
    T.PHONES: identifiers.phone,
    T.EMAIL: identifiers.email,
    T.VRM: identifiers.vrm,
    T.VRMS: identifiers.vrm,
}

ROW_COLUMN, ISSUES_COLUMN = "_row", "_issues"

#: Layouts parsed in bulk by Arrow before the per-value rules run. A value is taken only when
#: printing the parsed date in the same layout gives back exactly the delivered text, so the fast
#: path accepts nothing the rule in `safeguard.contract.values` would refuse (a property test
#: checks).
_BULK_LAYOUTS: dict[FieldType, tuple[tuple[str, ...], str]] = {
    T.DATETIME: (
        (
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%d/%m/%Y %H:%M",
            "%d/%m/%Y %H:%M:%S",
        ),
        "%Y-%m-%dT%H:%M:%S",
    ),
    T.DATE: (("%Y-%m-%d", "%d/%m/%Y"), "%Y-%m-%d"),
    T.PARTIAL_DATE: (("%Y-%m-%d", "%d/%m/%Y"), "%Y-%m-%d"),
}


def bulk_temporal(kind: FieldType, values: pa.Array) -> pa.Array:
    """Normalised dates for the values in a common layout; null where the full rule must decide."""
    layouts, canonical = _BULK_LAYOUTS[kind]
    out = pa.nulls(len(values), pa.string())
    for layout in layouts:
        parsed = pc.strptime(values, format=layout, unit="s", error_is_null=True)
        exact = pc.and_(
            pc.equal(pc.strftime(parsed, format=layout), values),
            pc.greater_equal(pc.year(parsed), 1900),
        )
        out = pc.if_else(pc.fill_null(exact, False), pc.strftime(parsed, format=canonical), out)
    return out


CACHE_LIMIT = 100_000


def _text(raw: str) -> Checked:
    return Checked(raw)


def _code(f: Field) -> Normaliser:
    def check(raw: str) -> Checked:
        code = f.code_for(raw)
        if code is None:
            return Checked(None, f"unknown code {raw!r} (expected one of: {', '.join(f.codes)})")
        return Checked(code)

    return check


def _each(one: Normaliser) -> Callable[[str], tuple[list[str], str | None]]:
    """Normalise a `;`-separated list; the problem names the first item that failed."""

    def check(raw: str) -> tuple[list[str], str | None]:
        out: list[str] = []
        for item in raw.split(LIST_SEPARATOR):
            if not item.strip():
                continue
            checked = one(item.strip())
            if checked.value is None:
                return [], f"{item.strip()!r}: {checked.problem}"
            out.append(checked.value)
        return out, None

    return check


def normaliser(f: Field) -> Normaliser:
    """The scalar rule for a field (for list fields, the rule for one item)."""
    if f.type in (T.CODE, T.CODES):
        return _code(f)
    return _SCALAR.get(f.type, _text)


def jsonl_schema(kind: Kind) -> pa.Schema:
    """How Arrow should read a kind's JSON Lines: every field as text, list fields as lists."""
    return pa.schema(
        [pa.field(f.name, pa.list_(pa.string()) if f.is_list else pa.string()) for f in kind.fields]
    )


@dataclass
class Validated:
    """The outcome for one chunk: accepted rows as an Arrow table and quarantined rows."""

    accepted: pa.Table
    quarantined: list[dict[str, object]] = field(default_factory=list)


def arrow_schema(kind: Kind) -> pa.Schema:
    """The landing schema of a kind: its fields (lists as lists), row number and issues."""
    cols = [
        pa.field(f.name, pa.list_(pa.string()) if f.is_list else pa.string()) for f in kind.fields
    ]
    return pa.schema(
        [*cols, pa.field(ROW_COLUMN, pa.int64()), pa.field(ISSUES_COLUMN, pa.string())]
    )


Problems = list[list[dict[str, str]] | None]


def _shown(text: str | None) -> str | None:
    """Text as quarantine keeps it: a NUL is written `\\x00` (the databases cannot hold NUL)."""
    return text.replace("\x00", "\\x00") if text else text


def _add(target: Problems, i: int, entry: dict[str, str]) -> None:
    target[i] = (target[i] or []) + [entry]


class Validator:
    """Validates chunks of one file against one kind.

    Column-wise with Arrow: values are trimmed and de-duplicated in C++, each rule runs once per
    distinct value (and is remembered across chunks), and Python touches individual rows only to
    record problems.
    """

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.schema = arrow_schema(kind)
        self._rules = {
            f.name: (_each(normaliser(f)) if f.is_list else normaliser(f)) for f in kind.fields
        }
        self._cache: dict[str, dict[str, Any]] = {f.name: {} for f in kind.fields}

    def _answers(self, f: Field, distinct: pa.Array) -> list[Any]:
        cache, rule = self._cache[f.name], self._rules[f.name]
        if len(cache) > CACHE_LIMIT:
            cache.clear()
        fast = (
            bulk_temporal(f.type, distinct).to_pylist()
            if f.type in _BULK_LAYOUTS
            else [None] * len(distinct)
        )
        out: list[Any] = []
        for raw, quick in zip(distinct.to_pylist(), fast, strict=True):
            if quick is not None:
                out.append(Checked(quick))
                continue
            hit = cache.get(raw)
            if hit is None:
                hit = cache[raw] = rule(raw)
            out.append(hit)
        return out

    def _column(self, f: Field, raw: pa.Array, problems: Problems, issues: Problems) -> pa.Array:
        # a NUL character is binary data, not text (PostgreSQL cannot even store it)
        binary = pc.fill_null(pc.match_substring(raw, "\x00"), False)
        for i in np.flatnonzero(binary.to_numpy(zero_copy_only=False)):
            reason = f"{f.name} holds a NUL character: binary data, not text"
            _add(
                problems, int(i), {"field": f.name, "value": raw[int(i)].as_py(), "reason": reason}
            )
        text = pc.utf8_trim_whitespace(raw)
        blank = pc.fill_null(pc.equal(pc.utf8_length(text), 0), True)
        if f.required:
            for i in np.flatnonzero(blank.to_numpy(zero_copy_only=False)):
                value = raw[int(i)].as_py() or ""
                _add(
                    problems,
                    int(i),
                    {"field": f.name, "value": value, "reason": f"missing {f.name} (required)"},
                )
        text = pc.if_else(blank, pa.scalar(None, pa.string()), text)
        if self._rules[f.name] is _text:
            return text
        distinct = pc.unique(text).drop_null()
        answers = self._answers(f, distinct)
        index = pc.index_in(text, value_set=distinct)
        values = pa.array(
            [(a[0] or None) if f.is_list else a[0] for a in answers],
            type=self.schema.field(f.name).type,
        )
        failed = [i for i, a in enumerate(answers) if a[1] is not None]
        if failed:
            bad = pc.is_in(index, value_set=pa.array(failed, pa.int32()))
            target = issues if f.keeps_invalid and not f.required else problems
            for i in np.flatnonzero(pc.fill_null(bad, False).to_numpy(zero_copy_only=False)):
                answer = answers[index[int(i)].as_py()]
                _add(
                    target,
                    int(i),
                    {"field": f.name, "value": text[int(i)].as_py(), "reason": answer[1]},
                )
        return values.take(index)

    def validate(self, chunk: Chunk) -> Validated:
        n = len(chunk)
        problems: Problems = [None] * n
        issues: Problems = [None] * n
        arrays: list[pa.Array] = []
        for f in self.kind.fields:
            raw = chunk.columns.get(f.name)
            if raw is None and not f.required:
                arrays.append(pa.nulls(n, self.schema.field(f.name).type))
                continue
            column = pa.array(raw if raw is not None else [None] * n, type=pa.string())
            arrays.append(self._column(f, column, problems, issues))
        arrays.append(pa.array(chunk.rows, type=pa.int64()))
        arrays.append(
            pa.array([json.dumps(i) if i else None for i in issues], type=pa.string())
            if any(issues)
            else pa.nulls(n, pa.string())
        )
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        rejected = [i for i, p in enumerate(problems) if p is not None]
        if rejected:
            keep = np.ones(n, dtype=bool)
            keep[rejected] = False
            table = table.filter(pa.array(keep))
        return Validated(table, self._quarantine(chunk, problems, rejected))

    @staticmethod
    def _quarantine(
        chunk: Chunk, problems: Problems, rejected: list[int]
    ) -> list[dict[str, object]]:
        out: list[dict[str, object]] = [
            {
                "row": chunk.rows[i],
                "problems": [{**p, "value": _shown(p["value"])} for p in problems[i] or []],
                "raw": {
                    k: _shown(v[i]) if isinstance(v[i], str) else v[i]
                    for k, v in chunk.columns.items()
                    if v[i] not in (None, "")
                },
            }
            for i in rejected
        ]
        out += [
            {
                "row": b.row,
                "problems": [{"field": "", "value": _shown(b.raw[:500]), "reason": b.reason}],
                "raw": {"_line": _shown(b.raw)},
            }
            for b in chunk.bad
        ]
        return out

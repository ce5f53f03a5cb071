"""Validate and normalise a chunk of delivered rows against its record kind.

Each field is normalised by the rule of its type. A row whose required or typed value fails goes to
quarantine with every problem it has; an identifier that fails its check keeps its raw value in the
row's `_issues` and the row is accepted. Work is per distinct value (memoised), not per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from safeguard.contract import identifiers, values
from safeguard.contract.fields import Field, FieldType
from safeguard.contract.identifiers import Checked
from safeguard.contract.kinds import Kind
from safeguard.ingest.reader import LIST_SEPARATOR, Chunk

T = FieldType
Normaliser = Callable[[str], Checked]

_SCALAR: dict[FieldType, Normaliser] = {
    T.NAME: identifiers.name,
    T.BOOL: values.boolean,
    T.INTEGER: values.integer,
    T.DATE: values.date,
    T.PARTIAL_DATE: values.partial_date,
    T.DATETIME: values.datetime,
    T.NHS_NUMBER: identifiers.nhs_number,
    T.UPN: identifiers.upn,
    T.PNC_ID: identifiers.pnc_id,
    T.POSTCODE: identifiers.postcode,
    T.PHONE: identifiers.phone,
    T.PHONES: identifiers.phone,
    T.EMAIL: identifiers.email,
    T.VRM: identifiers.vrm,
    T.VRMS: identifiers.vrm,
}

ROW_COLUMN, ISSUES_COLUMN = "_row", "_issues"
CACHE_LIMIT = 200_000


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


@dataclass
class Validated:
    """The outcome for one chunk: accepted rows as an Arrow table and quarantined rows."""

    accepted: pa.Table
    quarantined: list[dict[str, object]] = field(default_factory=list)


def arrow_schema(kind: Kind) -> pa.Schema:
    """The landing schema of a kind: its fields (lists as lists), row number and issues."""
    cols = [pa.field(f.name, pa.list_(pa.string()) if f.is_list else pa.string())
            for f in kind.fields]
    return pa.schema([*cols, pa.field(ROW_COLUMN, pa.int64()), pa.field(ISSUES_COLUMN, pa.string())])


class Validator:
    """Validates chunks of one file against one kind, remembering rules' answers per value."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.schema = arrow_schema(kind)
        self._rules = {f.name: (_each(normaliser(f)) if f.is_list else normaliser(f))
                       for f in kind.fields}
        self._cache: dict[str, dict[str, object]] = {f.name: {} for f in kind.fields}

    def _apply(self, f: Field, raw: str) -> object:
        cache = self._cache[f.name]
        hit = cache.get(raw)
        if hit is None:
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            hit = cache[raw] = self._rules[f.name](raw)  # type: ignore[operator]
        return hit

    def validate(self, chunk: Chunk) -> Validated:
        n = len(chunk)
        problems: list[list[dict[str, str]] | None] = [None] * n
        issues: list[list[dict[str, str]] | None] = [None] * n
        out: dict[str, list[object]] = {}
        for f in self.kind.fields:
            raw_col = chunk.columns.get(f.name)
            if raw_col is None and not f.required:
                out[f.name] = [None] * n
                continue
            raw_col = raw_col or [None] * n
            col: list[object] = [None] * n
            for i, raw in enumerate(raw_col):
                text = raw.strip() if raw else ""
                if not text:
                    if f.required:
                        problems[i] = (problems[i] or []) + [
                            {"field": f.name, "value": raw or "",
                             "reason": f"missing {f.name} (required)"}]
                    continue
                value, problem = self._apply(f, text)  # type: ignore[misc]
                if problem is None:
                    col[i] = value if not f.is_list or value else None
                    continue
                entry = {"field": f.name, "value": text, "reason": problem}
                target = issues if f.keeps_invalid and not f.required else problems
                target[i] = (target[i] or []) + [entry]
            out[f.name] = col
        return self._split(chunk, out, problems, issues)

    def _split(self, chunk: Chunk, out: dict[str, list[object]],
               problems: list[list[dict[str, str]] | None],
               issues: list[list[dict[str, str]] | None]) -> Validated:
        keep = [i for i, p in enumerate(problems) if p is None]
        arrays = [pa.array([out[f.name][i] for i in keep], type=self.schema.field(f.name).type)
                  for f in self.kind.fields]
        arrays.append(pa.array([chunk.rows[i] for i in keep], type=pa.int64()))
        arrays.append(pa.array([json.dumps(issues[i]) if issues[i] else None for i in keep],
                               type=pa.string()))
        quarantined: list[dict[str, object]] = [
            {"row": chunk.rows[i], "problems": p,
             "raw": {k: v[i] for k, v in chunk.columns.items() if v[i] not in (None, "")}}
            for i, p in enumerate(problems) if p is not None
        ]
        quarantined += [
            {"row": b.row, "problems": [{"field": "", "value": b.raw[:500], "reason": b.reason}],
             "raw": {"_line": b.raw}}
            for b in chunk.bad
        ]
        return Validated(pa.Table.from_arrays(arrays, schema=self.schema), quarantined)

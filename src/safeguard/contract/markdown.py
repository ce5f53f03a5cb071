"""The data contract as Markdown, written from the code so the documentation cannot drift.

`render_contract()` is the generated part of `docs/data-contract.md`: the record kinds and their
fields, the field types and the manifest. It sits between `BEGIN` and `END`; `splice` puts a fresh
copy there and `python -m safeguard.contract.markdown docs/data-contract.md` does it in place.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from safeguard.contract.fields import IDENTIFIER_TYPES, TYPE_FORMATS, Field, FieldType
from safeguard.contract.kinds import CONTRACT_VERSION, KINDS, Kind

BEGIN = "<!-- contract:begin -->"
END = "<!-- contract:end -->"

#: Types that take any text, so a value never fails (an empty value is simply absent).
FREE_TYPES = frozenset({FieldType.TEXT, FieldType.NAME})

#: The fields of `manifest.json`: name, whether it must be given, and what it says.
MANIFEST_FIELDS: tuple[tuple[str, bool, str], ...] = (
    ("agency", True, "short code for the sending agency: lower-case letters, digits and hyphens "
     "(`cheshire-police`); the same code in every delivery"),
    ("agency_name", False, "the agency's name for people to read; defaults to `agency`"),
    ("extract_date", True, "the day the data was extracted, `YYYY-MM-DD`"),
    ("period_start", True, "first day the delivery covers, `YYYY-MM-DD`"),
    ("period_end", True, "last day the delivery covers, `YYYY-MM-DD`; not before `period_start`"),
    ("contract_version", False, f"the contract version the files follow; defaults to "
     f"`{CONTRACT_VERSION}`; a different major version is refused"),
    ("files", False, "map from file name to record kind, for files not named after their kind"),
)  # fmt: skip


def _cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return " ".join(text.split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = [header, tuple("---" for _ in header), *rows]
    return "\n".join("| " + " | ".join(_cell(c) for c in line) + " |" for line in lines)


def code_list(field: Field) -> str:
    """The codes of a code field, each with the synonyms also accepted for it."""
    synonyms: dict[str, list[str]] = {}
    for raw, code in field.synonyms:
        synonyms.setdefault(code, []).append(f"`{raw}`")
    listed = ", ".join(
        f"`{code}` (or {', '.join(synonyms[code])})" if code in synonyms else f"`{code}`"
        for code in field.codes
    )
    if field.type is FieldType.CODES:
        return f"any of {listed}, separated by `;`"
    return f"one of {listed}"


def field_format(field: Field) -> str:
    """How a value of `field` is written: its codes, the kind it refers to, or its type's format."""
    if field.codes:
        return code_list(field)
    if field.type is FieldType.REF:
        return f"`record_id` of a `{field.ref_kind}` record"
    if field.type is FieldType.REFS:
        return f"`record_id`s of `{field.ref_kind}` records, separated by `;`"
    return TYPE_FORMATS[field.type]


def render_kind(kind: Kind) -> str:
    """One record kind: heading, description, its files and a table of its fields."""
    about = [f"Delivered as `{kind.name}.csv`, `{kind.name}.jsonl` or `{kind.name}.xlsx`."]
    if kind.subject:
        about.append(f"Each record is about the person in `{kind.subject}`.")
    if kind.when:
        about.append(f"Its date for the chronology is `{kind.when}`.")
    rows = [
        (f"`{f.name}`", f"`{f.type}`", "yes" if f.required else "no", field_format(f),
         f.description)
        for f in kind.fields
    ]  # fmt: skip
    table = _table(("field", "type", "required", "format and codes", "meaning"), rows)
    return f"### {kind.name}\n\n{kind.description}\n\n{' '.join(about)}\n\n{table}"


def _if_invalid(field_type: FieldType) -> str:
    if field_type in FREE_TYPES:
        return "any text is accepted"
    if field_type in IDENTIFIER_TYPES:
        return "the row is loaded; the value as delivered is kept, marked invalid"
    return "the row is quarantined"


def render_types() -> str:
    """The table of field types: how each is written and what happens when a value fails."""
    rows = [(f"`{t}`", TYPE_FORMATS[t], _if_invalid(t)) for t in FieldType]
    return _table(("type", "how to write it", "if a value fails its check"), rows)


def render_manifest() -> str:
    """The table of `manifest.json` fields."""
    rows = [(f"`{n}`", "yes" if req else "no", meaning) for n, req, meaning in MANIFEST_FIELDS]
    return _table(("field", "required", "meaning"), rows)


def render_contract() -> str:
    """The generated part of `docs/data-contract.md`: every kind, the field types, the manifest."""
    kinds = ", ".join(f"`{name}`" for name in KINDS)
    sections = [
        "## Record kinds",
        f"Contract version {CONTRACT_VERSION}. There are {len(KINDS)} record kinds: {kinds}.",
        *(render_kind(k) for k in KINDS.values()),
        "## Field types",
        render_types(),
        "## Manifest fields",
        render_manifest(),
    ]
    return "\n\n".join(sections) + "\n"


def generated_part(document: str) -> str | None:
    """The text between the markers of `document`, or None when the markers are missing."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        return None
    return document[start + len(BEGIN) : end].strip("\n") + "\n"


def splice(document: str, generated: str) -> str:
    """`document` with the text between its markers replaced by `generated`."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the document has no {BEGIN} ... {END} markers")
    return f"{document[: start + len(BEGIN)]}\n\n{generated.strip()}\n\n{document[end:]}"


def main(argv: list[str]) -> int:
    """Print the generated Markdown, or with a file name rewrite that file's generated part."""
    if not argv:
        sys.stdout.write(render_contract())
        return 0
    path = Path(argv[0])
    path.write_text(splice(path.read_text(encoding="utf-8"), render_contract()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

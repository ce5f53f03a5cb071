"""docs/data-contract.md must say what the code enforces.

The generated part must equal `render_contract()`, and, checked separately from that renderer,
every kind, every field of every kind, every field type and every manifest field must appear, and
the example manifest must be one the hub accepts.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from safeguard.contract import KINDS, Manifest, parse_manifest
from safeguard.contract.fields import FieldType
from safeguard.contract.markdown import generated_part, render_contract

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"
REGENERATE = (
    "docs/data-contract.md is out of date with src/safeguard/contract. Regenerate it with\n"
    "    python -m safeguard.contract.markdown docs/data-contract.md\n"
    "(or paste the output of `safeguard contract --markdown` between the contract markers)."
)


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _section(doc: str, kind_name: str) -> str:
    """The text under `### kind_name`, up to the next heading."""
    match = re.search(rf"^### {re.escape(kind_name)}\n(.*?)(?=^#)", doc, re.M | re.S)
    assert match, f"docs/data-contract.md has no `### {kind_name}` section. {REGENERATE}"
    return match.group(1)


def test_generated_part_matches_the_code(doc: str) -> None:
    part = generated_part(doc)
    assert part is not None, "docs/data-contract.md lost its <!-- contract:begin/end --> markers"
    assert part == render_contract(), REGENERATE


@pytest.mark.parametrize("kind_name", KINDS)
def test_every_field_of_every_kind_is_documented(doc: str, kind_name: str) -> None:
    section = _section(doc, kind_name)
    for field in KINDS[kind_name].fields:
        row = re.search(rf"^\| `{field.name}` \| `{field.type}` \|", section, re.M)
        assert row, f"{kind_name}.{field.name} is not in docs/data-contract.md. {REGENERATE}"


def test_no_kind_is_documented_that_the_code_does_not_have(doc: str) -> None:
    assert re.findall(r"^### ([a-z_]+)$", doc, re.M) == list(KINDS), REGENERATE


def test_every_field_type_and_manifest_field_is_documented(doc: str) -> None:
    for field_type in FieldType:
        assert f"| `{field_type}` |" in doc, f"field type {field_type} is undocumented"
    for field in dataclasses.fields(Manifest):
        assert f"| `{field.name}` |" in doc, f"manifest field {field.name} is undocumented"


def test_the_example_manifest_is_accepted(doc: str) -> None:
    example = re.search(r"### The manifest\n\n```json\n(.*?)```", doc, re.S)
    assert example, "the example manifest is missing from docs/data-contract.md"
    manifest = parse_manifest(example.group(1))
    assert manifest.agency == "cheshire-police"
    assert manifest.kind_of("intel-export.jsonl") == "intelligence"
    assert manifest.kind_of("people.csv") == "people"

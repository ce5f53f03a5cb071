"""The Markdown rendering of the contract: tables, codes, references and the marker splice."""

from __future__ import annotations

import dataclasses

import pytest

from safeguard.contract import KINDS, Manifest
from safeguard.contract.fields import TYPE_FORMATS, Field, FieldType
from safeguard.contract.kinds import kind
from safeguard.contract.markdown import (
    BEGIN,
    END,
    MANIFEST_FIELDS,
    field_format,
    generated_part,
    render_contract,
    render_kind,
    render_manifest,
    render_types,
    splice,
)


def _rows(table: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `table`, split into cells."""
    lines = [line for line in table.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines[2:]]


def test_each_kind_has_a_heading_description_and_one_row_per_field() -> None:
    people = render_kind(kind("people"))
    assert people.startswith("### people\n\nA person as the agency knows them")
    assert "| field | type | required | format and codes | meaning |" in people
    rows = _rows(people)
    assert [r[0] for r in rows] == [f"`{f.name}`" for f in kind("people").fields]
    assert all(len(r) == 5 for r in rows)
    assert rows[0][:3] == ["`record_id`", "`text`", "yes"]


def test_code_fields_list_their_codes_with_synonyms() -> None:
    sex = field_format(kind("people").field("sex"))
    assert sex.startswith("one of `female` (or `f`, `girl`, `2`), `male` (or `m`, `boy`, `1`)")
    assert "`unknown` (or `u`, `not_known`, `9`, `0`, `not_specified`)" in sex
    flags = field_format(kind("people").field("flags"))
    assert flags.startswith("any of `looked_after` (or `lac`, `cla`, ") and flags.endswith(
        "separated by `;`"
    )


def test_reference_fields_name_the_kind_they_refer_to() -> None:
    assert field_format(kind("involvements").field("incident_id")) == (
        "`record_id` of a `incidents` record"
    )
    assert "`people` records, separated by `;`" in field_format(
        kind("sightings").field("with_person_ids")
    )


def test_other_fields_use_their_types_format() -> None:
    assert field_format(kind("people").field("nhs_number")) == TYPE_FORMATS[FieldType.NHS_NUMBER]


def test_pipes_in_text_do_not_break_a_table() -> None:
    odd = Field("x", FieldType.CODE, "this | that", codes=("a|b",))
    kind_with_pipes = dataclasses.replace(kind("care_homes"), fields=(odd,))
    row = next(line for line in render_kind(kind_with_pipes).splitlines() if "`x`" in line)
    assert row.count(" | ") == 4
    assert "this \\| that" in row


def test_types_table_covers_every_type_and_says_what_happens_on_failure() -> None:
    rows = {r[0]: r for r in _rows(render_types())}
    assert set(rows) == {f"`{t}`" for t in FieldType}
    assert "marked invalid" in rows["`nhs_number`"][2]
    assert "quarantined" in rows["`date`"][2]
    assert "quarantined" in rows["`ref`"][2]
    assert "any text" in rows["`text`"][2]


def test_manifest_table_lists_exactly_the_manifest_fields() -> None:
    assert [n for n, _, _ in MANIFEST_FIELDS] == [f.name for f in dataclasses.fields(Manifest)]
    rows = _rows(render_manifest())
    assert [r[0] for r in rows] == [f"`{f.name}`" for f in dataclasses.fields(Manifest)]
    assert {r[0] for r in rows if r[1] == "yes"} == {
        "`agency`",
        "`extract_date`",
        "`period_start`",
        "`period_end`",
    }


def test_render_contract_holds_every_kind_in_order() -> None:
    text = render_contract()
    headings = [line[4:] for line in text.splitlines() if line.startswith("### ")]
    assert headings == list(KINDS)
    assert text.endswith("|\n") and not text.startswith("\n")
    assert render_contract() == text


def test_splice_replaces_only_the_marked_part() -> None:
    document = f"# Title\n\nbefore\n\n{BEGIN}\nstale\n{END}\n\nafter\n"
    spliced = splice(document, "fresh\n")
    assert spliced == f"# Title\n\nbefore\n\n{BEGIN}\n\nfresh\n\n{END}\n\nafter\n"
    assert generated_part(spliced) == "fresh\n"
    assert splice(spliced, "fresh\n") == spliced


def test_documents_without_markers_are_refused() -> None:
    assert generated_part("# no markers") is None
    assert generated_part(f"{END} then {BEGIN}") is None
    with pytest.raises(ValueError, match="markers"):
        splice("# no markers", "fresh")

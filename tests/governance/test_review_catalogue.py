"""The catalogue of recommendations: the default holds the four reports with the counts the
reports give, every entry honest about whether it was checked; a partnership's file replaces
it or adds to it; a bad file is refused whole with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard.governance import catalogue

GOOD = """
name = "Ours"
version = "1"
[agencies]
police = "Police"
[sources.local]
title = "Our own serious case review (2024)"
published = 2024-05-01
url = "https://example.org/review"
[[recommendations]]
id = "local-1"
source = "local"
number = "1"
title = "Named lead"
text = "Name a lead for exploitation in every team."
checked = true
"""


def test_the_default_holds_each_report_with_its_count() -> None:
    found = catalogue.load()
    counts = {s.code: len(rows) for s, rows in found.by_source()}
    assert counts["jay-2014"] == 15  # DOMAIN.md section 1
    assert counts["casey-2025"] == 12  # DOMAIN.md section 9
    assert counts["casey-2015"] >= 1 and counts["iicsa-2022"] >= 1
    assert "cheshire-police" in found.agencies and "halton-cs" in found.agencies
    first = found.get("jay-2014-01")
    assert first is not None and first.source.published.year == 2014
    assert first.url.startswith("https://") and first.label.startswith("Independent Inquiry")


def test_no_default_entry_claims_to_be_checked_without_a_note() -> None:
    for r in catalogue.load().recommendations:
        assert r.checked or r.note, r.id
        assert '"' not in r.text, f"{r.id}: a paraphrase, not a quotation"


def test_a_partnership_replaces_the_catalogue_or_adds_to_it(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(GOOD)
    replaced = catalogue.load(own)
    assert [r.id for r in replaced.recommendations] == ["local-1"]
    assert replaced.agencies == {"police": "Police"}
    own.write_text("include_default = true\n" + GOOD)
    added = catalogue.load(own)
    assert added.recommendations[-1].id == "local-1"
    assert len(added.recommendations) == len(catalogue.load().recommendations) + 1
    assert "cheshire-police" in added.agencies and "police" in added.agencies


def test_a_bad_file_is_refused_whole_naming_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        GOOD.replace('url = "https://example.org/review"', 'url = "example.org"')
        + """
[[recommendations]]
id = "local-1"
source = "elsewhere"
number = "2"
title = ""
text = "Something."
checked = false
colour = "blue"
"""
    )
    with pytest.raises(catalogue.CatalogueError) as e:
        catalogue.load(bad)
    said = str(e.value)
    for problem in (
        "[sources.local]: `url` must be a web address",
        "unexpected field `colour`",
        "`source` must be one of",
        "`title` must be text",
        "needs a `note`",
    ):
        assert problem in said, problem


def test_a_duplicate_id_and_broken_toml_are_refused(tmp_path: Path) -> None:
    twice = tmp_path / "twice.toml"
    twice.write_text(GOOD + GOOD.split("[[recommendations]]")[1].join(["[[recommendations]]", ""]))
    with pytest.raises(catalogue.CatalogueError, match="used twice"):
        catalogue.load(twice)
    broken = tmp_path / "broken.toml"
    broken.write_text("name = ")
    with pytest.raises(catalogue.CatalogueError, match="not valid TOML"):
        catalogue.load(broken)

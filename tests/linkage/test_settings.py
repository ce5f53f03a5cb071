"""The model's settings build without data and name every comparison once."""

from __future__ import annotations

from safeguard.linkage import settings


def test_settings_build_for_duckdb() -> None:
    built = settings.settings().create_settings_dict("duckdb")
    names = [c["output_column_name"] for c in built["comparisons"]]
    assert len(names) == len(set(names)) == 10
    assert built["link_type"] == "dedupe_only"
    assert len(built["blocking_rules_to_generate_predictions"]) >= 8


def test_decisive_levels_are_fixed() -> None:
    built = settings.settings().create_settings_dict("duckdb")
    by_name = {c["output_column_name"]: c for c in built["comparisons"]}
    for name in ("forename", "date_of_birth"):
        last = by_name[name]["comparison_levels"][-1]
        assert last["m_probability"] == settings.DECISIVE_M and last["fix_m_probability"]

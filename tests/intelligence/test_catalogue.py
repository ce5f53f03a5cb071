"""The screening catalogue: the default loads, and a bad one is refused saying where."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from safeguard.intelligence.catalogue import CatalogueError, load, parse


def default() -> dict[str, Any]:
    text = resources.files("safeguard.intelligence").joinpath("data", "catalogue.toml").read_text()
    return tomllib.loads(text)


def test_the_default_catalogue_is_modelled_on_seraf() -> None:
    c = load()
    assert c.name == "Safeguard default" and c.version
    assert c.scores == {
        "vulnerability": 1,
        "moderate": 1,
        "significant_recent": 5,
        "significant_older": 1,
    }
    assert [(b.name, b.start) for b in c.bands] == [
        ("not_at_risk", 0),
        ("mild", 6),
        ("moderate", 11),
        ("significant", 16),
    ]
    assert c.band_for(5) == "not_at_risk" and c.band_for(11) == "moderate"
    assert c.band_for(40) == "significant"
    levels = {i.level for i in c.indicators}
    assert levels == {"vulnerability", "moderate", "significant", "disclosure"}
    assert c.overrides.disclosure_band == "significant" and c.overrides.referral_age == 13
    assert all(i.level == "significant" for i in c.indicators if i.specific)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["indicators"][0].update(level="severe"), "`level` must be one of"),
        (lambda d: d["indicators"][0].update(rule="crystal_ball"), "no rule 'crystal_ball'"),
        (lambda d: d["indicators"][1].update(code=d["indicators"][0]["code"]), "is used twice"),
        (
            lambda d: d["indicators"][1].update(flags=["left_handed"]),
            "`flags`: unknown left_handed",
        ),
        (lambda d: d["overrides"].update(floor_band="amber"), "'amber' is not a band"),
        (lambda d: d["bands"].reverse(), "from the lowest score up"),
        (lambda d: d["scores"].pop("moderate"), "[scores]: `moderate` must be a whole number"),
        (lambda d: d["indicators"][3].update(colour="red"), "unexpected parameter `colour`"),
    ],
)
def test_a_bad_catalogue_is_refused_saying_where(change: Any, message: str) -> None:
    data = default()
    change(data)
    with pytest.raises(CatalogueError, match=None) as error:
        parse(data, "mine.toml")
    assert message in str(error.value) and str(error.value).startswith("mine.toml: ")


def test_a_partnership_catalogue_replaces_the_default(tmp_path: Path) -> None:
    text = resources.files("safeguard.intelligence").joinpath("data", "catalogue.toml").read_text()
    mine = tmp_path / "ours.toml"
    mine.write_text(text.replace('version = "2026.1"', 'version = "cheshire-3"'))
    assert load(mine).version == "cheshire-3"
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load(broken)
    with pytest.raises(CatalogueError, match="cannot read"):
        load(tmp_path / "absent.toml")

"""The thin profile: agencies that send names, date of birth, sex and postcode only (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.cli.app import app
from safeguard.synthetic import generate
from safeguard.synthetic.agencies import THIN_LEAVES_OUT, THIN_PROFILE

from .conftest import Partnership

CHILDREN, SEED = 300, 4
KEPT = ("forenames", "surname", "date_of_birth", "postcode")


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Partnership, Partnership]:
    """The same partnership generated full and with the thin profile."""
    full, thin = tmp_path_factory.mktemp("full"), tmp_path_factory.mktemp("thin")
    return (
        Partnership(full, generate(full, children=CHILDREN, seed=SEED)),
        Partnership(thin, generate(thin, children=CHILDREN, seed=SEED, thin=THIN_PROFILE)),
    )


def test_the_profile_names_real_agencies_holding_most_people(
    pair: tuple[Partnership, Partnership],
) -> None:
    full, _ = pair
    assert len(THIN_PROFILE) >= 2 and set(THIN_PROFILE) <= set(full.agencies)
    people = {a: len(full.delivery(a)["people"]) for a in full.agencies}
    assert sum(people[a] for a in THIN_PROFILE) > 0.4 * sum(people.values())


def test_thin_people_files_carry_no_identifier_or_address(
    pair: tuple[Partnership, Partnership],
) -> None:
    full, thin = pair
    for agency in THIN_PROFILE:
        rows, before = thin.delivery(agency)["people"], full.delivery(agency)["people"]
        assert rows and len(rows) == len(before)
        for row in rows:
            assert not set(THIN_LEAVES_OUT) & {k for k, v in row.items() if v}, row
        # the full file did hold them, so the profile is what removed them
        for field in ("address", "phone", "nhs_number" if agency == "cheshire-nhs" else "upn"):
            assert any(r.get(field) for r in before), (agency, field)
        # what is left is the full file's, value for value
        for mine, theirs in zip(rows, before, strict=True):
            assert {k: mine.get(k, "") for k in KEPT} == {k: theirs.get(k, "") for k in KEPT}
            assert mine["record_id"] == theirs["record_id"]


def test_everything_else_is_byte_for_byte_the_full_partnership(
    pair: tuple[Partnership, Partnership],
) -> None:
    full, thin = pair
    a, b = _files(full.root), _files(thin.root)
    assert a.keys() == b.keys()
    differ = sorted(name for name in a if a[name] != b[name])
    people_files = [f"{agency}/people.{ext}" for agency in THIN_PROFILE for ext in ("csv", "jsonl")]
    assert differ == sorted([*(name for name in people_files if name in a), "truth/summary.json"])
    assert thin.summary["thin"] == sorted(THIN_PROFILE)
    assert "thin" not in full.summary
    assert {k: v for k, v in thin.summary.items() if k != "thin"} == full.summary


def test_thin_profile_is_deterministic(
    tmp_path: Path, pair: tuple[Partnership, Partnership]
) -> None:
    _, thin = pair
    generate(tmp_path, children=CHILDREN, seed=SEED, thin=tuple(reversed(THIN_PROFILE)))
    assert _files(tmp_path) == _files(thin.root)


def test_an_unknown_agency_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown agency 'nhs'"):
        generate(tmp_path, children=CHILDREN, thin=("nhs",))
    result = CliRunner().invoke(
        app, ["synth", "--out", str(tmp_path / "x"), "--children", "300", "--thin", "schools"]
    )
    assert result.exit_code == 2 and "unknown agency" in result.output
    assert not (tmp_path / "x").exists()


def test_synth_command_writes_the_thin_profile(
    tmp_path: Path, pair: tuple[Partnership, Partnership]
) -> None:
    _, thin = pair
    options = [f"--thin={agency}" for agency in THIN_PROFILE]
    args = ["synth", "--out", str(tmp_path), "--children", str(CHILDREN), "--seed", str(SEED)]
    result = CliRunner().invoke(app, [*args, *options, "--json"])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == _files(thin.root)

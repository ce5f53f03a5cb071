"""Same arguments, same bytes; another seed, other data."""

from __future__ import annotations

from pathlib import Path

from safeguard.synthetic import generate


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", children=600, seed=7)
    generate(tmp_path / "b", children=600, seed=7)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", children=600, seed=7)
    generate(tmp_path / "b", children=600, seed=8)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a["cheshire-police/people.csv"] != b["cheshire-police/people.csv"]
    assert a["truth/persons.csv"] != b["truth/persons.csv"]


def test_summary_is_returned_and_written(tmp_path: Path) -> None:
    stages: list[str] = []
    summary = generate(tmp_path, children=600, seed=1, progress=lambda s, f: stages.append(s))
    assert (tmp_path / "truth" / "summary.json").exists()
    assert summary["seed"] == 1 and summary["children"] == 600
    assert stages[0] == "population" and stages[-1] == "truth"

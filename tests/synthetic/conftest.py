"""Fixtures: small and medium synthetic partnerships, generated once per test session."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from safeguard.contract import MANIFEST_NAME, parse_manifest
from safeguard.synthetic import generate

Rows = list[dict[str, str]]


def read_table(path: Path) -> Rows:
    """A delivered file as rows of text (lists joined with `;`, empty cells as '')."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    if path.suffix == ".jsonl":
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            rows.append({k: ";".join(v) if isinstance(v, list) else str(v) for k, v in obj.items()})
        return rows
    book = openpyxl.load_workbook(path, read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)}
        for row in values[1:]
    ]


def read_delivery(folder: Path) -> dict[str, Rows]:
    """Kind -> rows for every file the manifest lists."""
    manifest = parse_manifest((folder / MANIFEST_NAME).read_text())
    return {manifest.kind_of(name) or name: read_table(folder / name) for name in manifest.files}


def read_csv(path: Path) -> Rows:
    return read_table(path)


class Partnership:
    """A generated partnership on disk, with lazy readers."""

    def __init__(self, root: Path, summary: dict) -> None:
        self.root, self.summary = root, summary
        self._deliveries: dict[str, dict[str, Rows]] = {}

    @property
    def agencies(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if (p / MANIFEST_NAME).exists())

    def delivery(self, agency: str) -> dict[str, Rows]:
        if agency not in self._deliveries:
            self._deliveries[agency] = read_delivery(self.root / agency)
        return self._deliveries[agency]

    def truth(self, name: str) -> Rows:
        return read_csv(self.root / "truth" / name)

    def scenarios(self) -> list[dict]:
        return json.loads((self.root / "truth" / "scenarios.json").read_text())


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Partnership:
    root = tmp_path_factory.mktemp("small")
    return Partnership(root, generate(root, children=1500, seed=3))


@pytest.fixture(scope="session")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Partnership:
    root = tmp_path_factory.mktemp("medium")
    return Partnership(root, generate(root, children=20000, seed=5))


@pytest.fixture(scope="session")
def council(tmp_path_factory: pytest.TempPathFactory) -> Partnership:
    """A council-led partnership (the second family of planted scenarios)."""
    root = tmp_path_factory.mktemp("council")
    return Partnership(root, generate(root, children=2500, seed=3, family="council_led"))

"""Thin files (names, birth date, postcode and town only): recall, the twins and namesakes
safeguards, and `link-files --explain-model`."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from safeguard.linkage import evaluate
from safeguard.linkage.files import link_files
from safeguard.synthetic import generate
from tests.linkage.conftest import link_files_app

THIN = ("record_id", "forenames", "surname", "date_of_birth", "postcode", "town")
TWINS = [
    ["TWIN-1", "Amelia", "Quennell", "03/04/2012", "CW1 2AB", "Crewe"],
    ["TWIN-2", "Oliver", "Quennell", "03/04/2012", "CW1 2AB", "Crewe"],
    ["NAME-1", "Gideon", "Varcoe", "14/06/1981", "CH4 7QT", "Chester"],
    ["NAME-2", "Gideon", "Varcoe", "22/09/2011", "CH4 7QT", "Chester"],
]


def _thin_copy(source: Path, target: Path, extra: list[list[str]] | None = None) -> Path:
    with source.open(encoding="utf-8", newline="") as f:
        rows = [[row[c] for c in THIN] for row in csv.DictReader(f)]
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(THIN)
        writer.writerows([*rows, *(extra or [])])
    return target


@pytest.fixture(scope="module")
def thin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pa.Table]:
    """Police and schools' people records of a small partnership, reduced to the thin columns
    in one file, with two twins and a parent and child named alike; and the truth."""
    root = tmp_path_factory.mktemp("thin")
    generate(root, children=300, seed=5)
    police = _thin_copy(root / "cheshire-police" / "people.csv", root / "police.csv")
    schools = _thin_copy(root / "cheshire-schools" / "people.csv", root / "schools.csv", TWINS)
    both = root / "both.csv"
    both.write_text(
        police.read_text(encoding="utf-8") + schools.read_text(encoding="utf-8").split("\n", 1)[1],
        encoding="utf-8",
    )
    records = root / "truth" / "records.csv"
    truth = duckdb.sql(
        f"select record_id as unique_id, person_id from read_csv('{records}') "
        "where kind = 'people' and agency in ('cheshire-police', 'cheshire-schools')"
    ).to_arrow_table()
    return both, truth


def _clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r["id"]: r["cluster_id"] for r in csv.DictReader(f)}


def test_thin_files_link_with_high_recall(thin: tuple[Path, pa.Table], tmp_path: Path) -> None:
    both, truth = thin
    result = link_files([both], "record_id", tmp_path / "out")
    names = [c["output_column_name"] for c in result.model["comparisons"]]
    assert "nhs_number" not in names and "told_apart" in names
    cluster = _clusters(result.clusters_path)
    table = pa.table({"unique_id": list(cluster), "cluster_id": [cluster[k] for k in cluster]})
    scores = evaluate.score(table, truth)  # the four planted records are not in the truth
    assert scores.recall >= 0.95 and scores.precision >= 0.98, scores


def test_thin_files_keep_twins_and_namesakes_apart(
    thin: tuple[Path, pa.Table], tmp_path: Path
) -> None:
    both, _ = thin
    result = link_files([both], "record_id", tmp_path / "out")
    cluster = _clusters(result.clusters_path)
    assert cluster["TWIN-1"] != cluster["TWIN-2"]
    assert cluster["NAME-1"] != cluster["NAME-2"]


def test_explain_model_prints_the_levels(thin: tuple[Path, pa.Table], tmp_path: Path) -> None:
    both, _ = thin
    args = ["link-files", str(both), "--id", "record_id", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(link_files_app(), [*args, "--explain-model"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("prior: probability two random records match ")
    assert "match weight" in lines[0]
    assert lines[1].split() == ["comparison", "level", "m", "u", "weight"]
    rows = [line.split() for line in lines[2:]]
    assert {r[0] for r in rows} >= {"forename", "surname", "date_of_birth", "location"}
    twins = next(line for line in lines if line.startswith("told_apart") and " twins " in line)
    assert "-19.93" in twins and "(m fixed)" in twins
    plain = CliRunner().invoke(link_files_app(), [*args[:-1], str(tmp_path / "p")])
    assert plain.exit_code == 0 and "prior:" not in plain.stdout

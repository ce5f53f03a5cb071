"""Thin files (names, birth date, postcode and town only): recall, the twins and namesakes
safeguards (and `--twins-not-a-concern`, which drops them), the levels and rules thin records
add, and `link-files --explain-model`."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.dialects import DuckDBDialect
from typer.testing import CliRunner

from safeguard.linkage import evaluate, settings
from safeguard.linkage.files import link_files
from safeguard.linkage.model import prior_rule_recall
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


def test_twins_not_a_concern_joins_what_the_safeguards_keep_apart(
    thin: tuple[Path, pa.Table], tmp_path: Path
) -> None:
    both, _ = thin
    out = tmp_path / "o"
    args = ["link-files", str(both), "--id", "record_id", "--out", str(out)]
    result = CliRunner().invoke(link_files_app(), [*args, "--twins-not-a-concern"])
    assert result.exit_code == 0, result.stderr
    cluster = _clusters(out / "clusters.csv")
    assert cluster["TWIN-1"] == cluster["TWIN-2"]


def _level(comparison: ComparisonCreator, left: dict[str, object], right: dict[str, object]) -> str:
    """The label of the level `comparison` puts the pair of prepared records in (DuckDB)."""
    built = comparison.get_comparison("duckdb")
    cases = " ".join(
        f"when {lv.sql_condition} then '{lv.label_for_charts}'"
        for lv in built.comparison_levels
        if lv.sql_condition != "ELSE"
    )
    row = {f"{k}_l": v for k, v in left.items()} | {f"{k}_r": v for k, v in right.items()}
    con = duckdb.connect()
    try:
        con.register("pair", pa.Table.from_pylist([row], schema=_schema(row)))
        return str(con.sql(f"select case {cases} else 'else' end from pair").fetchall()[0][0])
    finally:
        con.close()


def _schema(row: dict[str, object]) -> pa.Schema:
    """Column types as `people_frame` gives them (a one-row table cannot tell from a null)."""
    types = {"forename_groups": pa.list_(pa.string()), "name_tokens": pa.list_(pa.string())}
    types |= {"dob_date": pa.date32()}
    return pa.schema([(k, types.get(k.rsplit("_", 1)[0], pa.string())) for k in row])


def _prepared(forename: str | None, surname: str, dob: str | None) -> dict[str, object]:
    """The columns `told_apart` reads, as `people_frame` prepares them."""
    return {
        "forename1": forename,
        "forename_groups": [forename] if forename else None,
        "name_tokens": [forename] if forename else None,
        "surname": surname,
        "dob": dob,
        "dob_swapped": None,
        "dob_date": date.fromisoformat(dob) if dob else None,
        "dob_year": dob[:4] if dob else None,
        "dob_month": dob[:7] if dob else None,
    }


def test_told_apart_needs_both_values_to_disagree() -> None:
    told_apart = settings.told_apart()
    amelia = _prepared("amelia", "quennell", "2012-04-03")
    assert _level(told_apart, amelia, _prepared("oliver", "quennell", "2012-04-03")) == "twins"
    assert _level(told_apart, amelia, _prepared("amelai", "quennell", "2012-04-03")) == "else"
    assert _level(told_apart, amelia, _prepared(None, "quennell", "2012-04-03")) == "else"
    gideon = _prepared("gideon", "varcoe", "1981-06-14")
    assert _level(told_apart, gideon, _prepared("gideon", "varcoe", "2011-09-22")) == "namesakes"
    assert _level(told_apart, gideon, _prepared("gideon", "varcoe", "1981-07-14")) == "else"
    assert _level(told_apart, gideon, _prepared("gideon", "varcoe", None)) == "else"


def test_one_edit_is_damerau_levenshtein_within_one() -> None:
    words = ["", "a", "ab", "ba", "abc", "acb", "bac", "abd", "abcd", "abdc", "1981-06-14"]
    words += ["1981-06-41", "1981-60-14", "1918-06-14", "1981-06-15", "1981-6-14", "smith"]
    words += ["smiht", "smyth", "smithe", "msith", "simth", "smth", "jones"]
    one_edit = settings._OneEditLevel("x")
    sql = one_edit.create_sql(DuckDBDialect())  # type: ignore[no-untyped-call]
    con = duckdb.connect()
    try:
        con.register("w", pa.table({"x": words}))
        disagree = con.sql(
            f"select count(*) from (select l.x as x_l, r.x as x_r from w l, w r) "
            f"where ({sql}) is distinct from (damerau_levenshtein(x_l, x_r) <= 1)"
        ).fetchall()
    finally:
        con.close()
    assert disagree == [(0,)]


def test_prior_rule_recall_is_the_product_of_the_exact_levels() -> None:
    def model(m: float | None) -> dict[str, object]:
        levels = [{"sql_condition": "a = b", "label_for_charts": "exact", "m_probability": m}]
        return {
            "comparisons": [
                {"output_column_name": name, "comparison_levels": levels}
                for name in ("forename", "surname", "date_of_birth")
            ]
        }

    assert prior_rule_recall(model(0.5)) == pytest.approx(0.125)
    assert prior_rule_recall(model(0.1)) == pytest.approx(0.05)  # bounded below
    assert prior_rule_recall(model(None)) is None


def test_thin_levels_and_rules_are_for_thin_records_only() -> None:
    identified = settings.settings().create_settings_dict("duckdb")
    thin_only = settings.settings(empty=frozenset(settings.IDENTIFYING))
    thin = thin_only.create_settings_dict("duckdb")

    def labels(built: dict[str, object]) -> set[str]:
        return {
            level.get("label_for_charts", "")
            for c in built["comparisons"]  # type: ignore[attr-defined]
            for level in c["comparison_levels"]
        }

    added = {"postcode and town", "town alike", "postcode one edit", "names swapped, alike"}
    assert added <= labels(thin) and not added & labels(identified)
    rules = "blocking_rules_to_generate_predictions"
    assert len(thin[rules]) == len(identified[rules]) + 5

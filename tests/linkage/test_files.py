"""`link-files`: deduplicate one CSV or link two, with column mapping and clear input errors."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from safeguard.linkage import evaluate
from safeguard.linkage.files import LinkFilesError, link_files, parse_mapping, read_source
from safeguard.synthetic import generate
from tests.linkage.conftest import link_files_app


@dataclass
class Partnership:
    police: Path
    schools: Path
    truth: pa.Table  # unique_id = record id, person_id


@pytest.fixture(scope="module")
def partnership(tmp_path_factory: pytest.TempPathFactory) -> Partnership:
    root = tmp_path_factory.mktemp("link-files")
    generate(root, children=300, seed=5)
    records = root / "truth" / "records.csv"
    relation = duckdb.sql(
        f"select record_id as unique_id, person_id from read_csv('{records}') "
        "where kind = 'people' and agency in ('cheshire-police', 'cheshire-schools')"
    )
    assert relation is not None
    truth = relation.to_arrow_table()
    return Partnership(
        root / "cheshire-police" / "people.csv", root / "cheshire-schools" / "people.csv", truth
    )


def _run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(link_files_app(), ["link-files", *(str(a) for a in args)])
    return result.exit_code, result.stderr


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def _score(clusters: Path, truth: pa.Table) -> evaluate.Scores:
    rows = _rows(clusters)
    table = pa.table(
        {"unique_id": [r["id"] for r in rows], "cluster_id": [r["cluster_id"] for r in rows]}
    )
    return evaluate.score(table, truth)


def test_dedupe_one_file_finds_the_people(partnership: Partnership, tmp_path: Path) -> None:
    header, police = _read(partnership.police)
    _, schools = _read(partnership.schools)
    blank = [""] * len(header)
    missing_id = [*blank]
    missing_id[header.index("surname")] = "Nobody"
    bad_date = [*police[0]]
    bad_date[0], bad_date[header.index("date_of_birth")] = "BAD-1", "31/02/2010"
    repeated = [*police[1]]
    both = _write(
        tmp_path / "both.csv", header, [*police, *schools, missing_id, bad_date, repeated]
    )
    code, err = _run(both, "--id", "record_id", "--out", tmp_path / "out")
    assert code == 0, err
    total = len(police) + len(schools)
    # rows: header 1, then the police and school records, then the three bad rows
    assert f"left out: both.csv row {total + 2}: missing id (record_id)" in err
    assert f"blanked: both.csv row {total + 3}: date_of_birth '31/02/2010': not a date" in err
    assert f"left out: both.csv row {total + 4}: id {police[1][0]!r} already on row 3" in err
    assert f"Read {total + 3:,} records from 1 file(s), left out 2, blanked " in err
    pairs = _rows(tmp_path / "out" / "pairs.csv")
    assert pairs and list(pairs[0]) == ["id_l", "id_r", "match_probability"]
    assert all(0.5 <= float(p["match_probability"]) <= 1 for p in pairs)
    clusters = tmp_path / "out" / "clusters.csv"
    assert list(_rows(clusters)[0]) == ["id", "cluster_id"]
    # the row with the impossible date is linked on its other values, to its own record
    cluster = {r["id"]: r["cluster_id"] for r in _rows(clusters)}
    assert cluster["BAD-1"] == cluster[police[0][0]]
    scores = _score(clusters, partnership.truth)  # BAD-1 is not in the truth: not scored
    assert scores.records == total
    assert scores.f1 >= 0.95, scores


def test_two_files_link_only_across(partnership: Partnership, tmp_path: Path) -> None:
    result = link_files([partnership.police, partnership.schools], "record_id", tmp_path / "out")
    assert not result.shared_ids and not result.left_out
    pairs = _rows(result.pairs_path)
    assert pairs and len(pairs) == result.pairs
    assert list(pairs[0]) == ["id_l", "id_r", "match_probability"]
    assert all(p["id_l"].startswith("POL-") and p["id_r"].startswith("SCH-") for p in pairs)
    clusters = _rows(result.clusters_path)
    assert len(clusters) == result.records == 426
    assert len({c["cluster_id"] for c in clusters}) == result.clusters
    scores = _score(result.clusters_path, partnership.truth)
    assert scores.precision >= 0.95, scores


def test_shared_ids_get_source_columns(partnership: Partnership, tmp_path: Path) -> None:
    header, police = _read(partnership.police)
    part = _write(tmp_path / "part.csv", header, police[:60])
    result = link_files([partnership.police, part], "record_id", tmp_path / "out")
    assert result.shared_ids
    pairs = _rows(result.pairs_path)
    assert list(pairs[0]) == ["id_l", "id_r", "match_probability", "source_l", "source_r"]
    assert all((p["source_l"], p["source_r"]) == ("a", "b") for p in pairs)
    same = {p["id_l"] for p in pairs if p["id_l"] == p["id_r"]}
    assert len(same) >= 55  # a record and its copy in the other file
    clusters = _rows(result.clusters_path)
    assert list(clusters[0]) == ["id", "cluster_id", "source"]
    assert len(clusters) == len(police) + 60
    cluster = {(c["source"], c["id"]): c["cluster_id"] for c in clusters}
    assert sum(cluster[("a", r[0])] == cluster[("b", r[0])] for r in police[:60]) >= 55


def test_mapped_columns_link_as_named_ones(partnership: Partnership, tmp_path: Path) -> None:
    header, police = _read(partnership.police)
    renamed = {
        "record_id": "Ref",
        "forenames": "Given Names",
        "surname": "Family Name",
        "date_of_birth": "DOB",
        "postcode": "Post Code",
    }
    mapped = _write(tmp_path / "mapped.csv", [renamed.get(h, h) for h in header], police)
    code, err = _run(
        mapped,
        "--id",
        "Ref",
        "--map",
        "Given Names=forenames",
        "--map",
        "family_name=surname",
        "--map",
        "DOB=date_of_birth",
        "--map",
        "Post Code=postcode",
        "--out",
        tmp_path / "mapped-out",
    )
    assert code == 0, err
    plain = link_files([partnership.police], "record_id", tmp_path / "plain-out")
    assert _rows(tmp_path / "mapped-out" / "pairs.csv") == _rows(plain.pairs_path)
    assert _rows(tmp_path / "mapped-out" / "clusters.csv") == _rows(plain.clusters_path)


def test_parse_mapping() -> None:
    assert parse_mapping(["Given Name=Forenames", "D.O.B.=date_of_birth"]) == {
        "given_name": "forenames",
        "d_o_b": "date_of_birth",
    }
    assert parse_mapping(["first=forenames", "middle=forenames", "ssn=identifier"]) == {
        "first": "forenames",
        "middle": "forenames",
        "ssn": "identifier",
    }
    for bad in (["x"], ["a=date_of_birth", "b=date_of_birth"], ["a=forenames", "a=surname"]):
        with pytest.raises(LinkFilesError):
            parse_mapping(bad)


def test_values_that_fail_are_blanked_and_foreign_postcodes_kept(tmp_path: Path) -> None:
    header = ["rec", "first", "middle", "family", "dob", "number", "street", "postcode", "ssn"]
    rows = [
        ["r1", "Amy", "Jo", "Smith", "19560409", "7", "Wallaby Place", "2119", "180-4974"],
        ["r2", "Ben", "", "Jones", "19561309", "12", "Pridham Street", "3165 ", "6089216"],
        ["r3", "", "", "", "", "", "", "", ""],
    ]
    path = _write(tmp_path / "people.csv", header, rows)
    mapping = parse_mapping(
        [
            "first=forenames",
            "middle=forenames",
            "family=surname",
            "dob=date_of_birth",
            "number=address",
            "street=address",
            "ssn=identifier",
        ]
    )
    source = read_source(path, "a", "rec", mapping)
    assert not source.left_out
    assert [str(b) for b in source.blanked] == [
        "people.csv row 3: dob '19561309': not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
    ]
    table = source.table.to_pydict()
    assert table["forenames"] == ["Amy Jo", "Ben", None]
    assert table["address"] == ["7 Wallaby Place", "12 Pridham Street", None]
    assert table["date_of_birth"] == ["1956-04-09", None, None]
    assert table["postcode"] == ["2119", "3165", None]
    assert table["identifier"] == ["1804974", "6089216", None]


def test_an_identifier_is_carried_to_the_model(tmp_path: Path) -> None:
    header = ["rec", "forenames", "surname", "date_of_birth", "client_no"]
    rows = [[f"r{i}", f"name{i % 7}", f"family{i % 11}", "2001-02-03", f"C-{i}"] for i in range(40)]
    rows.append(["copy", "name0", "family0", "2001-02-03", "c 0"])
    path = _write(tmp_path / "people.csv", header, rows)
    result = link_files([path], "rec", tmp_path / "out", parse_mapping(["client_no=identifier"]))
    # the model compares it, or says it does not
    assert result.notes in ([], ["identifier was read but the model does not compare it"])
    assert len(_rows(result.clusters_path)) == 41


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (
            "plain",
            ["--map", "Given Name=forenames"],
            "column 'given_name' (--map given_name=forenames) is not in the file; "
            "its columns are: ref, forenames, surname",
        ),
        ("plain", ["--map", "surname=family"], "'family' is not a people field; map onto one"),
        ("plain", ["--map", "ref=record_id"], "'record_id' is not a people field"),
        ("plain", ["--id", "person"], "the --id column 'person' is not in the file"),
        ("empty", [], "the file is empty"),
        ("latin1", [], "not UTF-8 text (first bad byte on line 3)"),
        ("plain", ["--upper", "0.4"], "lower threshold 0.5 is above upper 0.4"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    tmp_path: Path, make: str, args: list[str], message: str
) -> None:
    path = tmp_path / "in.csv"
    if make == "empty":
        path.write_bytes(b"")
    else:
        text = "ref,forenames,surname\nR1,Amy,Smith\nR2,Zoë,Brontë\n"
        path.write_bytes(text.encode("latin-1" if make == "latin1" else "utf-8"))
    options = args if "--id" in args else [*args, "--id", "ref"]
    code, err = _run(path, *options, "--out", tmp_path / "out")
    assert code == 2
    assert message in err
    assert not (tmp_path / "out").exists()


def test_second_file_is_checked_before_anything_is_written(tmp_path: Path) -> None:
    good = _write(tmp_path / "a.csv", ["ref", "surname"], [["R1", "Smith"]])
    bad = _write(tmp_path / "b.csv", ["id", "surname"], [["R1", "Smith"]])
    with pytest.raises(LinkFilesError, match=r"b\.csv: the --id column 'ref'"):
        link_files([good, bad], "ref", tmp_path / "out")
    assert not (tmp_path / "out").exists()

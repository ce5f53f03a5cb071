"""Preparing people records for linkage: latest version wins, derived columns are right."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.records import PeopleFile, nickname_groups, people_frame

NULLS = ("ethnicity", "nhs_number", "upn", "pnc_id", "address", "town", "phone", "email")


def _people(path: Path, **columns: list[object]) -> Path:
    base: dict[str, list[object]] = {name: [None] for name in NULLS}
    base |= {
        "record_id": ["R1"],
        "forenames": ["Katie Jane"],
        "surname": ["SMITH-JONES"],
        "other_names": [["Kitty"]],
        "date_of_birth": ["2010-03-07"],
        "sex": ["female"],
        "postcode": ["CW1 2AB"],
    }
    base.update(columns)
    types = {n: pa.string() for n in base} | {"other_names": pa.list_(pa.string())}
    pq.write_table(pa.table(base, schema=pa.schema(types)), path)
    return path


def test_latest_delivery_wins(tmp_path: Path) -> None:
    old = _people(tmp_path / "old.parquet", surname=["Old"])
    new = _people(tmp_path / "new.parquet", surname=["New"])
    frame = people_frame([PeopleFile("police", 2, new), PeopleFile("police", 1, old)])
    assert frame.num_rows == 1
    assert frame.column("surname").to_pylist() == ["new"]
    assert frame.column("unique_id").to_pylist() == ["police:R1"]


def test_derived_columns(tmp_path: Path) -> None:
    row = people_frame([PeopleFile("nhs", 1, _people(tmp_path / "p.parquet"))]).to_pylist()[0]
    assert row["forename1"] == "katie" and row["forenames_other"] == "jane"
    assert "catherine" in row["forename_groups"]
    assert set(row["name_tokens"]) == {"katie", "jane", "kitty"}
    assert row["surname_parts"] == ["smith", "jones"]
    assert (row["dob"], row["dob_swapped"], row["dob_precision"]) == (
        "2010-03-07",
        "2010-07-03",
        "day",
    )
    assert (row["postcode_sector"], row["postcode_district"]) == ("CW1 2", "CW1")


def test_partial_dates_keep_their_precision(tmp_path: Path) -> None:
    path = _people(tmp_path / "p.parquet", date_of_birth=["2010-03"])
    row = people_frame([PeopleFile("police", 1, path)]).to_pylist()[0]
    assert row["dob"] is None and row["dob_month"] == "2010-03" and row["dob_year"] == "2010"
    assert row["dob_precision"] == "month"


def test_nickname_table_keeps_groups_apart() -> None:
    groups: dict[str, set[str]] = {}
    for name, group in nickname_groups():
        groups.setdefault(name, set()).add(group)
    assert groups["chris"] == {"christopher", "christine"}
    assert groups["emily"].isdisjoint(groups["emma"])


def test_thresholds_must_be_ordered() -> None:
    assert LinkageConfig().upper > LinkageConfig().lower
    with pytest.raises(ValidationError):
        LinkageConfig(upper=0.6, lower=0.9)

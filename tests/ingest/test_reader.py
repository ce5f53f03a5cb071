"""The streaming readers: row numbers, bad rows kept, whole-file errors named."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from safeguard.ingest.reader import FileError, column_key, read_csv, read_jsonl, read_xlsx


def rows(chunks):  # type: ignore[no-untyped-def]
    return list(chunks)


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    data = b'record_id,text\nA,"two\nlines"\n\nB,plain\n'
    (chunk,) = rows(read_csv(io.BytesIO(data), 100))
    assert chunk.columns == {"record_id": ["A", "B"], "text": ["two\nlines", "plain"]}
    assert chunk.rows == [2, 4]  # the blank row is row 3, as in a spreadsheet


def test_csv_row_with_wrong_number_of_values_is_kept_as_bad() -> None:
    (chunk,) = rows(read_csv(io.BytesIO(b"a,b\n1,2\n3,4,5\n6,7\n"), 100))
    assert chunk.rows == [2, 4]
    assert [(b.row, b.raw) for b in chunk.bad] == [(3, "3,4,5")]
    assert "3 values but the header has 2" in chunk.bad[0].reason


def test_csv_chunks_bound_rows_and_keep_every_row() -> None:
    body = "record_id\n" + "".join(f"R{i}\n" for i in range(1050))
    chunks = rows(read_csv(io.BytesIO(body.encode()), 100))
    assert max(len(c) for c in chunks) <= 100
    assert sum(len(c) for c in chunks) == 1050
    assert chunks[-1].rows[-1] == 1051


def test_byte_order_mark_is_not_part_of_the_first_column() -> None:
    (chunk,) = rows(read_csv(io.BytesIO("\ufeffrecord_id\nA\n".encode()), 10))
    assert list(chunk.columns) == ["record_id"]


def test_header_names_are_matched_loosely() -> None:
    assert column_key(" Date of Birth ") == "date_of_birth"
    assert column_key("NHS-Number") == "nhs_number"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"record_id,name\nA,Zo\xe9\n", "not UTF-8 text (first bad byte on line 2)"),
        (b"a,a\n1,2\n", "appears twice"),
        (b",\n1,2\n", "header row"),
    ],
)
def test_unreadable_csv_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(FileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rows(read_csv(io.BytesIO(data), 10))


def test_jsonl_keeps_bad_lines_and_joins_lists() -> None:
    text = "\n".join(
        [
            json.dumps({"record_id": "A", "flags": ["looked_after", "neglect"], "age": 12.0}),
            "{not json",
            json.dumps(["a list"]),
            json.dumps({"Record ID": "B"}),
        ]
    )
    (chunk,) = rows(read_jsonl(io.BytesIO(text.encode()), 10))
    assert chunk.rows == [1, 4]
    assert chunk.columns["record_id"] == ["A", "B"]
    assert chunk.columns["flags"] == ["looked_after;neglect", None]
    assert chunk.columns["age"] == ["12", None]
    assert [(b.row, b.reason.split(" (")[0]) for b in chunk.bad] == [
        (2, "line is not valid JSON"),
        (3, "line is not a JSON object"),
    ]


def test_empty_jsonl_is_a_file_error() -> None:
    with pytest.raises(FileError, match="empty"):
        rows(read_jsonl(io.BytesIO(b"\n\n"), 10))


def test_xlsx_first_sheet_with_dates_and_numbers() -> None:
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["record_id", "Name", "opened"])
    sheet.append(["H1", "Oak House", dt.date(2020, 5, 1)])
    sheet.append([None, None, None])
    sheet.append([17, "Elm", None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    (chunk,) = rows(read_xlsx(buffer, 10))
    assert chunk.columns["record_id"] == ["H1", "17"]
    assert chunk.columns["opened"] == ["2020-05-01", None]
    assert chunk.rows == [2, 4]


def test_not_a_workbook_is_a_file_error() -> None:
    with pytest.raises(FileError, match="not a readable XLSX"):
        rows(read_xlsx(io.BytesIO(b"record_id\nA\n"), 10))


def test_jsonl_fast_path_agrees_with_the_careful_path() -> None:
    from safeguard.contract.kinds import KINDS
    from safeguard.ingest.validate import jsonl_schema

    records = [
        {
            "record_id": f"N{i}",
            "forenames": "Kate",
            "flags": ["looked_after"] * (i % 2),
            "date_of_birth": "2010-01-02",
        }
        for i in range(25)
    ]
    data = "\n".join(json.dumps(r) for r in records).encode() + b"\n"
    schema = jsonl_schema(KINDS["people"])
    fast = rows(read_jsonl(io.BytesIO(data), 10, schema))
    careful = rows(read_jsonl(io.BytesIO(data), 10))
    assert (
        [c.rows for c in fast]
        == [c.rows for c in careful]
        == [list(range(1, 11)), list(range(11, 21)), list(range(21, 26))]
    )
    for f, c in zip(fast, careful, strict=True):
        for name, values in c.columns.items():
            assert f.columns[name] == values


def test_jsonl_block_with_a_bad_line_falls_back_and_names_the_line() -> None:
    from safeguard.contract.kinds import KINDS
    from safeguard.ingest.validate import jsonl_schema

    data = b'{"record_id": "A"}\n{"record_id": 7}\n{oops\n\n{"record_id": "D"}\n'
    (chunk,) = rows(read_jsonl(io.BytesIO(data), 100, jsonl_schema(KINDS["people"])))
    assert chunk.rows == [1, 2, 5]
    assert chunk.columns["record_id"] == ["A", "7", "D"]
    assert [b.row for b in chunk.bad] == [3]

"""Streaming readers for delivered files: CSV, JSON Lines and XLSX.

Each reader yields `Chunk`s of at most `chunk_rows` rows as raw text columns, with the row number
of every row (the header is row 1, as a spreadsheet shows it) and the rows that could not even be
split into fields. Memory is bounded by the chunk size, whatever the size of the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import sys
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

LIST_SEPARATOR = ";"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class FileError(ValueError):
    """The whole file cannot be read: wrong encoding, no header, not the format it claims."""


@dataclass
class BadRow:
    """A row that could not be split into fields; it goes to quarantine as it was."""

    row: int
    reason: str
    raw: str


@dataclass
class Chunk:
    """Up to `chunk_rows` rows: raw values by column, their row numbers and rows that failed."""

    columns: dict[str, list[str | None]]
    rows: list[int]
    bad: list[BadRow] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


@lru_cache(maxsize=4096)
def column_key(header: str) -> str:
    """A delivered column name as a contract field name: `Date of Birth` -> `date_of_birth`."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _header(names: list[str]) -> list[str]:
    keys = [column_key(n) for n in names]
    if not any(keys):
        raise FileError("the first row is empty: a header row naming the columns is required")
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise FileError(f"column {key!r} appears twice in the header")
        seen.add(key)
    return keys


def _empty(keys: list[str]) -> dict[str, list[str | None]]:
    return {k: [] for k in keys if k}


def _decoded(stream: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")


def read_csv(stream: IO[bytes], chunk_rows: int) -> Iterator[Chunk]:
    """Stream a UTF-8 CSV with a header row (quoted fields may hold commas and new lines)."""
    text = _decoded(stream)
    reader = csv.reader(text)
    try:
        names = next(reader)
    except StopIteration:
        raise FileError("the file is empty: a header row naming the columns is required") from None
    except UnicodeDecodeError:
        raise FileError(_NOT_UTF8.format(line=_bad_utf8_line(stream))) from None
    except csv.Error as exc:
        raise FileError(f"the header row is not valid CSV ({exc})") from None
    keys = _header(names)
    width = len(keys)
    wanted = [i for i, k in enumerate(keys) if k]
    buffer: list[list[str]] = []
    numbers: list[int] = []
    bad: list[BadRow] = []
    row = 1

    def chunk() -> Chunk:
        columns = list(zip(*buffer, strict=True)) if buffer else [() for _ in keys]
        return Chunk({keys[i]: list(columns[i]) for i in wanted}, numbers, bad)

    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError:
            raise FileError(_NOT_UTF8.format(line=_bad_utf8_line(stream))) from None
        except csv.Error as exc:
            row += 1
            bad.append(BadRow(row, f"not valid CSV ({exc})", ""))
            continue
        row += 1
        if len(values) == width:
            buffer.append(values)
            numbers.append(row)
        elif values and (len(values) > 1 or values[0].strip()):
            bad.append(BadRow(row, f"row has {len(values)} values but the header has {width} "
                                   "columns", ",".join(values)))
        # else: a blank line is not a row
        if len(buffer) + len(bad) >= chunk_rows:
            yield chunk()
            buffer, numbers, bad = [], [], []
    yield chunk()


_NOT_UTF8 = "not UTF-8 text (first bad byte on line {line}); save the file as CSV UTF-8"


def _bad_utf8_line(stream: IO[bytes]) -> str:
    """The line holding the first byte that is not UTF-8 (found again from the start)."""
    if not stream.seekable():
        return "?"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    line = 1
    while block := stream.read(1 << 20):
        try:
            decoder.decode(block)
        except UnicodeDecodeError as exc:
            return str(line + block[: exc.start].count(b"\n"))
        line += block.count(b"\n")
    return "?"


def _cell(value: Any) -> str | None:
    """A JSON or spreadsheet value as delivered text (lists joined with `;`)."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # a spreadsheet date is a datetime at midnight
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(_cell(v)) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _records_to_chunks(
    records: Iterator[tuple[int, dict[str, Any] | BadRow]], chunk_rows: int
) -> Iterator[Chunk]:
    """Group dict records into chunks whose columns are the union of the keys seen."""
    pending: list[tuple[int, dict[str, Any]]] = []
    bad: list[BadRow] = []

    def flush() -> Chunk:
        keys: dict[str, None] = {}
        for _, rec in pending:
            keys.update(dict.fromkeys(rec))
        columns: dict[str, list[str | None]] = {k: [_cell(r.get(k)) for _, r in pending]
                                                 for k in keys}
        return Chunk(columns, [n for n, _ in pending], list(bad))

    for number, item in records:
        if isinstance(item, BadRow):
            bad.append(item)
        else:
            pending.append((number, item))
        if len(pending) + len(bad) >= chunk_rows:
            yield flush()
            pending, bad = [], []
    yield flush()


def read_jsonl(stream: IO[bytes], chunk_rows: int) -> Iterator[Chunk]:
    """Stream JSON Lines: one object per line; row N is line N (there is no header)."""

    def records() -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
        any_line = False
        lines = _decoded(stream)
        number = 0
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise FileError(_NOT_UTF8.format(line=_bad_utf8_line(stream))) from None
            number += 1
            if not line.strip():
                continue
            any_line = True
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, BadRow(number, f"line is not valid JSON ({exc.msg})", line.strip())
                continue
            if not isinstance(obj, dict):
                yield number, BadRow(number, "line is not a JSON object", line.strip())
                continue
            yield number, {column_key(k): v for k, v in obj.items()}
        if not any_line:
            raise FileError("the file is empty: no JSON lines")

    return _records_to_chunks(records(), chunk_rows)


def read_xlsx(stream: IO[bytes], chunk_rows: int) -> Iterator[Chunk]:
    """Stream the first sheet of an XLSX workbook; its first row is the header."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(f"not a readable XLSX workbook ({exc.__class__.__name__})") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        names = [str(v) if v is not None else "" for v in next(rows)]
    except StopIteration:
        raise FileError("the first sheet is empty: a header row is required") from None
    keys = _header(names)

    def records() -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield number, {k: v for k, v in zip(keys, values, strict=False) if k}

    try:
        yield from _records_to_chunks(records(), chunk_rows)
    finally:
        book.close()


READERS = {".csv": read_csv, ".jsonl": read_jsonl, ".xlsx": read_xlsx}

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from safeguard.ingest.limits import DEFAULT, Limits, archive_problem, json_depth_exceeds

LIST_SEPARATOR = ";"
#: A JSON line with more opening brackets than this is checked for depth before a parser sees it
#: (Arrow's reader crashes the process on deeply nested JSON; Python's runs out of stack). A
#: delivered record nests two levels: the object and a list.
JSON_DEPTH = 32


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


def _too_wide(count: int, limits: Limits) -> FileError:
    return FileError(
        f"the header has {count:,} columns; at most {limits.columns:,} are accepted "
        "(SAFEGUARD_INGEST_MAX_COLUMNS)"
    )


def _too_long(where: str, limits: Limits) -> FileError:
    return FileError(
        f"{where}: a value is longer than {limits.field_bytes:,} characters "
        "(SAFEGUARD_INGEST_MAX_FIELD_BYTES)"
    )


def _header(names: list[str], limits: Limits = DEFAULT) -> list[str]:
    if len(names) > limits.columns:
        raise _too_wide(len(names), limits)
    keys = [column_key(n) for n in names]
    if not any(keys):
        raise FileError("the first row is empty: a header row naming the columns is required")
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise FileError(f"column {key!r} appears twice in the header")
        seen.add(key)
    return keys


def _decoded(stream: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")


def _field_too_large(exc: csv.Error) -> bool:
    return "field larger than field limit" in str(exc)


def read_csv(stream: IO[bytes], chunk_rows: int, limits: Limits = DEFAULT) -> Iterator[Chunk]:
    """Stream a UTF-8 CSV with a header row (quoted fields may hold commas and new lines)."""
    text = _decoded(stream)
    csv.field_size_limit(limits.field_bytes)  # the csv module's limit is one for the process
    reader = csv.reader(text)
    try:
        names = next(reader)
    except StopIteration:
        raise FileError("the file is empty: a header row naming the columns is required") from None
    except UnicodeDecodeError:
        raise FileError(_NOT_UTF8.format(line=_bad_utf8_line(stream))) from None
    except csv.Error as exc:
        if _field_too_large(exc):
            raise _too_long("the header row", limits) from None
        raise FileError(f"the header row is not valid CSV ({exc})") from None
    keys = _header(names, limits)
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
            if _field_too_large(exc):
                raise _too_long(f"row {row + 1} (line {reader.line_num})", limits) from None
            row += 1
            bad.append(BadRow(row, f"not valid CSV ({exc})", ""))
            continue
        row += 1
        if len(values) == width:
            buffer.append(values)
            numbers.append(row)
        elif values and (len(values) > 1 or values[0].strip()):
            bad.append(
                BadRow(
                    row,
                    f"row has {len(values)} values but the header has {width} columns",
                    ",".join(values),
                )
            )
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
        if not value:
            return None
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
        columns: dict[str, list[str | None]] = {
            k: [_cell(r.get(k)) for _, r in pending] for k in keys
        }
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


def _brackets(line: str | bytes) -> int:
    if isinstance(line, bytes):
        return line.count(b"[") + line.count(b"{")
    return line.count("[") + line.count("{")


def _jsonl_objects(
    lines: list[str], first: int, limits: Limits = DEFAULT
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    """Decode JSON lines one by one (the careful path: names every bad line)."""
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        if _brackets(line) > JSON_DEPTH and json_depth_exceeds(line, JSON_DEPTH):
            reason = f"line nests more than {JSON_DEPTH} levels deep"
            yield number, BadRow(number, reason, line.strip()[:500])
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, BadRow(number, f"line is not valid JSON ({exc.msg})", line.strip())
            continue
        if not isinstance(obj, dict):
            yield number, BadRow(number, "line is not a JSON object", line.strip())
            continue
        if len(obj) > limits.columns:
            raise FileError(
                f"line {number}: {len(obj):,} fields; at most {limits.columns:,} are accepted "
                "(SAFEGUARD_INGEST_MAX_COLUMNS)"
            )
        yield number, {column_key(k): v for k, v in obj.items()}


def _arrow_value(column: pa.ChunkedArray) -> list[str | None] | None:
    """A column Arrow parsed, as delivered text; None when only the careful path will do."""
    kind = column.type
    if pa.types.is_string(kind):
        return column.to_pylist()  # type: ignore[no-any-return]
    if pa.types.is_list(kind) and pa.types.is_string(kind.value_type):
        joined = pc.binary_join(column, LIST_SEPARATOR)
        return pc.if_else(pc.equal(joined, ""), None, joined).to_pylist()  # type: ignore[no-any-return]
    return None


def _jsonl_block(
    block: list[bytes], first: int, schema: pa.Schema | None, limits: Limits = DEFAULT
) -> Chunk | None:
    """The fast path for a block of lines: Arrow's JSON reader, for plain blocks only."""
    if schema is None or any(not line.strip() or _brackets(line) > JSON_DEPTH for line in block):
        return None
    try:
        table = pa_json.read_json(
            io.BytesIO(b"".join(block)),
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="infer"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != len(block) or table.num_columns > limits.columns:
        return None  # the careful path names the line that is too wide
    columns: dict[str, list[str | None]] = {}
    for name in table.column_names:
        values = _arrow_value(table.column(name))
        if values is None or column_key(name) != name:
            return None
        columns[name] = values
    return Chunk(columns, list(range(first, first + len(block))))


def read_jsonl(
    stream: IO[bytes],
    chunk_rows: int,
    schema: pa.Schema | None = None,
    limits: Limits = DEFAULT,
) -> Iterator[Chunk]:
    """Stream JSON Lines: one object per line; row N is line N (there is no header).

    Blocks of plain lines are parsed by Arrow against `schema` (text fields as strings, list
    fields as lists); any block Arrow will not take whole is decoded line by line instead.
    """
    first, any_line = 1, False
    block: list[bytes] = []

    def flush() -> Iterator[Chunk]:
        try:
            text = [line.decode("utf-8") for line in block]
        except UnicodeDecodeError:
            raise FileError(_NOT_UTF8.format(line=_bad_utf8_line(stream))) from None
        fast = _jsonl_block(block, first, schema, limits)
        yield (
            fast
            if fast is not None
            else next(_records_to_chunks(_jsonl_objects(text, first, limits), len(block) + 1))
        )

    # a line is read only up to the limit, so one endless line cannot fill the memory
    while raw := stream.readline(limits.field_bytes + 2):
        if len(raw.rstrip(b"\r\n")) > limits.field_bytes:
            raise FileError(
                f"line {first + len(block)} is longer than {limits.field_bytes:,} bytes "
                "(SAFEGUARD_INGEST_MAX_FIELD_BYTES)"
            )
        line = raw.removeprefix(b"\xef\xbb\xbf") if first == 1 and not block else raw
        any_line = any_line or bool(line.strip())
        block.append(line)
        if len(block) >= chunk_rows:
            yield from flush()
            first += len(block)
            block = []
    if block:
        yield from flush()
    if not any_line:
        raise FileError("the file is empty: no JSON lines")


def _workbook_problem(stream: IO[bytes], limits: Limits) -> str | None:
    """A workbook is a zip: the same bounds as a delivery's zip, checked before it is opened."""
    import zipfile

    try:
        with zipfile.ZipFile(stream) as archive:
            problem = archive_problem(archive, limits)
    except zipfile.BadZipFile:
        return None  # load_workbook says so
    stream.seek(0)
    return problem


def read_xlsx(stream: IO[bytes], chunk_rows: int, limits: Limits = DEFAULT) -> Iterator[Chunk]:
    """Stream the first sheet of an XLSX workbook; its first row is the header."""
    import zipfile

    from openpyxl import load_workbook

    problem = _workbook_problem(stream, limits)
    if problem:
        raise FileError(problem.replace("the zip", "the workbook"))
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
    keys = _header(names, limits)

    def records() -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if any(isinstance(v, str) and len(v) > limits.field_bytes for v in values):
                raise _too_long(f"row {number}", limits)
            yield number, {k: v for k, v in zip(keys, values, strict=False) if k}

    try:
        yield from _records_to_chunks(records(), chunk_rows)
    finally:
        book.close()


def read(
    suffix: str,
    stream: IO[bytes],
    chunk_rows: int,
    schema: pa.Schema | None = None,
    limits: Limits = DEFAULT,
) -> Iterator[Chunk]:
    """Stream a delivered file by its suffix (`.csv`, `.jsonl`, `.xlsx`); `schema` (text fields as
    strings, list fields as lists) lets JSON Lines take Arrow's fast path; `limits` bound the
    length of a value and the number of columns."""
    if suffix == ".jsonl":
        return read_jsonl(stream, chunk_rows, schema, limits)
    if suffix == ".xlsx":
        return read_xlsx(stream, chunk_rows, limits)
    return read_csv(stream, chunk_rows, limits)

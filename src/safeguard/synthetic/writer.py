"""Write deliveries byte-for-byte reproducibly: CSV (pyarrow), JSON Lines and XLSX, plus manifest.

Reproducible means no clocks and no hash ordering: the XLSX zip gets fixed timestamps and
document properties, JSON keys keep the contract's field order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from openpyxl import Workbook

from safeguard.contract import CONTRACT_VERSION, KINDS, MANIFEST_NAME
from safeguard.synthetic.agencies import Agency
from safeguard.synthetic.period import Period
from safeguard.synthetic.types import Strs

_FIXED = dt.datetime(2026, 10, 31, 0, 0, 0)  # noqa: DTZ001 - a document property, not a time


def write_csv(path: Path, columns: dict[str, Strs]) -> None:
    """A UTF-8 CSV with a header; empty values are written as empty fields."""
    arrays = [pa.array(v.astype(str), type=pa.string(), mask=(v == "")) for v in columns.values()]
    table = pa.table(arrays, names=list(columns))
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))


def write_jsonl(path: Path, kind: str, columns: dict[str, Strs]) -> None:
    """One JSON object per line; empty values left out, list fields as JSON arrays."""
    spec = KINDS[kind]
    lists = {f.name for f in spec.fields if f.is_list}
    names = list(columns)
    values = [columns[n].tolist() for n in names]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in zip(*values, strict=True):
            obj = {
                n: (v.split(";") if n in lists else v) for n, v in zip(names, row, strict=True) if v
            }
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_xlsx(path: Path, kind: str, columns: dict[str, Strs]) -> None:
    """A one-sheet workbook (write-only mode) with fixed timestamps, so the bytes never vary."""
    book = Workbook(write_only=True)
    book.properties.created = _FIXED
    book.properties.modified = _FIXED
    sheet = book.create_sheet(kind)
    sheet.append(list(columns))
    for row in zip(*(c.tolist() for c in columns.values()), strict=True):
        sheet.append([v or None for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    _normalise_zip(buffer.getvalue(), path)


def _normalise_zip(data: bytes, path: Path) -> None:
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = body.replace(_now_stamp(body), b"2026-10-31T00:00:00Z")
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 10, 31, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, body)


def _now_stamp(body: bytes) -> bytes:
    """openpyxl stamps `modified` with the clock even when set; find that stamp to replace it."""
    marker = b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
    start = body.find(marker)
    if start < 0:
        return b"\x00never\x00"
    start += len(marker)
    return body[start : body.find(b"<", start)]


def write_delivery(
    folder: Path, agency: Agency, tables: dict[str, dict[str, Strs]], period: Period
) -> dict[str, str]:
    """Write every table and the manifest; returns file name -> kind."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for kind, columns in tables.items():
        suffix = agency.suffix(kind)
        name = f"{kind}.{suffix}"
        target = folder / name
        if suffix == "jsonl":
            write_jsonl(target, kind, columns)
        elif suffix == "xlsx":
            write_xlsx(target, kind, columns)
        else:
            write_csv(target, columns)
        files[name] = kind
    manifest = {
        "agency": agency.code,
        "agency_name": agency.name,
        "extract_date": period.end.isoformat(),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "contract_version": CONTRACT_VERSION,
        "files": dict(sorted(files.items())),
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return files


def empty_strings(n: int) -> Strs:
    return np.full(n, "", dtype=str)

"""What a delivered file really holds, from its first bytes: a file whose name says `.csv` but
holds a zip, a PDF or binary data is refused before any of it is read as rows."""

from __future__ import annotations

#: How much of a file is looked at.
HEAD_BYTES = 8192

ZIP_MAGIC = b"PK\x03\x04"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (ZIP_MAGIC, "a zip archive (an XLSX workbook? then name it .xlsx)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office file such as .xls (save it as .xlsx or CSV UTF-8)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PAR1", "a Parquet file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xff\xfe", "UTF-16 text (save it as CSV UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (save it as CSV UTF-8)"),
)


def _looks_like(head: bytes) -> str | None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head:
        return "binary data (NUL bytes), not text"
    return None


def mismatch(suffix: str, head: bytes) -> str | None:
    """Why a file's first bytes contradict its name's suffix, or None when they agree."""
    if suffix == ".xlsx":
        if head.startswith(ZIP_MAGIC):
            return None
        found = _looks_like(head) or "text"
        return f"is named .xlsx but is not a workbook: it holds {found}"
    what = _looks_like(head)
    if what is None:
        return None
    return f"is named {suffix} but holds {what}"

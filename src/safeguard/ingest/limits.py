"""Bounds on what a delivery may ask of the hub: how much a zip may unpack to, how long a value and
how wide a row may be, how deep a manifest may nest.

A delivery is untrusted input. Each bound turns what could exhaust memory, disk or the stack into a
refusal that says what was too big and where. The defaults are generous for real extracts; the
settings `SAFEGUARD_INGEST_MAX_*` change them (docs/configuration.md).
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

#: A manifest is a few hundred bytes; this is far more than any real one.
MANIFEST_BYTES = 1 << 20
#: How deep a manifest's JSON may nest (a real one nests two levels).
MANIFEST_DEPTH = 32
#: Files in one zip (a delivery holds a handful; a workbook a few dozen parts).
ZIP_MEMBERS = 10_000
#: Members smaller than this are not judged by their compression ratio (small text compresses
#: well and can do no harm).
RATIO_FLOOR = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The bounds one ingest applies (`Settings.ingest_limits()` builds them from settings)."""

    unpacked_bytes: int = 20 << 30
    zip_ratio: int = 200
    field_bytes: int = 1 << 20
    columns: int = 1_000


DEFAULT = Limits()


def _unsafe_name(name: str) -> bool:
    """A member path that would land outside the folder it was unpacked into."""
    path = name.replace("\\", "/")
    drive = len(path) > 1 and path[1] == ":"
    return path.startswith("/") or drive or ".." in PurePosixPath(path).parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def archive_problem(archive: zipfile.ZipFile, limits: Limits) -> str | None:
    """What makes a zip unsafe to read (paths escaping the folder, links, a bomb), or None.

    Sizes are the ones the zip declares; Python's zipfile never unpacks more than a member
    declares (and fails its checksum if the data says otherwise), so the bound holds.
    """
    members = archive.infolist()
    if len(members) > ZIP_MEMBERS:
        return f"the zip holds {len(members):,} files; at most {ZIP_MEMBERS:,} are accepted"
    total = 0
    for info in members:
        if _unsafe_name(info.filename):
            return f"the zip member {info.filename!r} points outside the delivery folder"
        if _is_symlink(info):
            return f"the zip member {info.filename!r} is a symbolic link; deliveries hold files"
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.zip_ratio:
            return (
                f"the zip member {info.filename!r} unpacks to {ratio:,.0f} times its packed size "
                f"(at most {limits.zip_ratio:,}, SAFEGUARD_INGEST_MAX_ZIP_RATIO): a zip bomb?"
            )
        total += info.file_size
        if total > limits.unpacked_bytes:
            return (
                f"the zip unpacks to more than {limits.unpacked_bytes:,} bytes "
                "(SAFEGUARD_INGEST_MAX_UNPACKED_BYTES)"
            )
    return None


def json_depth_exceeds(text: str, depth: int) -> bool:
    """Whether JSON text nests objects and arrays deeper than `depth` (strings are skipped), found
    without parsing it, so a hostile document cannot exhaust the parser's stack."""
    level, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            if level > depth:
                return True
        elif char in "]}":
            level -= 1
    return False

"""A delivery as it arrives: a folder or a zip holding `manifest.json` and data files.

Opening a delivery reads its manifest, names the kind of every file and computes checksums (of each
file and of the delivery as a whole), so that the same delivery ingested twice is recognised.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from safeguard.contract.manifest import (
    FILE_SUFFIXES,
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    parse_manifest,
)


class NotADelivery(ValueError):
    """The path is not a delivery: missing, no manifest, or a bad manifest."""


@dataclass(frozen=True)
class DeliveredFile:
    """One data file of a delivery."""

    name: str
    kind: str | None
    size: int
    sha256: str

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass(frozen=True)
class DeliverySource:
    """An opened delivery: where it is, what its manifest says, its files and its checksum."""

    path: Path
    manifest: Manifest
    files: tuple[DeliveredFile, ...]
    checksum: str
    ignored: tuple[str, ...]

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        """Open one of the delivery's files for reading, from the folder or inside the zip."""
        if self.path.is_dir():
            with (self.path / name).open("rb") as stream:
                yield stream
        else:
            with (
                zipfile.ZipFile(self.path) as archive,
                archive.open(_zip_names(archive)[name]) as s,
            ):
                yield s


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while block := stream.read(1 << 20):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def _zip_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member names keyed by their base name, so a zip of a folder works as well as a flat zip."""
    return {
        PurePosixPath(n).name: n
        for n in archive.namelist()
        if not n.endswith("/") and not PurePosixPath(n).name.startswith(".") and "__MACOSX" not in n
    }


def _listing(path: Path) -> dict[str, bytes | Path]:
    if path.is_dir():
        return {
            p.name: p for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith(".")
        }
    try:
        with zipfile.ZipFile(path) as archive:
            names = _zip_names(archive)
            return {
                name: archive.read(member) if name == MANIFEST_NAME else path
                for name, member in sorted(names.items())
            }
    except zipfile.BadZipFile:
        raise NotADelivery(
            f"{path}: not a delivery (a folder or a .zip with {MANIFEST_NAME})"
        ) from None


def open_delivery(path: Path) -> DeliverySource:
    """Read a delivery's manifest and list its files with their kinds and checksums."""
    if not path.exists():
        raise NotADelivery(f"{path}: no such file or folder")
    listing = _listing(path)
    if MANIFEST_NAME not in listing:
        raise NotADelivery(
            f"{path}: not a delivery: no {MANIFEST_NAME} (it names the agency, extract date and "
            "period covered; see docs/data-contract.md)"
        )
    entry = listing[MANIFEST_NAME]
    manifest_bytes = entry if isinstance(entry, bytes) else entry.read_bytes()
    try:
        manifest = parse_manifest(manifest_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NotADelivery(f"{path}: {MANIFEST_NAME} is not UTF-8 text") from None
    except ManifestError as exc:
        raise NotADelivery(f"{path}: {exc}") from None
    source = DeliverySource(path, manifest, (), "", ())
    files, ignored = [], []
    for name in listing:
        if name == MANIFEST_NAME:
            continue
        if PurePosixPath(name).suffix.lower() not in FILE_SUFFIXES and name not in manifest.files:
            ignored.append(name)
            continue
        with source.open(name) as stream:
            sha, size = _sha256(stream)
        files.append(DeliveredFile(name, manifest.kind_of(name), size, sha))
    missing = sorted(set(manifest.files) - set(listing))
    if missing:
        raise NotADelivery(f"{path}: the manifest lists files that are not there: {missing}")
    digest = hashlib.sha256(manifest_bytes)
    for f in files:
        digest.update(f"\n{f.name}\t{f.sha256}".encode())
    return DeliverySource(path, manifest, tuple(files), digest.hexdigest(), tuple(ignored))

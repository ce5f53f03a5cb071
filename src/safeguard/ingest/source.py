"""A delivery as it arrives: a folder or a zip holding `manifest.json` and data files.

Opening a delivery reads its manifest, names the kind of every file and computes checksums (of each
file and of the delivery as a whole), so that the same delivery ingested twice is recognised.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
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
from safeguard.ingest.limits import (
    DEFAULT,
    MANIFEST_BYTES,
    MANIFEST_DEPTH,
    Limits,
    archive_problem,
    json_depth_exceeds,
)

#: What reading a damaged, encrypted or lying zip member raises.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


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
    out: dict[str, str] = {}
    for n in archive.namelist():
        name = PurePosixPath(n).name
        if n.endswith("/") or name.startswith(".") or "__MACOSX" in n:
            continue
        if name in out:
            raise NotADelivery(f"the zip holds two files named {name!r}: {out[name]!r} and {n!r}")
        out[name] = n
    return out


def _folder_listing(path: Path) -> dict[str, bytes | Path]:
    listing: dict[str, bytes | Path] = {}
    for p in sorted(path.iterdir()):
        if p.is_symlink():
            raise NotADelivery(
                f"{path}: {p.name} is a symbolic link; a delivery holds its files, links are "
                "never followed"
            )
        if p.is_file() and not p.name.startswith("."):
            listing[p.name] = p
    manifest = listing.get(MANIFEST_NAME)
    if isinstance(manifest, Path):
        if manifest.stat().st_size > MANIFEST_BYTES:
            raise NotADelivery(f"{path}: {MANIFEST_NAME} is larger than {MANIFEST_BYTES:,} bytes")
        listing[MANIFEST_NAME] = manifest.read_bytes()
    return listing


def _zip_listing(path: Path, limits: Limits) -> dict[str, bytes | Path]:
    with zipfile.ZipFile(path) as archive:
        problem = archive_problem(archive, limits)
        if problem:
            raise NotADelivery(f"{path}: {problem}")
        try:
            names = _zip_names(archive)
        except NotADelivery as exc:
            raise NotADelivery(f"{path}: {exc}") from None
        listing: dict[str, bytes | Path] = dict.fromkeys(sorted(names), path)
        if MANIFEST_NAME in names:
            member = archive.getinfo(names[MANIFEST_NAME])
            if member.file_size > MANIFEST_BYTES:
                raise NotADelivery(
                    f"{path}: {MANIFEST_NAME} is larger than {MANIFEST_BYTES:,} bytes"
                )
            try:
                listing[MANIFEST_NAME] = archive.read(member)
            except ZIP_ERRORS as exc:
                raise NotADelivery(f"{path}: {MANIFEST_NAME} cannot be unpacked ({exc})") from None
        return listing


def _listing(path: Path, limits: Limits) -> dict[str, bytes | Path]:
    if path.is_dir():
        return _folder_listing(path)
    try:
        return _zip_listing(path, limits)
    except zipfile.BadZipFile:
        raise NotADelivery(
            f"{path}: not a delivery (a folder or a .zip with {MANIFEST_NAME})"
        ) from None


def _manifest(path: Path, data: bytes) -> Manifest:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotADelivery(f"{path}: {MANIFEST_NAME} is not UTF-8 text") from None
    if json_depth_exceeds(text, MANIFEST_DEPTH):
        raise NotADelivery(
            f"{path}: {MANIFEST_NAME} nests more than {MANIFEST_DEPTH} levels deep; a manifest "
            "is a flat object (see docs/data-contract.md)"
        )
    try:
        return parse_manifest(text)
    except ManifestError as exc:
        raise NotADelivery(f"{path}: {exc}") from None


def open_delivery(path: Path, limits: Limits = DEFAULT) -> DeliverySource:
    """Read a delivery's manifest and list its files with their kinds and checksums; refuse a
    delivery that is unsafe to read (see `safeguard.ingest.limits`)."""
    if not path.exists():
        raise NotADelivery(f"{path}: no such file or folder")
    listing = _listing(path, limits)
    if MANIFEST_NAME not in listing:
        raise NotADelivery(
            f"{path}: not a delivery: no {MANIFEST_NAME} (it names the agency, extract date and "
            "period covered; see docs/data-contract.md)"
        )
    manifest_bytes = listing[MANIFEST_NAME]
    assert isinstance(manifest_bytes, bytes)
    manifest = _manifest(path, manifest_bytes)
    source = DeliverySource(path, manifest, (), "", ())
    files, ignored = [], []
    for name in listing:
        if name == MANIFEST_NAME:
            continue
        if PurePosixPath(name).suffix.lower() not in FILE_SUFFIXES and name not in manifest.files:
            ignored.append(name)
            continue
        try:
            with source.open(name) as stream:
                sha, size = _sha256(stream)
        except ZIP_ERRORS as exc:
            raise NotADelivery(f"{path}: {name} cannot be unpacked ({exc})") from None
        files.append(DeliveredFile(name, manifest.kind_of(name), size, sha))
    missing = sorted(set(manifest.files) - set(listing))
    if missing:
        raise NotADelivery(f"{path}: the manifest lists files that are not there: {missing}")
    digest = hashlib.sha256(manifest_bytes)
    for f in files:
        digest.update(f"\n{f.name}\t{f.sha256}".encode())
    return DeliverySource(path, manifest, tuple(files), digest.hexdigest(), tuple(ignored))

"""A backup archive: one tar file holding the database's snapshot (`database/...`) and the data
folder's files (`files/...`), with `manifest.json` last: each member's size and SHA-256, the rows
in each table, the migrations applied, the store's kind and when it was made.

Reading one checks every member against the manifest before anything is restored, and checks
each again as it is extracted; a member missing, added, cut short or changed refuses the whole
archive (`Broken`). The archive is written under a temporary name with permissions 0600 and
renamed into place when complete, so a backup that fails leaves no file that looks whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database"
FILES = "files"
PERSONAL_DATA = (
    "This backup holds personal data about children and the adults around them. Keep it on "
    "encrypted storage that only the hub's data operators can read, and destroy it when its "
    "retention ends."
)
_CHUNK = 1 << 20


class Broken(Exception):
    """The archive is not a whole, unchanged Safeguard backup; nothing was restored."""


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """What a backup holds (`members` is filled in as the archive is written)."""

    created_at: str
    store: str  # "sqlite" or "postgresql"
    tables: dict[str, int]
    migrations: list[str]  # "app.name", every migration the database had applied
    members: dict[str, Member] = field(default_factory=dict)
    format: int = FORMAT
    personal_data: str = PERSONAL_DATA

    def rows(self) -> int:
        return sum(self.tables.values())

    def files(self) -> list[str]:
        """The data folder's files, relative to it."""
        return [name.removeprefix(f"{FILES}/") for name in self.members if _top(name) == FILES]

    def database(self) -> str:
        """The database's member."""
        (name,) = (name for name in self.members if _top(name) == DATABASE)
        return name

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != FORMAT:
            raise Broken(f"backup format {data.get('format')!r}: this Safeguard reads {FORMAT}")
        members = {name: Member(**m) for name, m in data["members"].items()}
        return cls(**{**data, "members": members})


def _top(name: str) -> str:
    return PurePosixPath(name).parts[0]


class _Hashing:
    """A file read through, its SHA-256 kept as it goes (tarfile reads exactly `size` bytes)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.digest = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.digest.update(chunk)
        return chunk


def write(out: Path, head: Manifest, database: Path, files: Iterable[tuple[str, Path]]) -> Manifest:
    """Write the archive to `out` (refused if it exists): the database snapshot `database`,
    then each of `files` (name relative to the data folder, path), then the manifest."""
    partial = out.with_name(f".{out.name}.partial")
    members: dict[str, Member] = {}
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            named = [(f"{DATABASE}/{database.name}", database)]
            named += [(f"{FILES}/{name}", path) for name, path in files]
            for name, path in named:
                members[name] = _add(tar, name, path)
            manifest = Manifest(**{**asdict(head), "members": members})
            text = json.dumps(manifest.to_json(), indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(text), 0o600
            tar.addfile(info, _Bytes(text))
        os.chmod(partial, 0o600)
        if out.exists():
            raise FileExistsError(f"{out} exists: a backup is never written over another file")
        partial.rename(out)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _add(tar: tarfile.TarFile, name: str, path: Path) -> Member:
    """One file into the archive, read once (a file replaced meanwhile is read as it was)."""
    with path.open("rb") as raw:
        info = tarfile.TarInfo(name)
        info.size, info.mode = os.fstat(raw.fileno()).st_size, 0o600
        reading = _Hashing(raw)
        tar.addfile(info, reading)
    return Member(reading.digest.hexdigest(), info.size)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and len(path.parts) >= 2
        and _top(name) in (DATABASE, FILES)
    )


def verify(path: Path) -> Manifest:
    """The archive's manifest, once every member has been read and matched it; else `Broken`
    saying what is wrong. Nothing is written."""
    found: dict[str, Member] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                if info.name == MANIFEST and info.isfile():
                    manifest = json.loads(_read(tar, info))
                elif info.isfile() and _safe(info.name) and info.name not in found:
                    found[info.name] = _digest(tar, info)
                else:
                    raise Broken(f"{path}: unexpected member {info.name!r}")
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise Broken(f"{path} cannot be read whole ({error}): cut short or not a backup") from None
    if manifest is None:
        raise Broken(f"{path} has no manifest: cut short, or not a Safeguard backup")
    try:
        read = Manifest.from_json(manifest)
    except (KeyError, TypeError) as error:
        raise Broken(f"{path}: the manifest is not a Safeguard backup's ({error})") from None
    problems = _differences(read.members, found)
    if problems:
        raise Broken(f"{path} does not match its manifest: {'; '.join(problems[:5])}")
    return read


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(info)
    assert handle is not None
    return handle.read()


def _digest(tar: tarfile.TarFile, info: tarfile.TarInfo) -> Member:
    handle = tar.extractfile(info)
    assert handle is not None
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return Member(digest.hexdigest(), size)


def _differences(expected: dict[str, Member], found: dict[str, Member]) -> list[str]:
    problems = [f"{name} is missing" for name in expected if name not in found]
    problems += [f"{name} is not in the manifest" for name in found if name not in expected]
    problems += [
        f"{name}: SHA-256 or size differs (changed or cut short)"
        for name, member in expected.items()
        if name in found and found[name] != member
    ]
    if not any(_top(name) == DATABASE for name in expected):
        problems.append("no database in the manifest")
    return problems


def extract(path: Path, manifest: Manifest, into: Path) -> None:
    """Write every member under `into` (a new folder), checking each against `manifest` again
    as it is written; `Broken` if the archive changed since it was verified."""
    into.mkdir(mode=0o700)
    with tarfile.open(path, mode="r:") as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            expected = manifest.members.get(info.name)
            if expected is None or not _safe(info.name):
                raise Broken(f"{path}: unexpected member {info.name!r}")
            target = into / info.name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = tar.extractfile(info)
            assert handle is not None
            digest = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if Member(digest.hexdigest(), target.stat().st_size) != expected:
                raise Broken(f"{path}: {info.name} changed since it was checked")

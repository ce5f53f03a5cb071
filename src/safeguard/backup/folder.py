"""The data folder's side of a backup: which files it holds besides the embedded database
(landed deliveries, linkage state, analysis outputs, anything else written there), and putting a
restored set of them in place of what is there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

#: The embedded database and SQLite's files beside it: backed up through the database instead.
DATABASE_FILES = ("hub.sqlite3", "hub.sqlite3-wal", "hub.sqlite3-shm", "hub.sqlite3-journal")
#: Work in progress that is not yet part of the hub: deliveries being staged, restores.
PASSING = ("landing/.staging",)
RESTORING = ".restoring"
REPLACED = ".replaced"


def _kept(name: str) -> bool:
    if name in DATABASE_FILES or name.startswith((RESTORING, REPLACED)):
        return False
    return not any(name == p or name.startswith(f"{p}/") for p in PASSING)


def files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """Each file to back up: its name relative to `data_dir` (with `/`), and its path."""
    if not data_dir.is_dir():
        return
    for root, dirs, names in os.walk(data_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            relative = path.relative_to(data_dir).as_posix()
            if _kept(relative) and path.is_file() and not path.is_symlink():
                yield relative, path


def holds_files(data_dir: Path) -> bool:
    return next(files(data_dir), None) is not None


def inside(data_dir: Path, path: Path) -> bool:
    """Is `path` in the data folder (where a backup must not be kept)?"""
    return path.resolve().is_relative_to(data_dir.resolve())


def scratch(data_dir: Path) -> Path:
    """A new folder in the data folder (the same file system) to extract a backup into."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir / f"{RESTORING}-{os.getpid()}"


def replace(data_dir: Path, restored: Path) -> None:
    """Put the files under `restored` in place of the data folder's own (but the database),
    each top-level entry moved aside, the restored ones moved in, then the old ones removed."""
    aside = data_dir / f"{REPLACED}-{os.getpid()}"
    aside.mkdir()
    for entry in sorted(data_dir.iterdir()):
        if _kept(entry.name) and entry != aside:
            entry.rename(aside / entry.name)
    if restored.is_dir():
        for entry in sorted(restored.iterdir()):
            entry.rename(data_dir / entry.name)
    shutil.rmtree(aside)

"""The embedded store (SQLite): a consistent snapshot of the live file through SQLite's online
backup API (never a copy of a file being written), and a restore the same way into the live
file, so readers and the write-ahead log see one whole database before and after."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

KIND = "sqlite"
#: Seconds to wait for a writer to finish before the snapshot or restore takes its lock.
BUSY_SECONDS = 30.0


def snapshot(db: Path, dest: Path) -> tuple[dict[str, int], list[str]]:
    """Copy the database at `db` into the new file `dest`; the rows in each table and the
    migrations applied, read from the copy."""
    with (
        closing(sqlite3.connect(db, timeout=BUSY_SECONDS)) as live,
        closing(sqlite3.connect(dest)) as copy,
    ):
        live.backup(copy)
    return read(dest)


def read(db: Path) -> tuple[dict[str, int], list[str]]:
    """The rows in each table of the database at `db`, and the migrations it has applied."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=BUSY_SECONDS)) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        # names read from sqlite_master itself, quoted
        tables = {name: _count(conn, name) for name in names}
        migrations = []
        if "django_migrations" in tables:
            rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [f"{app}.{name}" for app, name in rows]
    return tables, migrations


def _count(conn: sqlite3.Connection, table: str) -> int:
    quoted = table.replace('"', '""')
    return int(conn.execute(f'SELECT count(*) FROM "{quoted}"').fetchone()[0])  # noqa: S608


def restore(snapshot: Path, db: Path) -> None:
    """Make the database at `db` (made if missing) a copy of `snapshot`, in one step."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(snapshot)) as source,
        closing(sqlite3.connect(db, timeout=BUSY_SECONDS)) as live,
    ):
        source.backup(live)


def holds(db: Path, tables: tuple[str, ...]) -> bool:
    """Does the database at `db` exist with a row in any of `tables`?"""
    if not db.exists():
        return False
    tables_held, _ = read(db)
    return any(tables_held.get(name, 0) for name in tables)

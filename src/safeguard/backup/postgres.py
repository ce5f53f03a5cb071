"""PostgreSQL: a snapshot with `pg_dump` (custom format) taken in the same exported snapshot as
the row counts, so the counts are the dump's; restored with `pg_restore` piped into one `psql`
transaction that first drops the hub's tables, so a failed restore leaves the store as it was.
The client tools (`pg_dump`, `pg_restore`, `psql`; the server's major version or newer) must be
on PATH."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

KIND = "postgresql"
TOOLS = ("pg_dump", "pg_restore", "psql")
#: The dump as a script that drops what it makes before making it, owned by whoever restores.
RESTORE_OPTIONS = ("--clean", "--if-exists", "--no-owner", "--no-privileges")
#: One transaction, stopped at the first error (so rolled back whole).
PSQL_OPTIONS = ("-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction")


class ToolMissing(RuntimeError):
    """PostgreSQL's client tools are not on PATH."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(
            f"{name} is not on PATH: install PostgreSQL's client tools, of the server's major "
            "version or newer (Debian and Ubuntu: apt install postgresql-client)"
        )
    return found


def snapshot(url: str, dest: Path) -> tuple[dict[str, int], list[str]]:
    """Dump the database at `url` into `dest`; the rows in each table and the migrations
    applied, counted in the dump's own snapshot."""
    dump = _tool("pg_dump")
    with psycopg.connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        exported = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert exported is not None
        done = subprocess.run(
            [dump, "--format=custom", f"--snapshot={exported[0]}", f"--file={dest}", url],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {done.stderr.strip()}")
        found = _read(conn)
        conn.rollback()
    return found


def read(url: str) -> tuple[dict[str, int], list[str]]:
    """The rows in each table of the database at `url`, and the migrations it has applied."""
    with psycopg.connect(url) as conn:
        return _read(conn)


def _tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [str(row[0]) for row in rows]


def _read(conn: psycopg.Connection) -> tuple[dict[str, int], list[str]]:
    tables = {}
    for name in _tables(conn):
        counted = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
        tables[name] = int(counted.fetchone()[0])  # type: ignore[index]
    migrations: list[str] = []
    if "django_migrations" in tables:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in rows]
    return tables, migrations


def restore(dump: Path, url: str) -> None:
    """Make the database at `url` hold what `dump` holds: its tables dropped and the dump
    loaded, in one transaction (all or nothing)."""
    restore_tool, psql = _tool("pg_restore"), _tool("psql")
    with psycopg.connect(url) as conn:
        drops = [
            sql.SQL("DROP TABLE IF EXISTS {} CASCADE;").format(sql.Identifier(name)).as_string(conn)
            for name in _tables(conn)
        ]
    script = dump.with_name(f"{dump.name}.sql")
    made = subprocess.run(
        [restore_tool, *RESTORE_OPTIONS, f"--file={script}", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:  # the script is loaded only when whole
        raise RuntimeError(f"pg_restore failed, nothing changed: {made.stderr.strip()}")
    commands = [arg for drop in drops for arg in ("-c", drop)]
    loaded = subprocess.run(
        [psql, *PSQL_OPTIONS, *commands, "-f", str(script), "-d", url],
        capture_output=True,
        text=True,
        check=False,
    )
    script.unlink()
    if loaded.returncode != 0:
        raise RuntimeError(f"restore failed, nothing changed: {loaded.stderr.strip()}")


def holds(url: str, tables: tuple[str, ...]) -> bool:
    """Does the database at `url` have a row in any of `tables`?"""
    with psycopg.connect(url) as conn:
        present = set(_tables(conn))
        for name in tables:
            if name in present:
                query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(name))
                if conn.execute(query).fetchone() == (True,):
                    return True
    return False

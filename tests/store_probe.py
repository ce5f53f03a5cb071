"""Read a CLI subprocess's store directly (SQLite file or PostgreSQL), for tests only."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg


def query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    url = env.get("DATABASE_URL")
    if url:
        with psycopg.connect(url) as conn:
            return list(conn.execute(sql).fetchall())
    with sqlite3.connect(Path(env["SAFEGUARD_DATA_DIR"]) / "hub.sqlite3") as conn:
        return list(conn.execute(sql).fetchall())

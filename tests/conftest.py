"""Shared fixtures: small deliveries written on the fly, and a store for CLI subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.hashers import QUICK

STORE_FIXTURES = {"db", "transactional_db", "cli_env", "django_db_setup"}

MANIFEST = {
    "agency": "cheshire-police",
    "agency_name": "Cheshire Constabulary",
    "extract_date": "2026-10-31",
    "period_start": "2021-11-01",
    "period_end": "2026-10-31",
}


#: Folders whose test files are long (a served hub, a command run many times, a JVM started):
#: handed out first, so that the processes sharing the files (pytest-xdist, a file per process
#: at a time) finish on short ones together, not one waiting while the other runs a long one.
LONG_FIRST = ("browser", "cli", "linkage", "fuzz")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that touch the hub database are marked `store`, to run again on PostgreSQL; the
    long folders' files come first (`LONG_FIRST`)."""
    for item in items:
        if STORE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker(
            "django_db"
        ):
            item.add_marker("store")

    def folder(item: pytest.Item) -> int:
        parts = Path(str(item.path)).parts
        name = parts[parts.index("tests") + 1] if "tests" in parts else ""
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=folder)  # stable: each file's tests keep their order


@pytest.fixture(autouse=True)
def _quick_hashing(request: pytest.FixtureRequest) -> None:
    """Every test that touches the hub's database hashes passwords with the cheapest Argon2
    (`tests/hashers.py`), as Django's testing guide advises; the subprocesses do not."""
    if "store" in request.keywords:
        request.getfixturevalue("settings").PASSWORD_HASHERS = [QUICK]


WriteDelivery = Callable[..., Path]


@pytest.fixture
def write_delivery(tmp_path: Path) -> WriteDelivery:
    """Write a delivery folder: `files` maps file names to text (or bytes); manifest overridable."""

    def write(
        name: str = "delivery",
        files: dict[str, str | bytes] | None = None,
        manifest: dict[str, object] | None = None,
    ) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "manifest.json").write_text(json.dumps({**MANIFEST, **(manifest or {})}))
        for file_name, content in (files or {}).items():
            data = content.encode() if isinstance(content, str) else content
            (folder / file_name).write_bytes(data)
        return folder

    return write


@contextmanager
def fresh_store_env(folder: Path) -> Iterator[dict[str, str]]:
    """Environment for running `safeguard` in a subprocess on a fresh store of its own.

    SQLite in `folder`; or, in the PostgreSQL run (DATABASE_URL set), a fresh database, dropped
    after.
    """
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["SAFEGUARD_DATA_DIR"] = str(folder / "data")
    env["COLUMNS"] = "200"
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield env
        return
    name = f"sg_cli_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh store for CLI subprocesses (see `fresh_store_env`)."""
    with fresh_store_env(tmp_path) as env:
        yield env


@pytest.fixture
def operator_env(cli_env: dict[str, str]) -> dict[str, str]:
    """`cli_env` with a data operator (who takes deliveries, links and analyses) and a MASH
    manager (who decides links, confirms screenings and settles findings); the command line
    acts as the operator unless told `--as mash`."""
    for name, role in (("operator", "data_operator"), ("mash", "mash_manager")):
        made = run_cli(cli_env, "users", "add", name, "--agency", "cheshire-police", "--role", role)
        assert made.returncode == 0, made.stderr
    return {**cli_env, "SAFEGUARD_OPERATOR": "operator"}


def run_cli(
    env: dict[str, str], *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `python -m safeguard ARGS` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "safeguard", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_cli

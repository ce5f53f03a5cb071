"""The hub served for the browser tests (one per test process): a small synthetic partnership
generated, ingested, linked and analysed with the README's commands, served by `safeguard
serve`, with an account for each part the tests play. On SQLite the store is built once per
run and each test process serves a copy of its own (its deliveries' landed files stay where
they were built, read by both). Required in CI (CI=true): a missing
browser or front-end build fails there; elsewhere the tests are skipped with the reason."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import ARGS, AXE, CHROMIUM, CSS, PASSWORD, free_port, need, ok
from tests.conftest import fresh_store_env, run_cli

#: Who the tests sign in as: role and agency.
USERS = {
    "operator": ("data_operator", "cheshire-east-cs"),
    "mash": ("mash_practitioner", "cheshire-east-cs"),
    "manager": ("mash_manager", "cheshire-east-cs"),
    "school": ("school_dsl", "cheshire-schools"),
    "police": ("police_officer", "cheshire-police"),
    "health": ("health_lead", "cheshire-nhs"),
    "auditor": ("auditor", "cheshire-east-cs"),
    "admin": ("administrator", "cheshire-east-cs"),
    "spoc": ("police_spoc", "cheshire-police"),
    "newcomer": ("police_officer", "cheshire-police"),
    "carer": ("home_staff", "childrens-homes"),
    "rhi": ("rhi_worker", "return-interviews"),
    "strategic": ("strategic_lead", "cheshire-east-cs"),
    "lead": ("agency_lead", "cheshire-police"),
}


def _build(env: dict[str, str], folder: Path) -> None:
    """The hub the tests share: the installation's accounts, then the partnership generated,
    ingested, linked and analysed with the README's commands."""
    env["SAFEGUARD_DEMO"] = "true"
    for name, (role, agency) in USERS.items():  # the installation sets up the accounts
        added = subprocess.run(
            [
                sys.executable,
                "-m",
                "safeguard",
                "users",
                "add",
                name,
                "--agency",
                agency,
                "--role",
                role,
                "--password-stdin",
                *(["--enrol-at-sign-in"] if name == "newcomer" else []),
                *(["--team", "MASH"] if name in ("mash", "manager") else []),
            ],
            input=PASSWORD + "\n",
            env=env,
            text=True,
            capture_output=True,
            check=False,
        )
        assert added.returncode == 0, added.stderr
    env["SAFEGUARD_OPERATOR"] = "operator"  # the data operator takes, links and analyses
    partnership = folder / "partnership"
    ok(run_cli(env, "synth", "--out", str(partnership), "--children", "400", "--seed", "3"))
    ok(run_cli(env, "ingest", str(partnership)))
    ok(run_cli(env, "link"))
    ok(run_cli(env, "analyse", "--as-of", "2026-10-31"))


def _built_once(shared: Path) -> Path:
    """The data folder of the hub `_build` made in `shared` (SQLite), made by the first test
    process to ask while the others wait: each then serves a copy of its own."""
    shared.mkdir(parents=True, exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "built").exists():
            with fresh_store_env(shared) as env:
                _build(env, shared)
            (shared / "built").touch()
    return shared / "data"


@contextmanager
def _store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:
    """This process's store: a copy of the shared one on SQLite; on PostgreSQL (DATABASE_URL
    set) a database of its own, built here."""
    folder = tmp_path_factory.mktemp("hub")
    with fresh_store_env(folder) as env:
        if "DATABASE_URL" in env:
            _build(env, folder)
        else:
            base = tmp_path_factory.getbasetemp()
            run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
            shutil.copytree(_built_once(run / "browser-hub"), folder / "data")
            env.update(SAFEGUARD_DEMO="true", SAFEGUARD_OPERATOR="operator")
        yield env, folder


@pytest.fixture(scope="session")
def served_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    need(CHROMIUM.exists(), f"no browser at {CHROMIUM} (apt install chromium)")
    need(AXE.exists() and CSS.exists(), "front-end packages not built (make assets)")
    with _store(tmp_path_factory) as (env, folder):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "safeguard", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.5)
            else:
                server.kill()
                pytest.fail(
                    "the hub did not start: " + (server.stdout.read() if server.stdout else "")
                )
            yield {"base": base, "env": env, "folder": folder}
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture
def browser_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """A browser in which each test opens its own contexts (one per person signed in)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        found = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield found
        finally:
            found.close()

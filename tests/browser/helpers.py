"""What the browser tests share: the browser and its flags, signing in through the real pages
(password, then a fresh one-time code), axe-core on every page (no serious or critical
WCAG 2.2 AA violation), and screenshots when `SAFEGUARD_SCREENSHOTS=DIR` is set
(docs/screenshots/ holds the committed ones)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CSS = ROOT / "node_modules" / ".safeguard" / "safeguard.css"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "a long demo password for tests"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def need(condition: bool, why: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return result.stdout


#: The last code each user signed in with: a code is accepted once (django-otp), so a user
#: signing in again within the same 30 seconds must wait for the next one.
_USED: dict[str, str] = {}


def code(env: dict[str, str], user: str) -> str:
    for _ in range(40):
        found = ok(run_cli(env, "users", "code", user)).strip()
        if found != _USED.get(user):
            _USED[user] = found
            return found
        time.sleep(1)
    raise AssertionError(f"no new one-time code for {user} in 40 seconds")


def _loaded_with_axe(page: Any) -> None:
    """axe-core on the page, once it has loaded: a click on a link returns once the navigation
    has started, so the next page may not have a document to add a script to yet (seen in CI as
    "Cannot read properties of null"); wait for the load and try again, a few times at most."""
    for attempt in range(5):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE))
            return
        except Exception as error:  # playwright's Error: the navigation was still under way
            if attempt == 4 or ("null" not in str(error) and "destroyed" not in str(error)):
                raise
            time.sleep(0.2)


def axe(page: Any, where: str) -> None:
    _loaded_with_axe(page)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{[(n['html'][:120], n.get('failureSummary', '')[:200]) for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{where}: {bad}"


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("SAFEGUARD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(page: Any, hub: dict[str, Any], user: str, check: bool = True) -> None:
    page.goto(hub["base"] + "/accounts/login/")
    if check:
        axe(page, "sign in")
        shot(page, "01-sign-in")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/accounts/verify/**")
    if check:
        axe(page, "one-time code")
    page.fill("#id_otp_token", code(hub["env"], user))
    page.click("button:has-text('Sign in')")
    page.wait_for_url(hub["base"] + "/")
    assert page.locator(f"button:has-text('Sign out {user}')").count() == 1

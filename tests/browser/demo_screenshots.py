"""Screenshots of the MASH pages from a running demo (`make demo`), where the week's contacts
fill the queues: `python -m tests.browser.demo_screenshots URL DATA_DIR OUT_DIR`. The demo's
accounts sign in with the passwords `safeguard users demo` prints, which this resets. Not a
test: the browser tests check the same pages on a smaller hub."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.browser.helpers import ARGS, CHROMIUM, axe


def _passwords(env: dict[str, str]) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "safeguard", "users", "demo"],
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    return dict(re.findall(r"│ (\S+)\s+│ (\S+)\s+│", out))


def _code(env: dict[str, str], user: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "safeguard", "users", "code", user],
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()


def main(base: str, data: str, out: str) -> None:
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "SAFEGUARD_DATA_DIR": data, "SAFEGUARD_DEMO": "true"}
    passwords = _passwords(env)
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for user, pages in (
            ("mash-manager", (("/mash/", "08-mash-queue"), ("/mash/manager/", "11-manager"))),
        ):
            page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
            tab = page.new_page()
            tab.goto(base + "/accounts/login/")
            tab.fill("#id_username", user)
            tab.fill("#id_password", passwords[user])
            tab.click("button:has-text('Continue')")
            tab.fill("#id_otp_token", _code(env, user))
            tab.click("button:has-text('Sign in')")
            tab.wait_for_url(base + "/")
            for path, name in pages:
                tab.goto(base + path)
                axe(tab, path)
                tab.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""The hub end to end in a real browser (Debian's chromium driven by Playwright): a synthetic
partnership generated, ingested, linked and analysed with the README's commands, served by
`safeguard serve`, then used as practitioners would. Every page visited is checked with
axe-core (WCAG 2.2 AA): no serious or critical violations.

Required in CI (CI=true): a missing browser or front-end build fails there; elsewhere the
module is skipped with the reason. `SAFEGUARD_SCREENSHOTS=DIR` saves screenshots of the main
pages (docs/screenshots/ holds the committed ones).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import fresh_store_env, run_cli

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CSS = ROOT / "node_modules" / ".safeguard" / "safeguard.css"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "a long demo password for tests"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def _need(condition: bool, why: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def served_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    _need(CHROMIUM.exists(), f"no browser at {CHROMIUM} (apt install chromium)")
    _need(AXE.exists() and CSS.exists(), "front-end packages not built (make assets)")
    folder = tmp_path_factory.mktemp("hub")
    with fresh_store_env(folder) as env:
        env["SAFEGUARD_DEMO"] = "true"
        users = {
            "operator": ("data_operator", "cheshire-east-cs"),
            "mash": ("mash_practitioner", "cheshire-east-cs"),
            "school": ("school_dsl", "cheshire-schools"),
            "auditor": ("auditor", "cheshire-east-cs"),
            "admin": ("administrator", "cheshire-east-cs"),
            "spoc": ("police_spoc", "cheshire-police"),
            "newcomer": ("police_officer", "cheshire-police"),
        }
        for name, (role, agency) in users.items():  # the installation sets up the accounts
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
                    *(["--team", "MASH"] if name == "mash" else []),
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
        _ok(run_cli(env, "synth", "--out", str(partnership), "--children", "400", "--seed", "3"))
        _ok(run_cli(env, "ingest", str(partnership)))
        _ok(run_cli(env, "link"))
        _ok(run_cli(env, "analyse", "--as-of", "2026-10-31"))
        port = _free_port()
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


def _target(env: dict[str, str]) -> dict[str, Any]:
    """A person with a pair awaiting review, and how to search for them."""
    mash = ("--as", "mash")
    queue = _ok(run_cli(env, *mash, "review", "list", "--limit", "1", "--json")).splitlines()
    assert queue, "the partnership should leave some pairs for review"
    pair = json.loads(queue[0])
    uid = pair["unique_id_l"]
    shown = json.loads(_ok(run_cli(env, *mash, "people", "show", uid, "--json")))
    why = json.loads(_ok(run_cli(env, *mash, "explain", uid, pair["unique_id_r"], "--json")))
    return {"uid": uid, "person": shown["person"], **why["records"][0]}


#: The last code each user signed in with: a code is accepted once (django-otp), so a user
#: signing in again within the same 30 seconds must wait for the next one.
_USED: dict[str, str] = {}


def _code(env: dict[str, str], user: str) -> str:
    for _ in range(40):
        code = _ok(run_cli(env, "users", "code", user)).strip()
        if code != _USED.get(user):
            _USED[user] = code
            return code
        time.sleep(1)
    raise AssertionError(f"no new one-time code for {user} in 40 seconds")


def _axe(page: Any, where: str) -> None:
    page.add_script_tag(path=str(AXE))
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


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("SAFEGUARD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _sign_in(page: Any, hub: dict[str, Any], user: str, axe: bool = True) -> None:
    page.goto(hub["base"] + "/accounts/login/")
    if axe:
        _axe(page, "sign in")
        _shot(page, "01-sign-in")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/accounts/verify/**")
    if axe:
        _axe(page, "one-time code")
    page.fill("#id_otp_token", _code(hub["env"], user))
    page.click("button:has-text('Sign in')")
    page.wait_for_url(hub["base"] + "/")
    assert page.locator(f"button:has-text('Sign out {user}')").count() == 1


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


def test_practitioner_finds_a_child_reads_the_chronology_and_confirms_a_link(
    served_hub: dict[str, Any], browser_page: Any
) -> None:
    page, hub = browser_page, served_hub
    target = _target(hub["env"])
    _sign_in(page, hub, "mash")
    assert "Your work" in page.inner_text("h1")
    assert "MASH" in page.inner_text("main")  # their team
    _axe(page, "your work")
    _shot(page, "02-your-work")

    page.goto(hub["base"] + "/people/")
    words = (target["forename1"], target["surname"], target["dob"])
    page.fill("#q", " ".join(w for w in words if w))
    page.click("button:has-text('Search')")
    page.wait_for_selector("#results table")
    _axe(page, "search results")
    _shot(page, "03-search")
    page.click(f"#results a[href='/people/{target['person']}/']")
    page.wait_for_url(f"**/people/{target['person']}/")
    assert page.locator("h2:has-text('Chronology')").count() == 1
    assert page.locator("#chronology tbody tr").count() >= 1
    _axe(page, "person")
    _shot(page, "04-person")

    # filter the chronology to one agency: the table updates in place
    first_agency = page.locator("input[name=agency]").first
    chosen = first_agency.get_attribute("value")
    with page.expect_response(lambda r: "agency=" in r.url):
        first_agency.check()
    # the response arrives before HTMX swaps it in: wait for the swap, not the network
    page.wait_for_function(
        """chosen => {
            const cells = [...document.querySelectorAll('#chronology tbody tr td:nth-child(2)')];
            return cells.length > 0 && cells.every(
                td => td.innerText.trim() === chosen || td.innerText.trim() === 'No records');
        }""",
        arg=chosen,
        timeout=10_000,
    )
    agencies = page.locator("#chronology tbody tr td:nth-child(2)").all_inner_texts()
    assert agencies and set(agencies) <= {chosen, "No records"}, (chosen, agencies)

    # why the pair awaiting review scored as it did, then decide it with a reason
    card = page.locator(".govuk-summary-card", has_text=target["uid"]).first
    title = card.locator("h3").inner_text()
    card.locator("a:has-text('Why they scored this')").click()
    card.locator("table").wait_for()
    assert "match probability" in card.inner_text()
    card.locator("input[name=reason]").fill("Same school, same address, same mother")
    # the decision posts and comes back to the same address: wait for the page it returns
    with page.expect_navigation(url=f"**/people/{target['person']}/"):
        card.locator("button:has-text('Same person')").click()
    assert title not in page.locator(".govuk-summary-card h3").all_inner_texts()
    # people are resolved again by a job (the worker `safeguard serve` runs): the page says so
    # and, once it is done, what changed
    assert "Recorded" in page.inner_text(".govuk-notification-banner")
    for _ in range(60):
        if "people resolved again" in page.inner_text("main"):
            break
        time.sleep(1)
        page.reload()
    else:
        raise AssertionError("the relinking job did not finish in a minute")
    _axe(page, "person, after a decision")
    decided = run_cli(hub["env"], "--as", "auditor", "audit", "--user", "mash", "--json")
    events = [json.loads(line) for line in decided.stdout.splitlines()]
    done = {(e["action"], e["channel"]) for e in events if e["allowed"]}
    assert {
        ("link_decided", "web"),
        ("explained_pair", "web"),
        ("viewed_person", "web"),
        ("people_linked", "job"),  # the job, on mash's behalf
    } <= done, done


def test_a_role_is_refused_what_it_may_not_see_and_the_auditor_sees_who_looked(
    served_hub: dict[str, Any], browser_page: Any
) -> None:
    page, hub = browser_page, served_hub
    person = _target(hub["env"])["person"]
    _sign_in(page, hub, "school")
    page.goto(hub["base"] + f"/people/{person}/")
    _axe(page, "a person, or the refusal to show one")
    page.goto(hub["base"] + "/audit/")
    assert "You cannot see this page" in page.inner_text("h1")
    _axe(page, "refused")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/")

    _sign_in(page, hub, "auditor")
    page.goto(hub["base"] + "/audit/?user=school")
    text = page.inner_text("main")
    assert "Was refused" in text and "Refused" in text
    assert page.locator("button:has-text('Sign out auditor')").count() == 1
    _axe(page, "audit")
    _shot(page, "05-audit")
    assert "Looked at a person" in text or "view person" in text  # opened, or refused


def test_an_administrator_gives_a_childrens_home_its_police_spoc_who_then_sees_it(
    served_hub: dict[str, Any], browser_page: Any
) -> None:
    page, hub = browser_page, served_hub
    _sign_in(page, hub, "admin")
    page.goto(hub["base"] + "/admin/homes/childrenshome/?spoc=no")
    _axe(page, "children's homes in the admin")
    _shot(page, "06-admin-homes")
    home = page.locator("#result_list tbody tr th a").first
    name = home.inner_text()
    home.click()
    page.wait_for_selector("#id_police_spoc")
    assert page.locator("#id_name").count() == 0  # the delivery's details are read-only
    _axe(page, "a children's home in the admin")
    page.select_option("#id_police_spoc", label="spoc")
    page.fill("#id_ofsted_urn", "SC123456")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "was changed successfully" in page.inner_text("body")

    page.context.clear_cookies()  # a new session, as another user
    _sign_in(page, hub, "spoc")
    mine = page.locator("table", has_text="Ofsted reference")
    assert name in mine.inner_text() and "SC123456" in mine.inner_text()
    _axe(page, "a police SPOC's page")


def test_a_new_user_sets_up_their_authenticator_at_first_sign_in(
    served_hub: dict[str, Any], browser_page: Any
) -> None:
    from django_otp.oath import totp

    page, hub = browser_page, served_hub
    page.goto(hub["base"] + "/accounts/login/")
    page.fill("#id_username", "newcomer")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/accounts/enrol/**")
    assert page.locator("svg").count() >= 1
    _axe(page, "setting up an authenticator")
    _shot(page, "07-set-up-authenticator")
    page.click("summary:has-text('I cannot scan the QR code')")
    key = page.inner_text("#secret-key").replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.fill("#id_otp_token", f"{totp(secret, 30, 0, 6, 0):06d}")
    page.click("button:has-text('Confirm and sign in')")
    page.wait_for_url(hub["base"] + "/")
    assert page.locator("button:has-text('Sign out newcomer')").count() == 1


def test_pages_keep_to_the_content_security_policy(served_hub: dict[str, Any]) -> None:
    """The other tests bypass the CSP to inject axe-core; this one keeps it and watches the
    console for anything it refused (an inline style or script, a foreign source)."""
    from playwright.sync_api import sync_playwright

    hub, person = served_hub, _target(served_hub["env"])["person"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context().new_page()
            refused: list[str] = []
            page.on(
                "console",
                lambda m: (
                    refused.append(f"{page.url}: {m.text[:200]}")
                    if "Content Security Policy" in m.text
                    else None
                ),
            )
            _sign_in(page, hub, "admin", axe=False)  # axe-core is an inline script: refused
            for url in ("/admin/", "/admin/homes/childrenshome/", "/admin/accounts/user/add/"):
                page.goto(hub["base"] + url)
            page.context.clear_cookies()
            _sign_in(page, hub, "mash", axe=False)
            page.goto(hub["base"] + f"/people/{person}/")
            with page.expect_response(lambda r: "agency=" in r.url):
                page.locator("input[name=agency]").first.check()
            assert not refused, refused
        finally:
            browser.close()

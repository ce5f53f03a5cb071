"""The hub end to end in a real browser (Debian's chromium driven by Playwright), used as
practitioners would: finding a child, refusals and the audit trail, a children's home's SPOC,
setting up an authenticator, and the content security policy. Every page visited is checked
with axe-core (see `tests/browser/helpers.py`)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from tests.browser.helpers import ARGS, CHROMIUM, PASSWORD, axe, ok, shot, sign_in
from tests.conftest import run_cli

pytestmark = pytest.mark.browser


def _target(env: dict[str, str]) -> dict[str, Any]:
    """A person with a pair awaiting review, and how to search for them."""
    mash = ("--as", "mash")
    queue = ok(run_cli(env, *mash, "review", "list", "--limit", "1", "--json")).splitlines()
    assert queue, "the partnership should leave some pairs for review"
    pair = json.loads(queue[0])
    uid = pair["unique_id_l"]
    shown = json.loads(ok(run_cli(env, *mash, "people", "show", uid, "--json")))
    why = json.loads(ok(run_cli(env, *mash, "explain", uid, pair["unique_id_r"], "--json")))
    return {"uid": uid, "person": shown["person"], **why["records"][0]}


def test_practitioner_finds_a_child_reads_the_chronology_and_confirms_a_link(
    served_hub: dict[str, Any], browser_page: Any
) -> None:
    page, hub = browser_page, served_hub
    target = _target(hub["env"])
    sign_in(page, hub, "mash")
    assert "Your work" in page.inner_text("h1")
    assert "MASH" in page.inner_text("main")  # their team
    axe(page, "your work")
    shot(page, "02-your-work")

    page.goto(hub["base"] + "/people/")
    words = (target["forename1"], target["surname"], target["dob"])
    page.fill("#q", " ".join(w for w in words if w))
    page.click("button:has-text('Search')")
    page.wait_for_selector("#results table")
    axe(page, "search results")
    shot(page, "03-search")
    page.click(f"#results a[href='/people/{target['person']}/']")
    page.wait_for_url(f"**/people/{target['person']}/")
    assert page.locator("h2:has-text('Chronology')").count() == 1
    assert page.locator("#chronology tbody tr").count() >= 1
    axe(page, "person")
    shot(page, "04-person")

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
    axe(page, "person, after a decision")
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
    sign_in(page, hub, "school")
    page.goto(hub["base"] + f"/people/{person}/")
    axe(page, "a person, or the refusal to show one")
    page.goto(hub["base"] + "/audit/")
    assert "You cannot see this page" in page.inner_text("h1")
    axe(page, "refused")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/")

    sign_in(page, hub, "auditor")
    page.goto(hub["base"] + "/audit/?user=school")
    text = page.inner_text("main")
    assert "Was refused" in text and "Refused" in text
    assert page.locator("button:has-text('Sign out auditor')").count() == 1
    axe(page, "audit")
    shot(page, "05-audit")
    assert "Looked at a person" in text or "view person" in text  # opened, or refused


def test_an_administrator_gives_a_childrens_home_its_police_spoc_who_then_sees_it(
    served_hub: dict[str, Any], browser_page: Any
) -> None:
    page, hub = browser_page, served_hub
    sign_in(page, hub, "admin")
    page.goto(hub["base"] + "/admin/homes/childrenshome/?spoc=no")
    axe(page, "children's homes in the admin")
    shot(page, "06-admin-homes")
    home = page.locator("#result_list tbody tr th a").first
    name = home.inner_text()
    home.click()
    page.wait_for_selector("#id_police_spoc")
    assert page.locator("#id_name").count() == 0  # the delivery's details are read-only
    axe(page, "a children's home in the admin")
    page.select_option("#id_police_spoc", label="spoc")
    page.fill("#id_ofsted_urn", "SC123456")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert "was changed successfully" in page.inner_text("body")

    page.context.clear_cookies()  # a new session, as another user
    sign_in(page, hub, "spoc")
    mine = page.locator("table", has_text="Ofsted reference")
    assert name in mine.inner_text() and "SC123456" in mine.inner_text()
    axe(page, "a police SPOC's page")


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
    axe(page, "setting up an authenticator")
    shot(page, "07-set-up-authenticator")
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
            sign_in(page, hub, "admin", check=False)  # axe-core is an inline script: refused
            for url in ("/admin/", "/admin/homes/childrenshome/", "/admin/accounts/user/add/"):
                page.goto(hub["base"] + url)
            page.context.clear_cookies()
            sign_in(page, hub, "mash", check=False)
            page.goto(hub["base"] + f"/people/{person}/")
            with page.expect_response(lambda r: "agency=" in r.url):
                page.locator("input[name=agency]").first.check()
            assert not refused, refused
        finally:
            browser.close()

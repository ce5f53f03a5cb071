"""Screening and findings in a real browser: a MASH practitioner works the screening queue and
records their level for a child; a police officer opens a network finding, whose picture
Cytoscape.js draws under the hub's Content Security Policy, and records that it is under
investigation. Every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import axe, shot, sign_in

pytestmark = pytest.mark.browser


def _person(browser: Any, hub: dict[str, Any], user: str, csp: bool = False) -> Any:
    context = browser.new_context(bypass_csp=not csp, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, hub, user, check=False)
    return page


def test_a_practitioner_decides_a_screening_and_the_police_take_up_a_finding(
    served_hub: dict[str, Any], browser: Any
) -> None:
    hub = served_hub
    mash = _person(browser, hub, "mash")
    try:
        mash.goto(hub["base"] + "/intelligence/screening/")
        axe(mash, "the screening queue")
        shot(mash, "16-screening-queue")
        first = mash.locator("table.govuk-table tbody a.govuk-link").first
        assert first.count() == 1, "the analysed partnership proposed no child at risk"
        with mash.expect_navigation():
            first.click()
        axe(mash, "a child's screening")
        assert mash.locator("table.govuk-table tbody tr").count() >= 1  # signs with evidence
        mash.check("#band-moderate")
        mash.fill("#reason", "Discussed with the school: seen with older males twice")
        with mash.expect_navigation():
            mash.click("button:has-text('Record my level')")
        assert "recorded beside the screening" in mash.content()
        assert "Discussed with the school" in mash.content()
        shot(mash, "17-screening")
    finally:
        mash.context.close()

    police = _person(browser, hub, "police", csp=True)
    refused: list[str] = []
    police.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    try:
        police.goto(hub["base"] + "/intelligence/findings/?status=all")
        link = police.locator("table.govuk-table tbody a.govuk-link").first
        assert link.count() == 1, "the analysed partnership has no network finding"
        with police.expect_navigation():
            link.click()
        police.wait_for_function(  # the picture is drawn, with a size
            "() => [...document.querySelectorAll('#network canvas')].some(c => c.height > 0)",
            timeout=15_000,
        )
        assert not refused, refused
        key = police.url.rstrip("/").rsplit("/", 1)[-1]
    finally:
        police.context.close()

    police = _person(browser, hub, "police")
    try:
        police.goto(hub["base"] + "/intelligence/findings/?status=all")
        axe(police, "the findings list")
        police.goto(hub["base"] + f"/intelligence/findings/{key}/")
        axe(police, "a finding")
        shot(police, "18-finding")
        police.fill("#reason", "Referred to the CSE team for enquiries")
        with police.expect_navigation():
            police.click("button:has-text('Record the decision')")
        assert "disposition is recorded" in police.content()
        assert "Referred to the CSE team" in police.content()
    finally:
        police.context.close()

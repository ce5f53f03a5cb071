"""The review in a real browser, each person in their own session: the police's agency lead
finds the review on their home page, assesses a recommendation (after a first try with
nothing filled in) and sets an action already overdue; the strategic lead challenges the
assessment with reasons; the lead submits again and the strategic lead signs it off; the
auditor reads the review, the action plan and the Ofsted register and is offered no form.
Then the partnership's data set and a meeting pack made with its button. Every page is
checked with axe-core (no serious or critical WCAG 2.2 AA violation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.browser.helpers import axe, ok, shot, sign_in
from tests.conftest import run_cli

pytestmark = pytest.mark.browser
REC = "/governance/recommendations/jay-2014-03/"


@contextmanager
def _as(browser: Any, hub: dict[str, Any], user: str) -> Iterator[Any]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, hub, user, check=False)
        yield page
    finally:
        context.close()


def _submit(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")


def _assess(page: Any, narrative: str) -> None:
    page.check("input[name=rag][value=amber]")
    page.fill("#narrative", narrative)
    page.fill("#evidence", "/missing/figures/\nForce audit AUD-26-031")
    _submit(page, "Submit")


def test_the_review_from_assessment_to_sign_off(
    served_hub: dict[str, Any], browser: Any, tmp_path: Any
) -> None:
    hub = served_hub
    with _as(browser, hub, "lead") as lead:
        lead.click("main a[href='/governance/']")
        lead.wait_for_url("**/governance/")
        assert "Cheshire Constabulary" in lead.inner_text("main")
        axe(lead, "the review, for an agency lead")
        lead.goto(hub["base"] + REC)
        assert "Not checked against the published report" in lead.inner_text("main")
        axe(lead, "a recommendation, not assessed")
        _submit(lead, "Submit for review")  # nothing filled in
        assert "Choose Red, Amber or Green" in lead.inner_text(".govuk-error-summary")
        axe(lead, "a recommendation, with its problems")
        _assess(lead, "Looked-after children placed here by other councils are not all known.")
        assert "Submitted for review" in lead.inner_text(".govuk-notification-banner")
        lead.click("summary:has-text('Set an action')")
        lead.fill("#what", "Agree a notification route with placing councils")
        lead.select_option("#owner", "lead")
        lead.select_option("#agency", "cheshire-police")
        lead.fill("#due_on", (dt.date.today() - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
        _submit(lead, "Set the action")
        assert "its owner has been told" in lead.inner_text(".govuk-notification-banner")
        lead.goto(hub["base"] + "/governance/actions/")
        assert "Overdue" in lead.inner_text("main table")
        axe(lead, "your review actions")
        shot(lead, "26-governance-actions")

    with _as(browser, hub, "strategic") as strategic:
        assert "1 assessment waiting for you" in strategic.inner_text("main")
        strategic.goto(hub["base"] + REC)
        strategic.fill("#reason-cheshire-police", "How many placements are not known?")
        _submit(strategic, "Challenge it")
        assert "Challenged" in strategic.inner_text(".govuk-notification-banner")
        axe(strategic, "a recommendation, challenged")

    with _as(browser, hub, "lead") as lead:
        lead.goto(hub["base"] + REC)
        assert "How many placements are not known?" in lead.inner_text("main")
        lead.click("summary:has-text('Change your agency')")
        _assess(lead, "Three of 41 placements were not notified in 2026; a route is agreed.")
        assert "Submitted for review" in lead.inner_text(".govuk-notification-banner")

    with _as(browser, hub, "strategic") as strategic:
        strategic.goto(hub["base"] + REC)
        _submit(strategic, "Sign it off")
        strategic.click("summary:has-text('History')")
        assert "Signed off" in strategic.inner_text("main")
        axe(strategic, "a recommendation, signed off, with its history")
        shot(strategic, "25-governance-recommendation")
        strategic.goto(hub["base"] + "/governance/")
        axe(strategic, "the review, for the strategic lead")
        shot(strategic, "24-governance-review")

    judgements = tmp_path / "ofsted.csv"
    judgements.write_text(
        "Local authority,Inspection end date,Overall effectiveness,Inspection type\n"
        "Cheshire East,2015-10-16,Requires improvement to be good,SIF\n"
        "Cheshire East,2019-11-15,Good,ILACS\n"
    )
    imported = ok(
        run_cli(hub["env"], "--as", "strategic", "governance", "ofsted-import", str(judgements))
    )
    assert "2 added" in imported

    with _as(browser, hub, "auditor") as auditor:
        auditor.click("main a[href='/governance/']")
        axe(auditor, "the review, for the auditor")
        auditor.goto(hub["base"] + REC)
        text = auditor.inner_text("main")
        assert "Signed off" in text and "Set an action" not in text and "Sign it off" not in text
        axe(auditor, "a recommendation, for the auditor")
        auditor.goto(hub["base"] + "/governance/actions/?view=overdue")
        assert "Agree a notification route" in auditor.inner_text("main")
        axe(auditor, "overdue review actions")
        auditor.goto(hub["base"] + "/governance/ofsted/")
        register = auditor.inner_text("main")
        assert "Requires improvement to be good" in register and "20 councils" in register
        axe(auditor, "the Ofsted register")
        shot(auditor, "27-governance-ofsted")


def test_the_data_set_and_a_meeting_pack(served_hub: dict[str, Any], browser: Any) -> None:
    """The strategic lead finds the data set from their home page, filters it by council
    area (no script needed), opens a KPI (its chart, and its table of levels), makes a
    meeting pack with the button (after a first try with no date) and sees it listed; the
    auditor reads the packs and is offered no button."""
    hub = served_hub
    with _as(browser, hub, "strategic") as strategic:
        strategic.click("main a[href='/governance/data-set/']")
        strategic.wait_for_url("**/governance/data-set/")
        axe(strategic, "the partnership's data set")
        strategic.select_option("#area", "warrington")
        with strategic.expect_navigation():
            strategic.click("main form button:has-text('Show')")
        assert "Warrington" in strategic.inner_text("main caption")
        strategic.click("main a[href^='/governance/data-set/children_by_level/']")
        strategic.wait_for_url("**/governance/data-set/children_by_level/?area=warrington*")
        assert strategic.locator("main svg[role=img]").count() == 1
        assert "Warrington" in strategic.inner_text("main h2")
        assert "Significant" in strategic.inner_text("main table thead")  # a column a level
        axe(strategic, "a KPI with its chart and table")
        shot(strategic, "29-governance-kpi")
        strategic.goto(hub["base"] + "/governance/packs/")
        _submit(strategic, "Make the meeting pack")  # no date
        assert "Enter the meeting's date" in strategic.inner_text(".govuk-error-summary")
        axe(strategic, "meeting packs, with a problem")
        strategic.fill("#meeting", dt.date.today().strftime("%d/%m/%Y"))
        _submit(strategic, "Make the meeting pack")
        assert "is ready" in strategic.inner_text(".govuk-notification-banner")
        axe(strategic, "meeting packs, one made")
        shot(strategic, "30-governance-packs")

    with _as(browser, hub, "auditor") as auditor:
        auditor.goto(hub["base"] + "/governance/packs/")
        text = auditor.inner_text("main")
        assert "Pack 1 (PDF" in text and "Make the meeting pack" not in text
        axe(auditor, "meeting packs, for the auditor")

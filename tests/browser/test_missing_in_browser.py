"""Missing children in a real browser, each person in their own session: a children's home
reports a resident missing and hands over the Philomena pack, the police grade the risk and
print the pack, the child is found, the provider's interviewer completes the return home
interview within its clock, a third episode in 90 days opens a strategy discussion, and the
home's police SPOC sees all of it on their page. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.browser.helpers import axe, ok, shot, sign_in
from tests.conftest import run_cli

pytestmark = pytest.mark.browser


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


def _resident(hub: dict[str, Any]) -> tuple[str, int]:
    """A home and a child living there now (`tests/browser/home_setup.py`)."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.browser.home_setup"],
        env={**hub["env"], "DJANGO_SETTINGS_MODULE": "safeguard.hub.settings"},
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    home, person = json.loads(out.strip().splitlines()[-1])
    return str(home), int(person)


def _when(hours_ago: float) -> str:
    moment = dt.datetime.now() - dt.timedelta(hours=hours_ago)
    return moment.strftime("%d/%m/%Y %H:%M")


def test_a_home_reports_a_child_missing_through_to_the_spoc_page(
    served_hub: dict[str, Any], browser: Any
) -> None:
    hub = served_hub
    home, person = _resident(hub)
    with _as(browser, hub, "carer") as carer:
        carer.goto(hub["base"] + f"/homes/{home}/")
        axe(carer, "a home's page, for its staff")
        # two earlier episodes in the last 90 days, each with the child back the same night
        for ago in (24 * 40, 24 * 20):
            carer.goto(hub["base"] + f"/missing/report/?person=P{person}")
            carer.select_option("#home", home)
            carer.fill("#started_at", _when(ago))
            _submit(carer, "Report the child away")
            carer.click("summary:has-text('Record the child')")
            carer.fill("#returned_at", _when(ago - 4))
            carer.fill("#found_where", "Retail park")
            _submit(carer, "Record the return")
        carer.goto(hub["base"] + f"/missing/children/{person}/philomena/")
        axe(carer, "Philomena part 1")
        carer.fill("#description", "5ft 4, slim, long dark hair, star tattoo on left wrist")
        carer.fill("#associates", "'Dev', about 24, silver car")
        carer.select_option("#home", home)
        _submit(carer, "Keep part 1")
        carer.goto(hub["base"] + f"/missing/report/?person=P{person}")
        axe(carer, "report a child missing")
        carer.select_option("#home", home)
        carer.fill("#started_at", _when(3))
        carer.fill("#last_seen_with", "Two older males in a silver car")
        _submit(carer, "Report the child away")
        assert "Reported" in carer.inner_text(".govuk-notification-banner")
        episode = carer.url.rstrip("/").split("/")[-1]
        carer.click("summary:has-text('Philomena part 2')")
        carer.fill("#clothing", "Black puffer jacket, grey joggers")
        _submit(carer, "Keep part 2")
        _submit(carer, "Hand the Philomena pack to the police")
        axe(carer, "an episode, away")
        shot(carer, "13-episode")

    with _as(browser, hub, "police") as police:
        police.goto(hub["base"] + f"/missing/episodes/{episode}/")
        police.check("input[name=grade][value=high]")
        police.fill("#grade-reason", "Seen with older males in a car; vulnerable")
        _submit(police, "Record the grade")
        with police.expect_response(lambda r: r.url.endswith("philomena.pdf")) as pdf:
            police.evaluate(
                "url => fetch(url)", hub["base"] + f"/missing/episodes/{episode}/philomena.pdf"
            )
        assert pdf.value.status == 200
        assert pdf.value.headers["content-type"] == "application/pdf"
        police.click("summary:has-text('Record the child')")
        police.fill("#returned_at", _when(1))
        police.fill("#found_where", "Flat above the takeaway, High Street")
        police.fill("#found_with", "Adult male known as 'Dev'")
        _submit(police, "Record the return")
        assert "interview is open" in police.inner_text(".govuk-notification-banner")
        axe(police, "an episode, returned")

    with _as(browser, hub, "rhi") as rhi:
        rhi.goto(hub["base"] + "/missing/interviews/")
        axe(rhi, "interviews to do")
        rhi.locator("table tbody tr").last.locator("a").click()  # the latest return, due last
        _submit(rhi, "Record that it was offered")
        _submit(rhi, "The child accepted")
        rhi.fill("#with_whom", "'Dev', about 24, and his friend")
        rhi.fill("#pull_factors", "Dev buys her vapes and gave her a phone")
        rhi.check("input[name=signs][value=older_boyfriend]")
        axe(rhi, "a return home interview")
        shot(rhi, "14-interview")
        _submit(rhi, "Record the interview")
        assert "Done" in rhi.inner_text("main")

    with _as(browser, hub, "manager") as manager:
        manager.goto(hub["base"] + "/missing/tasks/")
        assert "3 episodes" in manager.inner_text("main")  # the third in 90 days
        axe(manager, "strategy discussions")

    with _as(browser, hub, "spoc") as spoc:
        spoc.goto(hub["base"] + "/homes/spoc/")
        text = spoc.inner_text("main")
        assert "Living there now" in text and "back after" in text
        axe(spoc, "a SPOC's page")
        shot(spoc, "15-spoc")
        spoc.goto(hub["base"] + "/homes/coverage/")
        axe(spoc, "SPOC coverage")
    assert ok(run_cli(hub["env"], "watch"))

"""A MACE meeting in a real browser, each person in their own session: a MASH manager
schedules a meeting (after a first try with nothing filled in), builds its agenda - a child
the screening puts at risk and an open network finding are on it - records the discussion and
decision on the child with an action for a police officer, and a child abduction warning
notice; the officer finds the action on their page and marks it done. Every MACE page is
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


def _day(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def test_a_meeting_from_its_agenda_to_an_action_done(
    served_hub: dict[str, Any], browser: Any
) -> None:
    hub = served_hub
    with _as(browser, hub, "manager") as manager:
        manager.goto(hub["base"] + "/mace/")
        axe(manager, "MACE meetings")
        manager.click("a:has-text('Schedule a meeting')")
        axe(manager, "schedule a meeting")
        _submit(manager, "Schedule the meeting")  # nothing filled in
        assert "Choose the council areas" in manager.inner_text(".govuk-error-summary")
        axe(manager, "schedule a meeting, with its problems")
        manager.fill("#held_on", _day(7))
        for area in ("cheshire_east", "cheshire_west_and_chester"):
            manager.check(f"input[name=areas][value={area}]")
        manager.select_option("#chair", "manager")
        manager.check("input[name=attendees][value=licensing]")
        manager.fill("#venue", "Room 2, Westfields")
        _submit(manager, "Schedule the meeting")
        assert "Meeting scheduled" in manager.inner_text(".govuk-notification-banner")
        meeting = manager.url.rstrip("/").split("/")[-1]
        _submit(manager, "Build the agenda")
        assert "Agenda built" in manager.inner_text(".govuk-notification-banner")
        children = manager.inner_text("#agenda-child tbody")
        assert "At risk: screened" in children
        assert "Network finding" in manager.inner_text("#agenda-finding tbody")
        axe(manager, "a MACE meeting's agenda")
        shot(manager, "20-mace-meeting")
        manager.click("a:has-text('Change the meeting')")
        axe(manager, "change a MACE meeting")
        manager.goto(hub["base"] + f"/mace/{meeting}/")

        manager.locator("#agenda-child tbody tr").first.locator("a").first.click()
        manager.wait_for_url("**/mace/items/**")
        axe(manager, "a MACE agenda item")
        manager.fill("#summary", "Police and school share concerns about an older male, 'Jay'")
        manager.fill("#decision", "Serve a child abduction warning notice; school nurse to see her")
        _submit(manager, "Record the decision")
        manager.click("summary:has-text('Set an action')")
        manager.fill("#what", "Serve the child abduction warning notice on 'Jay'")
        manager.select_option("#owner", "police")
        manager.select_option("#agency", "police")
        manager.fill("#due_on", _day(14))
        _submit(manager, "Set the action")
        assert "its owner has been told" in manager.inner_text(".govuk-notification-banner")
        manager.click("a:has-text('Record a disruption for this item')")
        axe(manager, "record a disruption")
        manager.check("input[name=kind][value=cawn]")
        manager.fill("#against", "'Jay', about 24, silver Golf")
        manager.select_option("#agency", "police")
        _submit(manager, "Record the disruption")
        text = manager.inner_text("main")
        assert "Disruption recorded" in text and "Child abduction warning notice" in text
        axe(manager, "a MACE agenda item, decided")
        shot(manager, "21-mace-item")
        manager.goto(hub["base"] + "/mace/disruption/")
        assert "Child abduction warning notice (CAWN)" in manager.inner_text("main")
        axe(manager, "disruption")
        shot(manager, "23-mace-disruption")
        manager.goto(hub["base"] + "/mace/actions/?view=open")
        axe(manager, "MACE actions, all open")

    with _as(browser, hub, "police") as police:
        home = police.inner_text("main")
        assert "A MACE action for you, due" in home  # the alert
        assert "1 MACE action for you" in home  # and the count
        police.click("main a[href='/mace/actions/']")
        police.wait_for_url("**/mace/actions/")
        assert "Serve the child abduction warning notice" in police.inner_text("main")
        axe(police, "your MACE actions")
        shot(police, "22-mace-actions")
        police.click("a:has-text('Serve the child abduction warning notice')")
        axe(police, "a MACE action")
        police.fill("#reason", "Served on 'Jay' at his home address")
        _submit(police, "Mark it done")
        text = police.inner_text("main")
        assert "Marked done." in text and "Done on time" in text
        police.goto(hub["base"] + f"/mace/{meeting}/")
        assert "Done on time" in police.inner_text("main")
        axe(police, "a MACE meeting, for the police")
    assert ok(run_cli(hub["env"], "watch"))

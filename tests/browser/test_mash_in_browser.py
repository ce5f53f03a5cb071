"""The MASH front door in a real browser, each person in their own session: a school's
designated safeguarding lead raises a contact, the MASH rates it Red and asks the police and
health, both answer, the MASH manager decides a strategy discussion, and the school sees the
feedback; a member of the public reports a concern, adds to it with the code, and the MASH
sees it. Every page is checked with axe-core; the forms work without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.browser.helpers import axe, shot, sign_in

pytestmark = pytest.mark.browser


@contextmanager
def _as(browser: Any, hub: dict[str, Any], user: str | None, js: bool = True) -> Iterator[Any]:
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, java_script_enabled=js
    )
    try:
        page = context.new_page()
        if user:
            sign_in(page, hub, user, check=False)
        yield page
    finally:
        context.close()


def _submit(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")


def test_a_contact_goes_from_a_school_through_the_mash_and_agencies_to_a_decision(
    served_hub: dict[str, Any], browser: Any
) -> None:
    hub = served_hub
    with _as(browser, hub, "school") as school:  # the pages, checked with axe-core
        school.goto(hub["base"] + "/mash/contacts/new/")
        axe(school, "raise a contact")
        _submit(school, "Send to the MASH")
        assert "There is a problem" in school.inner_text(".govuk-error-summary")
        axe(school, "raise a contact, with errors")
    with _as(browser, hub, "school", js=False) as school:  # the form needs no JavaScript
        school.goto(hub["base"] + "/mash/contacts/new/")
        school.fill("#child_name", "Jade Example")
        _submit(school, "Send to the MASH")
        assert "There is a problem" in school.inner_text(".govuk-error-summary")
        assert school.input_value("#child_name") == "Jade Example"  # nothing typed is lost
        school.check("input[name=factors][value='11A']")
        school.fill("#summary", "Jade has new clothes and a phone she cannot explain.")
        school.fill("#seen", "A man in his twenties collects her in a silver car.")
        school.fill("#other_name_1", "Kane")
        school.fill("#other_description_1", "About 24, silver Audi, part plate KX")
        _submit(school, "Send to the MASH")
        banner = school.inner_text(".govuk-notification-banner")
        reference = re.search(r"MASH-\d{4}-\d{6}", banner).group(0)  # type: ignore[union-attr]

    with _as(browser, hub, "mash") as mash:
        mash.goto(hub["base"] + "/mash/")
        assert reference in mash.inner_text("main")
        axe(mash, "the MASH queue")
        shot(mash, "08-mash-queue")
        mash.click(f"a:has-text('{reference}')")
        mash.check("input[name=rating][value=red]")
        mash.fill("#rate-reason", "Older male, gifts, car: possible sexual exploitation")
        _submit(mash, "Record the rating")
        assert "Rating recorded" in mash.inner_text(".govuk-notification-banner")
        mash.check("input[name=agency][value='cheshire-police']")
        mash.check("input[name=agency][value='cheshire-nhs']")
        mash.fill("#ask-consent", "Asking the family first could put Jade at greater risk")
        mash.fill("#ask-question", "Anything on Jade, Kane or the Audi?")
        _submit(mash, "Ask the agencies")
        assert mash.locator("strong.govuk-tag:has-text('Waiting')").count() == 2
        axe(mash, "a contact with checks waiting")
        shot(mash, "09-contact")

    for agency_user, answer in (
        ("police", "Kane (24) known: supplied cannabis to under-18s; Audi KX seen at parks"),
        ("health", "Jade attended a sexual health clinic in October"),
    ):
        with _as(browser, hub, agency_user) as worker:
            worker.goto(hub["base"] + "/mash/checks/")
            worker.click(f"a:has-text('{reference}')")
            assert "Anything on Jade" in worker.inner_text("main")
            axe(worker, f"a check for {agency_user}")
            if agency_user == "police":
                shot(worker, "10-check")
            worker.fill("#answer", answer)
            _submit(worker, "Send the answer to the MASH")
            assert reference not in worker.inner_text("main")  # answered: off their queue

    with _as(browser, hub, "manager") as manager:
        manager.goto(hub["base"] + f"/mash/contacts/{reference}/")
        assert "Kane (24) known" in manager.inner_text("main")
        manager.click("summary:has-text('Decide')")
        manager.check("input[name=outcome][value=strategy_discussion]")
        manager.check("input[name=outcome][value=mace]")
        manager.select_option("#decide-team", index=1)
        manager.fill("#decide-reason", "Reasonable cause to suspect significant harm")
        manager.fill("#decide-feedback", "Thank you: a strategy discussion is being held today.")
        _submit(manager, "Record the decision")
        assert "Decision recorded" in manager.inner_text(".govuk-notification-banner")
        axe(manager, "a decided contact")
        manager.goto(hub["base"] + "/mash/manager/")
        axe(manager, "load and breaches")
        shot(manager, "11-manager")

    with _as(browser, hub, "school") as school:
        school.goto(hub["base"] + "/mash/mine/")
        row = school.locator("tr", has_text=reference).inner_text()
        assert "Decided" in row and "strategy discussion is being held today" in row
        axe(school, "contacts you made")
        school.goto(hub["base"] + "/")
        assert "The MASH has decided on your contact" in school.inner_text("main")  # an alert
        axe(school, "your work, with an alert")


def test_a_member_of_the_public_reports_adds_with_the_code_and_the_mash_sees_it(
    served_hub: dict[str, Any], browser: Any
) -> None:
    hub = served_hub
    with _as(browser, hub, None) as public:
        public.route("https://www.bbc.co.uk/**", lambda r: r.fulfill(body="weather"))
        public.goto(hub["base"] + "/report/")
        assert "call 999" in public.inner_text("main")
        axe(public, "report a concern")
        shot(public, "12-report")
        public.keyboard.press("Escape")  # the quick exit
        public.wait_for_url("https://www.bbc.co.uk/**")

        public.goto(hub["base"] + "/report/")
        public.fill("#what", "A girl of about 13 goes into the flat above the takeaway at night.")
        public.check("input[name=concerns][value=exploitation]")
        public.fill("#child_age", "about 13")
        public.fill("#where", "High Street, the flat above the takeaway")
        _submit(public, "Send")
        code = public.inner_text(".govuk-panel__body strong")
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        axe(public, "report sent")

        public.goto(hub["base"] + "/report/follow-up/")
        public.fill("#code", code)
        _submit(public, "Continue")
        assert "Received" in public.inner_text("main")
        public.fill("#text", "Tonight there were two men with her; one called Dev.")
        _submit(public, "Send")
        assert "added it to your report" in public.inner_text("main")
        axe(public, "follow-up")

    with _as(browser, hub, "mash") as mash:
        mash.goto(hub["base"] + "/mash/?status=received")
        mash.locator("tr", has_text="Not named, about 13").first.locator("a").first.click()
        text = mash.inner_text("main")
        assert "two men with her" in text and "Anonymous" in text
        axe(mash, "a public concern")

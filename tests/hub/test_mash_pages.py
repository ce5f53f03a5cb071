"""The MASH's pages and the public's, through the real sign-in, without JavaScript: a contact
raised, rated, checked and decided; bad input shown again with what was typed and the problem
beside each field; the public's report with its code, the honeypot, the rate limit, and
nothing kept about the reporter's device."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from safeguard.hub.concerns.models import Concern, Reporter
from safeguard.hub.mash.models import CheckRequest, Contact, Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    from safeguard.hub.deliveries.models import Agency

    Agency.objects.get_or_create(code="cheshire-east-cs", defaults={"name": "Cheshire East"})
    return {
        "school": make_user("dsl", "school_dsl", agency="cheshire-schools"),
        "mash": make_user("mash", "mash_practitioner", agency="cheshire-east-cs"),
        "manager": make_user("boss", "mash_manager", agency="cheshire-east-cs"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
        "sw": make_user("sw", "social_worker", agency="cheshire-west-cs"),
    }


CONTACT = {
    "child_name": "Katie Smith",
    "dob_day": "4",
    "dob_month": "7",
    "dob_year": "2011",
    "council_area": "cheshire_east",
    "factors": ["11A", "10A"],
    "summary": "Katie has a new phone and says her 'boyfriend' is 24.",
    "seen": "Collected from school by a man in a silver car.",
    "other_name_1": "Kane",
    "other_relationship_1": "'boyfriend'",
    "other_description_1": "About 24, silver Audi",
    "parents_aware": "no",
    "consent": "not_sought",
    "consent_reason": "Telling the family could put her at risk",
    "source": "2A",
    "referrer_name": "D Lead",
    "anonymity": "confidential",
}


def test_a_contact_is_raised_rated_checked_decided_and_the_referrer_sees_feedback(
    people: Any, sign_in: Any
) -> None:
    school = sign_in(people["school"])
    assert "Raise a contact" in school.get("/").content.decode()
    sent = school.post("/mash/contacts/new/", CONTACT)
    assert sent.status_code == 302 and sent["Location"] == "/mash/mine/"
    found = Contact.objects.get()
    assert found.referrer_username == "dsl" and found.factors == ["11A", "10A"]
    assert found.subjects.count() == 2 and found.council_area == "cheshire_east"
    mine = school.get("/mash/mine/").content.decode()
    assert found.reference in mine and "is with the MASH" in mine

    mash = sign_in(people["mash"])
    queue = mash.get("/mash/").content.decode()
    assert found.reference in queue and "Katie Smith" in queue
    page = mash.get(f"/mash/contacts/{found.reference}/").content.decode()
    assert "Rate this contact" in page and "Decision on a referral" in page
    rated = mash.post(
        f"/mash/contacts/{found.reference}/rate/", {"rating": "red", "reason": "CSE risk"}
    )
    assert rated.status_code == 302
    assert "Rating recorded" in mash.get(rated["Location"]).content.decode()
    mash.post(
        f"/mash/contacts/{found.reference}/ask/",
        {"agency": ["cheshire-police"], "basis": "safeguarding", "question": "Kane?"},
    )
    check = CheckRequest.objects.get()

    police = sign_in(people["police"])
    assert found.reference in police.get("/mash/checks/").content.decode()
    assert "Kane?" in police.get(f"/mash/checks/{check.pk}/").content.decode()
    empty = police.post(f"/mash/checks/{check.pk}/", {"answer": " ", "holds": "yes"})
    assert empty.status_code == 400 and "say what your agency holds" in empty.content.decode()
    police.post(f"/mash/checks/{check.pk}/", {"answer": "Kane known: PNC", "holds": "yes"})
    assert CheckRequest.objects.get().status == "answered"

    boss = sign_in(people["manager"])
    decided = boss.post(
        f"/mash/contacts/{found.reference}/decide/",
        {"outcome": ["police_action", "mace"], "reason": "Kane known", "basis": "safeguarding"},
    )
    assert decided.status_code == 302
    feedback = school.get("/mash/mine/").content.decode()
    assert "Police action" in feedback and "Decided" in feedback
    assert "/mash/" in school.get("/").content.decode()  # the alert of the feedback


def test_a_form_refused_keeps_what_was_typed_and_says_what_is_wrong(
    people: Any, sign_in: Any
) -> None:
    school = sign_in(people["school"])
    bad = {**CONTACT, "summary": "", "factors": [], "dob_day": "31", "dob_month": "2"}
    answer = school.post("/mash/contacts/new/", bad)
    page = answer.content.decode()
    assert answer.status_code == 400 and Contact.objects.count() == 0
    assert "There is a problem" in page
    for problem in ("Say what the concern is", "Choose at least one thing", "a real date"):
        assert problem in page
    assert 'value="Katie Smith"' in page and "silver car" in page and 'value="Kane"' in page

    mash = sign_in(people["mash"])
    school.post("/mash/contacts/new/", CONTACT)
    ref = Contact.objects.get().reference
    no_reason = mash.post(f"/mash/contacts/{ref}/rate/", {"rating": "amber", "reason": ""})
    assert no_reason.status_code == 400 and "give a reason to rate" in no_reason.content.decode()
    assert 'value="amber" checked' in no_reason.content.decode()


def test_contacts_are_need_to_know(people: Any, sign_in: Any) -> None:
    school = sign_in(people["school"])
    school.post("/mash/contacts/new/", CONTACT)
    ref = Contact.objects.get().reference
    assert school.get(f"/mash/contacts/{ref}/").status_code == 403  # raise, not read the queue
    sw = sign_in(people["sw"])
    assert sw.get(f"/mash/contacts/{ref}/").status_code == 403  # not routed to their team
    assert ref not in sw.get("/mash/").content.decode()
    mash = sign_in(people["mash"])
    mash.post(f"/mash/contacts/{ref}/rate/", {"rating": "green", "reason": "below threshold"})
    practitioner = mash.post(
        f"/mash/contacts/{ref}/decide/",
        {"outcome": ["nfa"], "reason": "r", "basis": "safeguarding"},
    )
    assert practitioner.status_code == 403  # deciding is for MASH managers


FAKE_ADDRESS = "203.0.113.77"


def _public() -> Client:
    return Client(REMOTE_ADDR=FAKE_ADDRESS, HTTP_USER_AGENT="Distinctive-Browser/9.9")


def test_the_public_report_a_concern_add_to_it_and_see_it_followed_up(
    people: Any, sign_in: Any
) -> None:
    public = _public()
    form = public.get("/report/").content.decode()
    assert "call 999" in form and "Exit this page" in form
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    report = {
        "what": "A girl gets into a black car outside the chip shop every night.",
        "concerns": ["exploitation"],
        "child_age": "about 14",
        "tell": "yes",
        "reporter_name": "A Neighbour",
        "relationship": "1B",
        "phone": "07700 900123",
        "may_contact": "yes",
        "form_token": token,
    }
    sent = public.post("/report/", report)
    code = re.search(
        r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", sent.content.decode()
    )
    assert sent.status_code == 200 and code
    again = public.post("/report/", report)  # the form sent twice is one concern
    assert again.status_code == 400 and Concern.objects.count() == 1
    found = Contact.objects.get()
    assert found.source == "1B" and found.route == "public" and found.referrer_name == ""
    assert Reporter.objects.get().phone == "07700 900123"

    status = public.post("/report/follow-up/", {"code": code.group(1).lower()})
    assert "Received" in status.content.decode()
    wrong = public.post("/report/follow-up/", {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and "could not find that code" in wrong.content.decode()
    added = public.post(
        "/report/follow-up/",
        {"code": code.group(1), "adding": "yes", "text": "The car's plate starts KX"},
    )
    assert "added it to your report" in added.content.decode()
    assert Note.objects.get().text == "The car's plate starts KX"

    mash = sign_in(people["mash"])
    page = mash.get(f"/mash/contacts/{found.reference}/").content.decode()
    assert "plate starts KX" in page and "See who reported it" in page
    assert "07700 900123" not in page  # the reporter is kept apart
    no_why = mash.post(f"/mash/contacts/{found.reference}/reporter/", {"why": ""})
    assert no_why.status_code == 400
    shown = mash.post(f"/mash/contacts/{found.reference}/reporter/", {"why": "to call them back"})
    assert "07700 900123" in shown.content.decode()

    _nothing_kept_about_the_device()


def _nothing_kept_about_the_device() -> None:
    """No table holds the reporter's address or browser, in any text column."""
    for model in apps.get_models():
        texts = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for name in texts:
            for value in model.objects.values_list(name, flat=True):
                assert FAKE_ADDRESS not in str(value), (model, name)
                assert "Distinctive-Browser" not in str(value), (model, name)


def test_automated_and_flooding_senders_are_refused_plainly(settings: Any) -> None:
    public = _public()
    bot = public.post("/report/", {"what": "spam", "website": "http://spam.example"})
    assert bot.status_code == 400 and "could not accept this form" in bot.content.decode()
    assert Contact.objects.count() == 0
    answers = [
        public.post("/report/", {"what": f"report {i}", "form_token": f"t{i}"}).status_code
        for i in range(12)
    ]
    assert answers.count(429) == 12 - 10 + 1  # the bot's try counted too: 10 an hour
    assert "try again later" in public.post("/report/", {"what": "x"}).content.decode()
    assert Contact.objects.count() == 9
    other = Client(REMOTE_ADDR="198.51.100.1")  # another source has its own allowance
    assert other.post("/report/", {"what": "fine", "form_token": "z"}).status_code == 200

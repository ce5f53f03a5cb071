"""The review's pages through the real sign-in, without JavaScript: the police's agency lead
finds the review from their home page, submits an assessment with its evidence and sets an
action; the strategic lead sees it waiting, challenges it with reasons (shown in its history)
and, once resubmitted, signs it off; the auditor reads the overview, the register and the
actions, and is offered no form and refused a change; a MASH manager is refused the review.
Overdue actions are marked; bad input comes back with the problem beside its field (400)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from safeguard.hub.governance.models import Assessment, ReviewAction

pytestmark = pytest.mark.django_db
REC = "jay-2014-02"
PAGE = f"/governance/recommendations/{REC}/"


@pytest.fixture
def people(make_user: Any, sign_in: Any) -> dict[str, Any]:
    users = {
        "lead": make_user("lead-police", "agency_lead", agency="cheshire-police"),
        "strategic": make_user("strategic", "strategic_lead", agency="cheshire-east-cs"),
        "auditor": make_user("auditor", "auditor", agency="cheshire-east-cs"),
        "mash": make_user("mash", "mash_manager", agency="cheshire-east-cs"),
    }
    return {name: sign_in(user) for name, user in users.items()}


def _text(response: Any) -> str:
    return response.content.decode()


def test_the_review_from_assessment_to_sign_off(people: dict[str, Any]) -> None:
    lead, strategic = people["lead"], people["strategic"]
    home = _text(lead.get("/"))
    assert 'href="/governance/"' in home and "The Ofsted register" in home
    page = _text(lead.get(PAGE))
    assert (
        "Assess it for your agency" in page and "Not checked against the published report" in page
    )
    sent = lead.post(
        f"{PAGE}assess/",
        {
            "rag": "amber",
            "narrative": "Managers audit a sample each quarter.",
            "evidence": "/missing/figures/\nAudit AUD-26-031",
            "step": "submit",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == PAGE
    page = _text(lead.get(PAGE))
    assert "Submitted for review" in page and 'href="/missing/figures/"' in page
    assert "Audit AUD-26-031" in page and "Sign it off" not in page
    assert "1 assessment waiting for you" in _text(strategic.get("/"))
    queue = _text(strategic.get("/governance/"))
    assert (
        "Submitted for review, oldest first" in queue and f"{REC}/#agency-cheshire-police" in queue
    )
    found = Assessment.objects.get(recommendation=REC)
    review = f"/governance/assessments/{found.pk}/review/"
    empty = strategic.post(review, {"step": "challenge", "reason": ""})
    assert empty.status_code == 400 and "give a reason to challenge" in _text(empty)
    assert (
        strategic.post(review, {"step": "challenge", "reason": "Which sample size?"}).status_code
        == 302
    )
    page = _text(lead.get(PAGE))
    assert (
        "Challenged" in page and "Which sample size?" in page and "Submit again for review" in page
    )
    lead.post(
        f"{PAGE}assess/",
        {
            "rag": "amber",
            "narrative": "20 cases a quarter.",
            "evidence": "AUD-26-031",
            "step": "submit",
        },
    )
    assert strategic.post(review, {"step": "sign_off", "reason": ""}).status_code == 302
    page = _text(strategic.get(PAGE))
    assert "Signed off" in page and "History: 4 versions" in page
    overview = _text(strategic.get("/governance/"))
    assert "Cheshire Constabulary" in overview and ">Halton<" in overview
    assert "1 signed off" in overview


def test_an_assessment_with_problems_comes_back(people: dict[str, Any]) -> None:
    sent = people["lead"].post(
        f"{PAGE}assess/", {"rag": "green", "narrative": "", "evidence": "", "step": "submit"}
    )
    page = _text(sent)
    assert sent.status_code == 400 and "That was not recorded" in page
    assert "Say where your agency stands before you submit" in page
    assert "Give the evidence for an Amber or Green rating" in page
    assert not Assessment.objects.exists()


def test_actions_are_set_and_overdue_ones_marked(people: dict[str, Any]) -> None:
    lead = people["lead"]
    late = (timezone.localdate() - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    sent = lead.post(
        f"{PAGE}actions/",
        {
            "what": "Audit 20 cases",
            "owner": "lead-police",
            "agency": "cheshire-police",
            "due_on": late,
        },
    )
    assert sent.status_code == 302
    action = ReviewAction.objects.get()
    mine = _text(lead.get("/governance/actions/"))
    assert "Audit 20 cases" in mine and "Overdue" in mine
    bad = lead.post(
        f"{PAGE}actions/", {"what": "", "owner": "", "agency": "cheshire-police", "due_on": "soon"}
    )
    assert bad.status_code == 400 and "Give a date, like 14/12/2026" in _text(bad)
    page = f"/governance/actions/{action.pk}/"
    assert "Mark it done" in _text(lead.get(page))
    assert lead.post(page, {"step": "complete", "reason": "Report AUD-1"}).status_code == 302
    shown = _text(lead.get(page))
    assert "Evidence it is done" in shown and "Report AUD-1" in shown
    assert "Audit 20 cases" in _text(people["auditor"].get("/governance/actions/?view=closed"))


def test_the_auditor_reads_and_changes_nothing(people: dict[str, Any]) -> None:
    auditor = people["auditor"]
    page = _text(auditor.get(PAGE))
    assert "Assess it for your agency" not in page and "Set an action" not in page
    assert auditor.post(f"{PAGE}assess/", {"rag": "red", "step": "save"}).status_code == 403
    register = _text(auditor.get("/governance/ofsted/"))
    assert "Cheshire East" in register and "Inadequate" in register and "20 councils" in register
    rows = list(csv.reader(io.StringIO(_text(auditor.get("/governance/ofsted.csv")))))
    assert rows[0][:3] == ["Local authority", "Inspection date", "Overall effectiveness"]
    assert len(rows) == 21
    assert people["mash"].get("/governance/").status_code == 403
    assert "/governance/" not in _text(people["mash"].get("/"))

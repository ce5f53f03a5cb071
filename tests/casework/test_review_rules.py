"""The review's machines: an agency lead drafts and submits; the strategic lead challenges
(with reasons) or signs off; an auditor takes no step; an action is started, done with its
evidence or cancelled with why."""

from __future__ import annotations

from safeguard.access.roles import Role
from safeguard.casework import review

LEAD, STRATEGIC, AUDITOR = {Role.AGENCY_LEAD}, {Role.STRATEGIC_LEAD}, {Role.AUDITOR}


def test_an_assessment_goes_round_until_signed_off() -> None:
    m = review.ASSESSMENT
    assert m.step(review.DRAFT, "submit", LEAD).transition.target == review.SUBMITTED  # type: ignore[union-attr]
    assert not m.step(review.DRAFT, "submit", STRATEGIC)
    refused = m.step(review.SUBMITTED, "challenge", STRATEGIC, "")
    assert not refused and refused.rule  # a challenge needs its reasons
    assert m.step(review.SUBMITTED, "challenge", STRATEGIC, "which audit?")
    assert m.step(review.CHALLENGED, "submit", LEAD)
    assert m.step(review.SUBMITTED, "sign_off", STRATEGIC)
    assert not m.step(review.SUBMITTED, "sign_off", LEAD)
    assert m.step(review.SIGNED_OFF, "save", LEAD).rule  # no step from there but revising
    assert m.step(review.SIGNED_OFF, "revise", LEAD, "a new year")
    assert not any(m.actions(s, AUDITOR) for s in m.states)


def test_an_action_needs_evidence_to_be_done_and_a_reason_to_be_cancelled() -> None:
    m = review.ACTION
    assert m.step(review.OPEN, "start", LEAD)
    assert m.step(review.OPEN, "complete", LEAD, "").rule
    assert m.step(review.IN_PROGRESS, "complete", STRATEGIC, "audit report AUD-1")
    assert m.step(review.IN_PROGRESS, "cancel", LEAD, "").rule
    assert not m.step(review.OPEN, "start", AUDITOR)
    assert not m.actions(review.DONE, LEAD | STRATEGIC)


def test_what_is_wrong_with_an_assessment_depends_on_submitting() -> None:
    assert review.assessment_problems("", "", [], "save") == {}
    wrong = review.assessment_problems("", "", [], "submit")
    assert set(wrong) == {"rag", "narrative"}
    assert "evidence" in review.assessment_problems("green", "In place.", [], "submit")
    assert review.assessment_problems("red", "Not yet.", [], "submit") == {}
    assert review.assessment_problems("purple", "", [], "save") == {
        "rag": "Choose Red, Amber or Green"
    }
    assert review.evidence_lines(" /missing/figures/ \n\n audit  2026 ") == [
        "/missing/figures/",
        "audit 2026",
    ]

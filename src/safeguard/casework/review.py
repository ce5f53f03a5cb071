"""The review against the inquiries' recommendations: who reads, assesses and reviews, an
assessment's state machine and an action's, and what is wrong with what is sent. Pure.

Each agency's safeguarding lead assesses their agency against each recommendation (a RAG
rating, a narrative, evidence) and submits it; the strategic lead challenges it (with the
reasons) or signs it off. A challenged assessment is revised and submitted again; a signed-off
one may be revised for the next year. Every save is a new version: nothing is overwritten.
Actions on a recommendation have an owner, an agency and a due date; they are started, done
(with the evidence of completion) or cancelled (with the reason).
"""

from __future__ import annotations

import datetime as dt

from safeguard.access.roles import Role
from safeguard.workflow.machine import Machine, Transition

#: Who assesses: each agency's safeguarding lead, for their own agency only.
ASSESSORS = frozenset({Role.AGENCY_LEAD})
#: Who reviews: challenges or signs off every agency's assessments.
REVIEWERS = frozenset({Role.STRATEGIC_LEAD})
#: Who reads every agency's assessments and actions (the auditor changes nothing).
PARTNERSHIP_READERS = REVIEWERS | {Role.AUDITOR}
READERS = ASSESSORS | PARTNERSHIP_READERS
#: Who sets actions and owns them: agency leads (for their agency) and the strategic lead.
ACTION_KEEPERS = ASSESSORS | REVIEWERS

DRAFT, SUBMITTED, CHALLENGED, SIGNED_OFF = "draft", "submitted", "challenged", "signed_off"
STATE_LABELS = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted for review",
    CHALLENGED: "Challenged",
    SIGNED_OFF: "Signed off",
}
ASSESSMENT = Machine(
    name="assessment",
    states=(DRAFT, SUBMITTED, CHALLENGED, SIGNED_OFF),
    initial=DRAFT,
    transitions=(
        Transition(DRAFT, "save", DRAFT, ASSESSORS, "Save as a draft", reason_required=False),
        Transition(DRAFT, "submit", SUBMITTED, ASSESSORS, "Submit for review", False),
        Transition(CHALLENGED, "save", CHALLENGED, ASSESSORS, "Save as a draft", False),
        Transition(CHALLENGED, "submit", SUBMITTED, ASSESSORS, "Submit again for review", False),
        Transition(SUBMITTED, "challenge", CHALLENGED, REVIEWERS, "Challenge it"),
        Transition(SUBMITTED, "sign_off", SIGNED_OFF, REVIEWERS, "Sign it off", False),
        Transition(SIGNED_OFF, "revise", DRAFT, ASSESSORS, "Revise it (a new year's review)"),
    ),
)

OPEN, IN_PROGRESS, DONE, CANCELLED = "open", "in_progress", "done", "cancelled"
ACTION_LABELS = {OPEN: "Open", IN_PROGRESS: "In progress", DONE: "Done", CANCELLED: "Cancelled"}
ACTIVE = (OPEN, IN_PROGRESS)
ACTION = Machine(
    name="review action",
    states=(OPEN, IN_PROGRESS, DONE, CANCELLED),
    initial=OPEN,
    transitions=(
        Transition(OPEN, "start", IN_PROGRESS, ACTION_KEEPERS, "Start it", False),
        Transition(OPEN, "complete", DONE, ACTION_KEEPERS, "Mark it done"),
        Transition(IN_PROGRESS, "complete", DONE, ACTION_KEEPERS, "Mark it done"),
        Transition(OPEN, "cancel", CANCELLED, ACTION_KEEPERS, "Cancel it"),
        Transition(IN_PROGRESS, "cancel", CANCELLED, ACTION_KEEPERS, "Cancel it"),
    ),
)

RED, AMBER, GREEN = "red", "amber", "green"
RAG_LABELS = {
    RED: "Red: not in place",
    AMBER: "Amber: partly in place",
    GREEN: "Green: in place, with evidence",
}
#: The longest narrative, reason or action kept (characters).
MAX_TEXT = 20_000
MAX_EVIDENCE = 20


def assessment_problems(rag: str, narrative: str, evidence: list[str], move: str) -> dict[str, str]:
    """What is wrong with an assessment, field by field. A draft may be unfinished; one
    submitted for review needs a RAG rating, a narrative, and evidence unless it is Red."""
    wrong: dict[str, str] = {}
    if rag and rag not in RAG_LABELS:
        wrong["rag"] = "Choose Red, Amber or Green"
    if len(narrative) > MAX_TEXT:
        wrong["narrative"] = "Keep it under 20,000 characters"
    if len(evidence) > MAX_EVIDENCE or any(len(e) > 500 for e in evidence):
        wrong["evidence"] = "Give at most 20 pieces of evidence, each under 500 characters"
    if move == "submit":
        if not rag:
            wrong["rag"] = "Choose Red, Amber or Green before you submit"
        if not narrative.strip():
            wrong["narrative"] = "Say where your agency stands before you submit"
        if rag in (AMBER, GREEN) and not evidence:
            wrong["evidence"] = "Give the evidence for an Amber or Green rating"
    return wrong


def action_problems(
    what: str, owner_ok: bool, agency_ok: bool, due_on: dt.date | None
) -> dict[str, str]:
    """What is wrong with an action, field by field (none: it may be set). A due date may be
    in the past: a partnership may be bringing in an action plan it already has."""
    wrong: dict[str, str] = {}
    if not what.strip():
        wrong["what"] = "Say what is to be done"
    elif len(what) > MAX_TEXT:
        wrong["what"] = "Keep it under 20,000 characters"
    if not owner_ok:
        wrong["owner"] = "Choose who owns it (an agency lead of that agency, or the strategic lead)"
    if not agency_ok:
        wrong["agency"] = "Choose the agency"
    if due_on is None:
        wrong["due_on"] = "Give the date it is due, like 14/12/2026"
    return wrong


def evidence_lines(raw: str) -> list[str]:
    """Evidence as people type it: one piece a line (a hub page, a figure, a document, an
    audit), blank lines dropped."""
    return [" ".join(line.split()) for line in raw.splitlines() if line.strip()]

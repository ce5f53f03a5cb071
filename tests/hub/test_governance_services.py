"""The review through its services on a real database: an agency lead assesses only their own
agency, every step a new version kept for ever; the strategic lead challenges (the agency is
told) and signs off; the auditor reads all and changes nothing; others are refused. The action
plan: owners from the right agency, steps through the machine with evidence, overdue actions
alert their owner once. The Ofsted register: the 2013 list seeded, a file imported with every
refused row named and the counts reconciled, the same file twice adding nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel
from safeguard.access.roles import Actor, Role
from safeguard.hub.alerts.models import Alert
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.governance import queries, services
from safeguard.hub.governance.models import AssessmentVersion, OfstedJudgement, ReviewAction

pytestmark = pytest.mark.django_db
REC = "jay-2014-01"
SAID = services.Statement("amber", "Partly in place.", ("/missing/figures/", "Audit 2026"))


def _as(user: Any) -> Caller:
    return Caller(user.actor(verified=True), Channel.WEB)


@pytest.fixture
def cast(make_user: Any) -> dict[str, Caller]:
    return {
        "police": _as(make_user("lead-police", "agency_lead", agency="cheshire-police")),
        "halton": _as(make_user("lead-halton", "agency_lead", agency="halton-cs")),
        "strategic": _as(make_user("strategic", "strategic_lead", agency="cheshire-east-cs")),
        "auditor": _as(make_user("auditor", "auditor", agency="cheshire-east-cs")),
        "mash": _as(make_user("mash", "mash_manager", agency="cheshire-east-cs")),
    }


def _events(name: str) -> int:
    return AuditEvent.objects.filter(action=name).count()


def test_an_assessment_goes_round_and_every_version_is_kept(cast: dict[str, Caller]) -> None:
    police, strategic = cast["police"], cast["strategic"]
    draft = services.assess(police, REC, services.Statement("", "Started on it."), "save")
    assert (draft.status, draft.version, draft.agency) == ("draft", 1, "cheshire-police")
    found = services.assess(police, REC, SAID, "submit")
    assert found.pk == draft.pk and found.status == "submitted"
    assert Alert.objects.filter(owner__username="strategic", kind="review_submitted").exists()
    services.decide(strategic, found.pk, "challenge", "Which audit, with what figures?")
    assert Alert.objects.filter(owner__username="lead-police", kind="review_decided").exists()
    services.assess(police, REC, services.Statement("green", "In place.", ("AUD-1",)), "submit")
    done = services.decide(strategic, found.pk, "sign_off", "")
    assert (done.status, done.rag, done.version) == ("signed_off", "green", 5)
    steps = list(
        AssessmentVersion.objects.filter(assessment=done)
        .order_by("number")
        .values_list("step", "state", "rag", "reason")
    )
    assert steps == [
        ("save", "draft", "", ""),
        ("submit", "submitted", "amber", ""),
        ("challenge", "challenged", "amber", "Which audit, with what figures?"),
        ("submit", "submitted", "green", ""),
        ("sign_off", "signed_off", "green", ""),
    ]
    assert _events("assessment_saved") == 3 and _events("assessment_reviewed") == 2
    reopened = services.assess(police, REC, SAID, "revise", "The 2027 review")
    assert (reopened.status, reopened.rag, reopened.version) == ("draft", "green", 6)


def test_a_submission_needs_a_rating_narrative_and_evidence(cast: dict[str, Caller]) -> None:
    with pytest.raises(Refusal) as e:
        services.assess(cast["police"], REC, services.Statement("green", "In place."), "submit")
    assert e.value.rule and set(e.value.problems) == {"evidence"}
    assert not AssessmentVersion.objects.exists()  # rolled back, and audited as a refusal
    assert _events("refused") == 1


def test_who_may_do_what(cast: dict[str, Caller]) -> None:
    found = services.assess(cast["police"], REC, SAID, "submit")
    for who in ("strategic", "auditor", "mash"):
        with pytest.raises(Refusal) as e:
            services.assess(cast[who], REC, SAID, "save")
        assert not e.value.rule
    for who in ("police", "auditor", "halton"):
        with pytest.raises(Refusal):
            services.decide(cast[who], found.pk, "sign_off", "")
    with pytest.raises(Refusal) as e:  # a challenge needs its reasons
        services.decide(cast["strategic"], found.pk, "challenge", " ")
    assert e.value.rule
    both = Caller(
        Actor("lead-police", "cheshire-police", frozenset(Role), True), Channel.WEB
    )  # holding both roles, they may not review what they submitted
    with pytest.raises(Refusal) as e:
        services.decide(both, found.pk, "sign_off", "")
    assert "someone else reviews it" in e.value.reason
    with pytest.raises(Refusal):  # no such recommendation
        services.assess(cast["police"], "no-such-thing", SAID, "save")


def test_an_agency_lead_reads_only_their_agency(cast: dict[str, Caller]) -> None:
    services.assess(cast["police"], REC, SAID, "submit")
    services.assess(cast["halton"], REC, SAID, "save")
    seen = {
        who: [a.agency for a in services.reads.recommendation(cast[who], REC).assessments]
        for who in ("police", "strategic", "auditor")
    }
    assert seen["police"] == ["cheshire-police"]
    assert len(seen["strategic"]) == len(queries.catalogue().agencies) == len(seen["auditor"])
    held = {
        a.agency: a.assessment is not None
        for a in services.reads.recommendation(cast["auditor"], REC).assessments
    }
    assert held["cheshire-police"] and held["halton-cs"] and not held["warrington-cs"]
    over = services.reads.overview(cast["police"])
    assert over.agencies == [("cheshire-police", "Cheshire Constabulary")]
    assert over.rag["amber"] == 1
    with pytest.raises(Refusal):
        services.reads.overview(cast["mash"])
    assert _events("viewed_review") == 4 and _events("viewed_list") == 1


def test_the_action_plan(cast: dict[str, Caller]) -> None:
    police, halton, strategic = cast["police"], cast["halton"], cast["strategic"]
    today = timezone.localdate()
    task = services.Task("Audit 20 cases", "lead-police", "cheshire-police", today)
    found = services.set_action(police, REC, task)
    assert Alert.objects.filter(owner__username="lead-police", kind="review_action").exists()
    with pytest.raises(Refusal) as e:  # an owner from another agency
        services.set_action(
            police, REC, services.Task("x", "lead-halton", "cheshire-police", today)
        )
    assert e.value.rule and "owner" in e.value.problems
    with pytest.raises(Refusal) as e:  # another agency's action
        services.set_action(halton, REC, task)
    assert not e.value.rule
    with pytest.raises(Refusal):
        services.step(halton, found.pk, "start", "")  # not theirs: not even visible
    with pytest.raises(Refusal):
        services.step(cast["auditor"], found.pk, "start", "")
    services.step(police, found.pk, "start", "")
    with pytest.raises(Refusal) as e:
        services.step(police, found.pk, "complete", "")  # the evidence it is done
    assert e.value.rule
    done = services.step(strategic, found.pk, "complete", "Audit report AUD-26-031")
    assert (done.status, done.outcome, done.closed_by) == (
        "done",
        "Audit report AUD-26-031",
        "strategic",
    )
    assert [h["step"] for h in done.history] == ["set", "start", "complete"]
    assert _events("review_action_set") == 1 and _events("review_action_stepped") == 2


def test_overdue_actions_alert_their_owner_once(cast: dict[str, Caller]) -> None:
    today = timezone.localdate()
    late = services.Task("Late", "lead-police", "cheshire-police", today - dt.timedelta(days=2))
    due = services.Task("Today", "strategic", "halton-cs", today)
    first = services.set_action(cast["police"], REC, late)
    services.set_action(cast["strategic"], REC, due)
    assert services.sweep(cast["strategic"]) == {"newly_told": 1}
    assert services.sweep(cast["strategic"]) == {"newly_told": 0}
    told = Alert.objects.get(kind="review_action_overdue")
    assert told.owner.username == "lead-police" and told.url == f"/governance/actions/{first.pk}/"
    assert _events("clock_overdue") == 1
    lines = services.reads.actions(cast["police"], "overdue")
    assert [(line.action.pk, line.overdue) for line in lines] == [(first.pk, True)]
    assert queries.counts(cast["police"].actor, today) == {"actions": 1, "overdue": 1, "waiting": 0}
    assert ReviewAction.objects.visible_to(cast["police"].actor).count() == 1


def test_the_register_is_seeded_with_the_2013_list() -> None:
    seeded = OfstedJudgement.objects.filter(framework="Annual report listing")
    assert seeded.count() == 20
    assert set(seeded.values_list("judgement", flat=True)) == {"inadequate"}
    assert seeded.filter(council="Cheshire East").exists()
    assert "Ofsted Social Care Annual Report 2012/13" in seeded.first().source  # type: ignore[union-attr]


CSV = (
    "Local authority,Inspection end date,Overall effectiveness,Inspection type\n"
    "Cheshire East,2015-10-16,Requires improvement to be good,SIF\n"
    "Halton,2019-02-01,Good,ILACS\n"
    "Halton,2016-02-01,Adequate,SIF\n"
)


def test_an_import_names_each_refused_row_and_reconciles(cast: dict[str, Caller]) -> None:
    with pytest.raises(Refusal) as e:
        services.import_judgements(cast["strategic"], CSV, "ofsted.csv")
    assert e.value.problems == {"line 4": "Adequate is not on the scale from November 2013"}
    assert OfstedJudgement.objects.count() == 20  # nothing added
    done = services.import_judgements(cast["strategic"], CSV, "ofsted.csv", partial=True)
    assert (done.read, done.added, done.already, len(done.refused)) == (3, 2, 0, 1)
    again = services.import_judgements(cast["strategic"], CSV, "ofsted.csv", partial=True)
    assert (again.added, again.already) == (0, 2)
    assert OfstedJudgement.objects.count() == 22 and _events("ofsted_imported") == 2
    with pytest.raises(Refusal) as e:
        services.import_judgements(cast["police"], CSV, "ofsted.csv", partial=True)
    assert not e.value.rule
    east = next(c for c in services.reads.register(cast["auditor"]) if c.name == "Cheshire East")
    assert [j.judgement for j in east.judgements] == ["requires_improvement", "inadequate"]

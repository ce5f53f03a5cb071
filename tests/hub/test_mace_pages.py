"""The MACE pages through the real sign-in, without JavaScript: a MASH manager schedules a
meeting and builds its agenda, records a decision and an action for a police officer and a
child abduction warning notice; the officer sees their action on their page and marks it
done; the disruption page counts it, and its CSV; a health lead reads the meeting without the
finding's details; a school lead is refused. Bad input is shown again with what was typed
and the problem beside its field (400)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import timezone

from safeguard.hub.intelligence.models import AnalysisRun, Finding, Screening
from safeguard.hub.mace.models import Disruption, Item, Meeting, MeetingAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def mace_cast(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    run = AnalysisRun.objects.create(
        started_at=timezone.now(), as_of=timezone.localdate(), catalogue="test", summary={}
    )
    Screening.objects.create(
        run=run,
        person_id=1,
        assessed_on=dt.date(2026, 10, 31),
        age=15,
        score=17,
        band_by_score="significant",
        band="significant",
        at_risk=True,
        referral=True,
        disclosed=False,
        reasons=[],
        catalogue="test",
    )
    Finding.objects.create(
        key="adult-page0001",
        kind="adult",
        anchor="P:3",
        summary="adult P:3 linked to 2 children of concern, 1 at risk",
        at_risk_children=1,
        strength=3.0,
        members=[{"node": "P:3", "role": "adult"}, {"node": "P:1", "role": "at-risk child"}],
        evidence=[],
        first_run=run,
        last_run=run,
    )
    return {
        "manager": make_user("chair", "mash_manager", agency="cheshire-east-cs"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
        "health": make_user("nurse", "health_lead", agency="cheshire-nhs"),
        "school": make_user("dsl", "school_dsl", agency="cheshire-schools"),
    }


def _day(days: int = 0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def test_a_meeting_is_scheduled_its_agenda_built_and_decided_without_javascript(
    mace_cast: Any, sign_in: Any
) -> None:
    manager = sign_in(mace_cast["manager"])
    home = manager.get("/").content.decode()
    assert 'href="/mace/"' in home and "0 MACE actions for you" in home
    assert manager.get("/mace/new/").status_code == 200
    bad = manager.post("/mace/new/", {"held_on": "next tuesday", "venue": "Room 4, Macclesfield"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "Give a date, like 14/12/2026" in page
    assert 'value="next tuesday"' in page and 'value="Room 4, Macclesfield"' in page
    assert Meeting.objects.count() == 0
    missing = manager.post("/mace/new/", {"held_on": _day(7), "venue": "Room 4"})
    page = missing.content.decode()
    assert missing.status_code == 400
    assert "Choose the council areas the meeting covers" in page and 'href="#areas"' in page
    assert "Choose the agencies that attend" in page and f'value="{_day(7)}"' in page
    sent = manager.post(
        "/mace/new/",
        {
            "held_on": _day(7),
            "areas": ["cheshire_east"],
            "chair": "chair",
            "attendees": ["police", "health", "education"],
            "venue": "Room 4",
        },
    )
    assert sent.status_code == 302
    meeting = Meeting.objects.get()
    page = manager.get(sent["Location"]).content.decode()
    assert "Not built yet" in page and "Meeting scheduled" in page
    assert manager.post(f"/mace/{meeting.pk}/agenda/").status_code == 302
    page = manager.get(f"/mace/{meeting.pk}/").content.decode()
    assert "Agenda built: 2 items added." in page
    assert "Katherine Smith" in page and "screened significant (score 17)" in page
    assert "adult P:3 linked to 2 children" in page  # the MASH reads intelligence
    listed = manager.get("/mace/").content.decode()
    assert "Coming up (1)" in listed and "2 items, 0 decided" in listed

    added = manager.post(
        f"/mace/{meeting.pk}/add/", {"kind": "child", "person": "Pxx", "reason": "Her brother"}
    )
    page = added.content.decode()
    assert added.status_code == 400 and "A Safeguard number is P and digits" in page
    assert "Her brother" in page and 'href="#person"' in page

    child = Item.objects.get(subject="P:1")
    empty = manager.post(f"/mace/items/{child.pk}/decide/", {"decision": "Serve a CAWN"})
    page = empty.content.decode()
    assert empty.status_code == 400 and "Say what the meeting discussed" in page
    assert "Serve a CAWN" in page
    decided = manager.post(
        f"/mace/items/{child.pk}/decide/",
        {"summary": "Police and school share concerns about 'Dev'", "decision": "Serve a CAWN"},
    )
    assert decided.status_code == 302
    late = manager.post(
        f"/mace/items/{child.pk}/actions/",
        {"what": "Serve the CAWN on 'Dev'", "owner": "pc", "agency": "police", "due_on": "soon"},
    )
    page = late.content.decode()
    assert late.status_code == 400 and "Give a date, like 14/12/2026" in page
    assert "Serve the CAWN on &#x27;Dev&#x27;" in page and 'value="soon"' in page
    set_ = manager.post(
        f"/mace/items/{child.pk}/actions/",
        {"what": "Serve the CAWN on 'Dev'", "owner": "pc", "agency": "police", "due_on": _day(14)},
    )
    assert set_.status_code == 302
    page = manager.get(f"/mace/items/{child.pk}/").content.decode()
    assert "Action set; its owner has been told." in page and ">Open<" in page

    no_place = manager.post(
        "/mace/disruption/new/",
        {"kind": "makesafe_hotel", "on": _day(), "agency": "police", "meeting": meeting.pk},
    )
    page = no_place.content.decode()
    assert no_place.status_code == 400 and "Say where: the premises" in page
    cawn = manager.post(
        "/mace/disruption/new/",
        {
            "kind": "cawn",
            "on": _day(),
            "against": "'Dev', about 24, silver Golf",
            "agency": "police",
            "meeting": meeting.pk,
            "item": child.pk,
        },
    )
    assert cawn.status_code == 302 and cawn["Location"] == f"/mace/items/{child.pk}/"
    assert Disruption.objects.get().area == "cheshire_east"
    figures = manager.get("/mace/disruption/").content.decode()
    assert re.search(r"Child abduction warning notice \(CAWN\)</th>\s*<td[^>]*>1<", figures)
    rows = list(csv.reader(io.StringIO(manager.get("/mace/disruption.csv").content.decode())))
    assert rows[0] == ["month", "council_area", "type", "type_label", "count"]
    assert rows[1][1:] == ["cheshire_east", "cawn", "Child abduction warning notice (CAWN)", "1"]


def _meeting_with_action(mace_cast: Any, sign_in: Any) -> tuple[Any, MeetingAction]:
    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.hub.mace import services

    chair = Caller(mace_cast["manager"].actor(verified=True), Channel.WEB)
    plan = services.Plan(timezone.localdate(), ("cheshire_east",), "chair", ("police",))
    meeting = services.schedule(chair, plan)
    services.build(chair, meeting.pk)
    item = Item.objects.get(subject="P:1")
    due = timezone.localdate() + dt.timedelta(days=3)
    action = services.set_action(chair, item.pk, services.Task("Visit her", "pc", "police", due))
    return meeting, action


def test_the_officer_sees_their_action_and_marks_it_done(mace_cast: Any, sign_in: Any) -> None:
    _, action = _meeting_with_action(mace_cast, sign_in)
    police = sign_in(mace_cast["police"])
    assert "1 MACE action for you" in police.get("/").content.decode()
    mine = police.get("/mace/actions/").content.decode()
    assert "Visit her" in mine and f'href="/mace/actions/{action.pk}/"' in mine
    page = police.get(f"/mace/actions/{action.pk}/").content.decode()
    assert "Mark it done" in page and "Cancel it" in page
    empty = police.post(f"/mace/actions/{action.pk}/", {"step": "complete", "reason": " "})
    assert empty.status_code == 400 and "give a reason" in empty.content.decode()
    done = police.post(f"/mace/actions/{action.pk}/", {"step": "complete", "reason": "Visited"})
    assert done.status_code == 302
    page = police.get(done["Location"]).content.decode()
    assert "Marked done." in page and "Done on time" in page and "Mark it done" not in page
    assert MeetingAction.objects.get().status == "done"


def test_a_health_lead_reads_without_the_findings_details_and_a_school_lead_is_refused(
    mace_cast: Any, sign_in: Any
) -> None:
    meeting, action = _meeting_with_action(mace_cast, sign_in)
    health = sign_in(mace_cast["health"])
    page = health.get(f"/mace/{meeting.pk}/").content.decode()
    assert "Katherine Smith" in page and "P:3" not in page
    assert "A network finding: its details are for the police, the MASH and analysts" in page
    assert "Build the agenda" not in page and "Add an item by hand" not in page
    finding = Item.objects.get(kind="finding")
    assert "P:3" not in health.get(f"/mace/items/{finding.pk}/").content.decode()
    refused = health.post(f"/mace/actions/{action.pk}/", {"step": "complete", "reason": "x"})
    assert refused.status_code == 403  # not theirs to mark done
    school = sign_in(mace_cast["school"])
    assert 'href="/mace/"' not in school.get("/").content.decode()
    assert school.get("/mace/").status_code == 403
    assert school.get(f"/mace/{meeting.pk}/").status_code == 403

"""The screening and findings pages through the real sign-in, without JavaScript: a MASH
practitioner works the screening queue, reads every sign with its quoted evidence, records
their level and a sign they saw (refused first for what is missing, with what was typed kept);
an analyst investigates and explains a finding from its page, where a table says everything
the network picture shows; need to know holds."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.intelligence.models import Finding, RecordedIndicator, ScreeningDecision
from tests.hub.conftest import _mini_intelligence

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    _mini_intelligence()
    return {
        "mash": make_user("mia", "mash_practitioner", agency="cheshire-east-cs"),
        "analyst": make_user("ann", "analyst", agency="cheshire-police"),
        "school": make_user("sam", "school_dsl", agency="cheshire-schools"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
    }


def test_the_screening_queue_a_childs_signs_and_a_practitioners_level(
    cast: Any, sign_in: Any
) -> None:
    mash = sign_in(cast["mash"])
    queue = mash.get("/intelligence/screening/").content.decode()
    assert "Katherine Smith" in queue and "1 child," in queue and "Found with an adult" in queue
    page = mash.get("/intelligence/screening/1/").content.decode()
    assert "found with adult male" in page  # the words that matched
    assert "cheshire-police:missing_episodes:MIS-1" in page  # the record, by agency
    assert "None yet: this is a proposal" in page

    refused = mash.post("/intelligence/screening/1/confirm/", {"band": "moderate", "reason": "  "})
    assert refused.status_code == 400
    assert "give a reason" in refused.content.decode()
    assert not ScreeningDecision.objects.exists()

    done = mash.post(
        "/intelligence/screening/1/confirm/",
        {"band": "moderate", "reason": "Seen at a home visit; no adult since March"},
    )
    assert done.status_code == 302
    decision = ScreeningDecision.objects.get()
    assert decision.band == "moderate" and decision.decided_by == "mia"
    after = mash.get("/intelligence/screening/1/").content.decode()
    assert "Moderate by mia" in after and "Significant" in after  # beside, never over
    assert "Katherine Smith" not in mash.get("/intelligence/screening/").content.decode()
    assert "Katherine Smith" in mash.get("/intelligence/screening/?view=decided").content.decode()

    typed = {"code": "older_boyfriend", "seen_on": "31/02/2026", "note": "Older man at the gate"}
    bad = mash.post("/intelligence/screening/1/record/", typed)
    assert bad.status_code == 400 and "Older man at the gate" in bad.content.decode()
    assert not RecordedIndicator.objects.exists()
    good = mash.post("/intelligence/screening/1/record/", {**typed, "seen_on": "2/11/2026"})
    assert good.status_code == 302
    assert RecordedIndicator.objects.get().note == "Older man at the gate"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"screening_confirmed", "indicator_recorded", "viewed_person"} <= actions


def test_a_finding_its_table_and_its_disposition(cast: Any, sign_in: Any) -> None:
    analyst = sign_in(cast["analyst"])
    listing = analyst.get("/intelligence/findings/").content.decode()
    assert "adult-matrix0001" in listing and "1 finding" in listing
    page = analyst.get("/intelligence/findings/adult-matrix0001/").content.decode()
    assert "Katherine Smith" in page and "John Brown" in page  # members by name, in a table
    assert "Found with" in page and "MIS-1" in page  # every record behind it
    assert 'id="network-data"' in page  # the picture's data, for the script

    empty = analyst.post(
        "/intelligence/findings/adult-matrix0001/dispose/", {"status": "explained", "reason": ""}
    )
    assert empty.status_code == 400 and "give a reason" in empty.content.decode()
    assert Finding.objects.get().status == "open"
    for status, reason in (
        ("under_investigation", "Checking with the school"),
        ("explained", "He is her uncle; known to the family"),
    ):
        moved = analyst.post(
            "/intelligence/findings/adult-matrix0001/dispose/", {"status": status, "reason": reason}
        )
        assert moved.status_code == 302
    assert Finding.objects.get().status == "explained"
    history = analyst.get("/intelligence/findings/adult-matrix0001/").content.decode()
    assert "He is her uncle" in history and "Reopen" in history
    assert "adult-matrix0001" not in analyst.get("/intelligence/findings/").content.decode()
    assert "adult-matrix0001" in analyst.get("/intelligence/findings/?status=all").content.decode()


def test_need_to_know_on_the_screening_and_findings_pages(cast: Any, sign_in: Any) -> None:
    school = sign_in(cast["school"])
    assert school.get("/intelligence/findings/").status_code == 403
    assert school.get("/intelligence/screening/").status_code == 403
    # the police read findings; a person their agency holds no record of is shown by number
    police = sign_in(cast["police"])
    page = police.get("/intelligence/findings/adult-matrix0001/").content.decode()
    assert "Katherine Smith" in page and "Person 3" in page and "John Brown" not in page


def test_the_queue_pages_fifty_children_at_a_time(cast: Any, sign_in: Any) -> None:
    import datetime as dt

    from safeguard.hub.intelligence.models import Screening
    from safeguard.hub.people.models import Person

    first = Screening.objects.get(person_id=1)
    run = Person.objects.get(pk=1).created_run
    Person.objects.bulk_create(Person(pk=100 + n, created_run=run) for n in range(55))
    Screening.objects.bulk_create(
        Screening(
            run=first.run,
            person_id=100 + n,
            assessed_on=first.assessed_on,
            age=14,
            score=11,
            band_by_score="moderate",
            band="moderate",
            at_risk=True,
            referral=True,
            disclosed=False,
            reasons=[],
            catalogue=first.catalogue,
            latest_evidence=dt.datetime(2026, 4, 1, tzinfo=dt.UTC) + dt.timedelta(days=n),
        )
        for n in range(55)
    )
    mash = sign_in(cast["mash"])
    one = mash.get("/intelligence/screening/").content.decode()
    assert "56 children, newest evidence first" in one and "Page 1 of 2" in one
    assert 'href="?view=to_decide&amp;page=2"' in one
    assert one.index("Person 154") < one.index("Person 105")  # the newest evidence first
    two = mash.get("/intelligence/screening/?view=to_decide&page=2").content.decode()
    assert "Page 2 of 2" in two and "Katherine Smith" in two  # March: the oldest evidence


def test_your_work_leads_to_the_screening_queue_and_the_findings(cast: Any, sign_in: Any) -> None:
    mash = sign_in(cast["mash"])
    home = mash.get("/").content.decode()
    assert 'href="/intelligence/screening/">1 child proposed as at risk' in home
    assert 'href="/intelligence/findings/">1 open network finding<' in home

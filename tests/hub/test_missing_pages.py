"""The missing-children and homes pages through the real sign-in, without JavaScript: a home's
staff report a resident missing and keep the Philomena form, the police grade and print the
pack, the return is recorded, the provider's interviewer works the interview, the SPOC logs a
visit and sees it all on their page, the home logs a regulation 40 notification; bad input is
shown again with what was typed and the problem (400)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeguard.hub.carehomes.models import Notification, Visit
from safeguard.hub.deliveries.models import Agency, SourceRecord
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.missing.models import Episode, Interview, Profile, Sighting
from tests.hub.conftest import _record, loaded_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_cast(make_user: Any, mini_hub: Any) -> dict[str, Any]:
    people = {
        "staff": make_user("carer", "home_staff", agency="bridge-house"),
        "police": make_user("pc", "police_officer", agency="cheshire-police"),
        "spoc": make_user("spoc", "police_spoc", agency="cheshire-police"),
        "rhi": make_user("rhi", "rhi_worker", agency="return-interviews"),
        "lead": make_user("lead", "strategic_lead", agency="cheshire-east-cs"),
    }
    home = ChildrensHome.objects.create(
        home_id="H-1", name="Bridge House", council_area="halton", police_spoc=people["spoc"]
    )
    home.staff.add(people["staff"])
    police = Agency.objects.get(code="cheshire-police")
    _record(
        police,
        loaded_delivery(police),
        "placements",
        "PL-1",
        "POL-1",
        "2026-01-01",
        person_id="POL-1",
        care_home_id="H-1",
        start_date="2026-01-01",
    )
    assert SourceRecord.objects.filter(kind="placements").count() == 1
    return people


def test_a_home_reports_the_police_grade_print_and_the_child_is_found_and_interviewed(
    home_cast: Any, sign_in: Any
) -> None:
    staff = sign_in(home_cast["staff"])
    home = staff.get("/homes/H-1/").content.decode()
    assert "Living there now (1)" in home and "P1" in home
    bad = staff.post(
        "/missing/report/",
        {"kind": "missing", "started_at": "yesterday-ish", "last_seen_where": "the bus stop"},
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "like 6/12/2026 21:30" in page
    assert 'value="the bus stop"' in page and Episode.objects.count() == 0
    earlier = (timezone.localtime() - dt.timedelta(hours=3)).strftime("%d/%m/%Y %H:%M")
    sent = staff.post(
        "/missing/report/",
        {
            "kind": "missing",
            "person": "P1",
            "home": "H-1",
            "started_at": earlier,
            "last_seen_with": "Dev",
        },
    )
    assert sent.status_code == 302
    episode = Episode.objects.get()
    part_one = staff.post(
        "/missing/children/1/philomena/",
        {"description": "5ft 4, slim, long dark hair", "associates": "Dev", "home": "H-1"},
    )
    assert part_one.status_code == 302 and Profile.objects.get().home.home_id == "H-1"
    staff.post(f"/missing/episodes/{episode.pk}/part-two/", {"clothing": "Black puffer"})
    assert Sighting.objects.get().clothing == "Black puffer"
    staff.post(f"/missing/episodes/{episode.pk}/hand-over/")

    police = sign_in(home_cast["police"])
    page = police.get(f"/missing/episodes/{episode.pk}/").content.decode()
    assert "Grade the risk" in page and "Print the Philomena pack" in page
    no_reason = police.post(f"/missing/episodes/{episode.pk}/grade/", {"grade": "high"})
    assert no_reason.status_code == 400 and "give a reason" in no_reason.content.decode()
    police.post(
        f"/missing/episodes/{episode.pk}/grade/", {"grade": "high", "reason": "with an adult male"}
    )
    pdf = police.get(f"/missing/episodes/{episode.pk}/philomena.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    back = police.post(
        f"/missing/episodes/{episode.pk}/find/", {"returned_at": "23:59", "found_where": ""}
    )
    assert back.status_code == 400
    police.post(f"/missing/episodes/{episode.pk}/find/", {"found_where": "Takeaway, High St"})
    interview = Interview.objects.get()

    rhi = sign_in(home_cast["rhi"])
    assert "Bridge House" in rhi.get("/missing/interviews/").content.decode()
    rhi.post(f"/missing/interviews/{interview.pk}/", {"action": "offer"})
    rhi.post(f"/missing/interviews/{interview.pk}/", {"action": "accept"})
    done = rhi.post(
        f"/missing/interviews/{interview.pk}/",
        {"action": "complete", "with_whom": "Dev, about 24", "signs": ["older_boyfriend"]},
    )
    assert done.status_code == 302
    assert Interview.objects.get().status == "done"
    assert rhi.get(f"/missing/episodes/{episode.pk}/").status_code == 403  # interviews only

    spoc = sign_in(home_cast["spoc"])
    mine = spoc.get("/homes/spoc/").content.decode()
    assert "Bridge House" in mine and "Living there now (1)" in mine
    spoc.post("/homes/H-1/visit/", {"kind": "visit", "notes": "Met the manager about Dev"})
    assert Visit.objects.get().by == "spoc"
    lead = sign_in(home_cast["lead"])
    figures = lead.get("/missing/figures/").content.decode()
    assert "Halton" in figures
    csv = lead.get("/missing/figures.csv")
    assert csv.status_code == 200 and b"halton" in csv.content


def test_a_home_logs_a_regulation_40_notification_and_others_may_not(
    home_cast: Any, sign_in: Any
) -> None:
    staff = sign_in(home_cast["staff"])
    empty = staff.post("/homes/H-1/notify/", {"event": "suspected_cse"})
    assert empty.status_code == 400 and "Say whom the home told" in empty.content.decode()
    staff.post(
        "/homes/H-1/notify/",
        {
            "event": "suspected_cse",
            "happened_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime(
                "%d/%m/%Y %H:%M"
            ),
            "told": ["Ofsted", "The police"],
            "details": "Came back with gifts from an older male",
        },
    )
    assert Notification.objects.get().told == ["Ofsted", "The police"]
    police = sign_in(home_cast["police"])
    assert police.post("/homes/H-1/notify/", {"event": "other"}).status_code == 403
    assert "Came back with gifts" in police.get("/homes/H-1/").content.decode()

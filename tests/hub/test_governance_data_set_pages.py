"""The partnership's data set and the meeting packs through the real sign-in, without
JavaScript: the strategic lead finds the data set from their home page, filters it by council
area (a GET form), opens a KPI (its definition, chart and table), downloads its CSV as held and
as published and the whole data set as one CSV; makes a pack with the button (a bad date sent
back beside its field), sees it listed and downloads it. Each page writes exactly one audit
event. The analyst and the auditor read; the auditor is offered no button and refused one; a
MASH manager is refused the data set. (The PDF itself: `test_governance_pack.py`.)"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.governance.models import MeetingPack
from safeguard.hub.governance.services import pack
from tests.governance.kpi_setup import contact

pytestmark = pytest.mark.django_db
KPI = "/governance/data-set/decided_in_time/"


@pytest.fixture
def people(make_user: Any, sign_in: Any) -> dict[str, Any]:
    users = {
        "strategic": make_user("strategic", "strategic_lead", agency="cheshire-east-cs"),
        "analyst": make_user("analyst", "analyst", agency="cheshire-east-cs"),
        "auditor": make_user("auditor", "auditor", agency="cheshire-east-cs"),
        "lead": make_user("lead-police", "agency_lead", agency="cheshire-police"),
        "mash": make_user("mash", "mash_manager", agency="cheshire-east-cs"),
    }
    return {name: sign_in(user) for name, user in users.items()}


def _last_month() -> dt.datetime:
    """9:00 on the first of last month: a month wholly past, inside the 12 months."""
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(first.replace(day=1), dt.time(9)))


def _contacts() -> None:
    """Last month: Cheshire East six decided within the hour; Halton two, one decided late."""
    start = _last_month()
    for n in range(6):
        received = start + dt.timedelta(minutes=n)
        contact("cheshire_east", received, received + dt.timedelta(hours=1), ("assessment",))
    contact("halton", start, start + dt.timedelta(hours=2))
    contact("halton", start, start + dt.timedelta(days=9))


def _text(response: Any) -> str:
    return response.content.decode()


def _events(since: int) -> list[str]:
    return list(AuditEvent.objects.filter(pk__gt=since).values_list("action", flat=True))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_data_set_pages_and_their_csvs(people: dict[str, Any]) -> None:
    _contacts()
    strategic = people["strategic"]
    home = _text(strategic.get("/"))
    assert 'href="/governance/data-set/"' in home and 'href="/governance/packs/"' in home

    before = _last()
    index = strategic.get("/governance/data-set/", {"area": "cheshire_east"})
    page = _text(index)
    assert index.status_code == 200 and _events(before) == ["viewed_data_set"]
    assert page.count('class="govuk-table__row"') >= 17  # a head row and 16 KPIs
    assert (
        '<option value="cheshire_east" selected>' in page
        and "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    )
    assert f'href="{KPI}?area=cheshire_east"' in page

    before = _last()
    found = strategic.get(KPI, {"area": "cheshire_east"})
    page = _text(found)
    assert found.status_code == 200 and _events(before) == ["viewed_data_set"]
    assert "by the end of the first working day" in page  # the definition, on the page
    assert 'role="img"' in page and "Referral decisions within 1 working day, Cheshire East" in page
    assert "100.0%" in page and "6 of 6" in page  # last month in Cheshire East
    assert 'numeric">Halton</th>' not in page  # the filter keeps one area's column
    everywhere = _text(strategic.get(KPI))
    assert 'numeric">Halton</th>' in everywhere and "50.0%" in everywhere and "1 of 2" in everywhere
    published = _text(strategic.get(KPI, {"published": "1"}))
    assert "[c]" in published and "1 of 2" not in published

    before = _last()
    held = strategic.get("/governance/data-set/decided_in_time.csv")
    assert held["Content-Type"].startswith("text/csv") and _events(before) == ["viewed_data_set"]
    rows = list(csv.DictReader(io.StringIO(held.content.decode())))
    month = f"{_last_month():%Y-%m}"
    line = next(r for r in rows if r["month"] == month and r["council_area"] == "halton")
    assert (line["numerator"], line["denominator"], line["value"]) == ("1", "2", "50.0")
    assert {r["kpi"] for r in rows} == {"decided_in_time"} and len(rows) == 12 * 6
    shown = strategic.get("/governance/data-set/decided_in_time.csv", {"published": "1"})
    rows = list(csv.DictReader(io.StringIO(shown.content.decode())))
    line = next(r for r in rows if r["month"] == month and r["council_area"] == "halton")
    assert (line["numerator"], line["denominator"], line["value"]) == ("[c]", "[c]", "[c]")
    whole = strategic.get("/governance/data-set.csv")
    rows = list(csv.DictReader(io.StringIO(whole.content.decode())))
    assert len({r["kpi"] for r in rows}) == 16 and rows[0]["kpi"] == "contacts"

    unknown = strategic.get("/governance/data-set/no_such_kpi/")
    assert unknown.status_code == 400 and "no KPI no_such_kpi" in _text(unknown)


def test_who_reads_the_data_set(people: dict[str, Any]) -> None:
    for reader in ("analyst", "auditor", "lead"):
        assert people[reader].get(KPI).status_code == 200, reader
    analyst = _text(people["analyst"].get("/governance/data-set/"))
    assert 'href="/governance/"' not in analyst.split('aria-label="Governance"', 1)[1]
    before = _last()
    refused = people["mash"].get("/governance/data-set/")
    assert refused.status_code == 403 and _events(before) == ["refused"]
    assert people["mash"].get("/governance/packs/").status_code == 403


def test_the_pack_button_the_list_and_the_download(
    people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack, "render", lambda found, by, at: b"%PDF-1.7 stand-in\n%%EOF\n")
    strategic, auditor = people["strategic"], people["auditor"]
    page = _text(strategic.get("/governance/packs/"))
    assert "Make the meeting pack" in page and "No packs yet." in page

    before = _last()
    bad = strategic.post("/governance/packs/make/", {"meeting": "next Tuesday"})
    assert bad.status_code == 400 and "Give the meeting&#x27;s date" in _text(bad)
    assert _events(before) == ["refused"] and not MeetingPack.objects.exists()

    before = _last()
    meeting = timezone.localdate() + dt.timedelta(days=10)
    made = strategic.post("/governance/packs/make/", {"meeting": f"{meeting:%d/%m/%Y}"})
    assert made.status_code == 302 and made["Location"] == "/governance/packs/"
    assert _events(before) == ["pack_made"]
    found = MeetingPack.objects.get()
    assert found.meeting_on == meeting and found.made_by == "strategic"
    listed = _text(strategic.get("/governance/packs/"))
    assert "is ready (pack" in listed and f"/governance/packs/{found.pk}.pdf" in listed

    page = _text(auditor.get("/governance/packs/"))
    assert "Make the meeting pack" not in page and f"Pack {found.pk}" in page
    before = _last()
    pdf = auditor.get(f"/governance/packs/{found.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(pk__gt=before)
    assert event.action == "pack_downloaded" and found.sha256 in event.target
    refused = auditor.post("/governance/packs/make/", {"meeting": f"{meeting:%d/%m/%Y}"})
    assert refused.status_code == 403 and MeetingPack.objects.count() == 1

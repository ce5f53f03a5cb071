"""The strategic group's meeting pack, made once from the mini hub (Katie Smith, Kate Smyth,
John Brown; a public concern about Katie; a home without a SPOC; the review with an
assessment and an action) plus eight contacts: the PDF rendered to images with
pdftoppm (every page there), its text read with pdftotext (every section and table, small
counts as [c], seven of eight decisions shown, no child's name, record id, NHS number or date
of birth anywhere), kept with its hash, audited, listed and downloaded."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from safeguard.access.roles import Role
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.governance.models import MeetingPack
from safeguard.hub.governance.services import pack
from tests.callers import caller
from tests.governance.kpi_setup import contact
from tests.hub.governance_setup import mini_governance

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (pdftoppm)"),
]
#: What would identify a child of the mini hub, if it were ever printed.
IDENTITY = (
    "Katie",
    "Katherine",
    "Smith",
    "Smyth",
    "John Brown",
    "POL-1",
    "NHS-1",
    "SCH-1",
    "9434765919",
    "2011-07-04",
    "04/07/2011",
    "CW1 2AB",
    "MIS-1",
)
SECTIONS = (
    "Multi-Agency Strategic Group",
    "Agenda",
    "1. The partnership's data set",
    "Referral decisions within 1 working day",
    "2. Exceptions",
    "Open children's homes without a police SPOC",
    "3. The review against the recommendations",
    "4. The action plan",
    "Due before the next meeting",
    "5. The yearly report of the safeguarding partners",
    "Sign-off by the lead safeguarding partners",
)


def _eight_contacts() -> None:
    """Cheshire East: seven contacts last month decided within the hour, one the month before
    decided 9 days late."""
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(first.replace(day=1), dt.time(9)))
    for n in range(7):
        received = start + dt.timedelta(minutes=n)
        contact("cheshire_east", received, received + dt.timedelta(hours=1), ("assessment",))
    late = start - dt.timedelta(days=20)
    contact("cheshire_east", late, late + dt.timedelta(days=9))


def _text(pdf: Path) -> str:
    """The PDF's text in reading order, every run of spaces and line breaks one space."""
    found = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(found.stdout.split())


def test_the_pack_for_the_strategic_group(mini_mash: dict[str, Any], tmp_path: Path) -> None:
    mini_governance(mini_mash)
    _eight_contacts()
    strategic = caller(Role.STRATEGIC_LEAD, agency="cheshire-east-cs", username="strategic")
    meeting = timezone.localdate() + dt.timedelta(days=7)
    made = pack.make(strategic, meeting)

    pdf = bytes(made.pdf)
    assert pdf.startswith(b"%PDF") and made.size == len(pdf)
    assert made.sha256 == hashlib.sha256(pdf).hexdigest()
    assert made.figures_to == timezone.localdate()  # a meeting to come: figures to today
    event = AuditEvent.objects.get(action="pack_made")
    assert event.username == "strategic" and event.allowed
    assert meeting.isoformat() in event.target and made.sha256 in event.target

    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "24", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert len(pages) == count >= 10
    assert all(p.stat().st_size > 500 for p in pages)  # each page drawn, none blank

    text = _text(path)
    for heading in SECTIONS:
        assert heading in text, heading
    assert text.count("Month") >= 16  # a table for each of the 16 indicators
    assert "Cheshire East" in text and "All areas" in text
    assert "[c]" in text  # the public concern, Bridge House without a SPOC: under 5
    assert "Bridge House" in text  # a home is named, never a child
    assert "Audit 20 cases" in text  # the action due in a week, before the next meeting
    assert "Lead safeguarding partner for Halton Council" in text
    assert "100.0% (7 of 7)" in text  # last month: seven decided, all in time
    # the year: the late one 40 days ago too (the public concern's clock is still running)
    assert "Referral decisions within 1 working day 87.5% (7 of 8)" in text
    for identity in IDENTITY:
        assert identity not in text, f"the pack shows {identity!r}"
    assert mini_mash["reference"] not in text


def test_a_pack_is_refused_to_all_but_the_strategic_lead_and_needs_a_date(db: Any) -> None:
    from safeguard.access.caller import Refusal

    auditor = caller(Role.AUDITOR, username="auditor")
    with pytest.raises(Refusal) as refused:
        pack.make(auditor, timezone.localdate())
    assert refused.value.status == 403
    strategic = caller(Role.STRATEGIC_LEAD, username="strategic")
    with pytest.raises(Refusal) as wrong:
        pack.make(strategic, None)
    assert wrong.value.status == 400 and "meeting" in wrong.value.problems
    with pytest.raises(Refusal) as backwards:
        today = timezone.localdate()
        pack.make(strategic, today, today - dt.timedelta(days=1))
    assert "next_meeting" in backwards.value.problems
    assert not MeetingPack.objects.exists()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["refused"] * 3


def test_the_next_meeting_is_three_months_on_by_default() -> None:
    assert pack.next_meeting_after(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    assert pack.next_meeting_after(dt.date(2026, 1, 15)) == dt.date(2026, 4, 15)

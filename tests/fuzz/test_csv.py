"""The hub's CSV downloads neutralise formula injection (OWASP): a text cell a spreadsheet would
run (=, +, -, @, a tab or a carriage return first) is written with a quote in front, by the one
writer every download uses; figures stay figures."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from safeguard.hub.governance.models import OfstedJudgement
from safeguard.hub.web import csv as sheet
from tests.fuzz import hostile
from tests.fuzz.conftest import staff
from tests.hub import test_routes as matrix

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"


@pytest.mark.parametrize("value", [*hostile.FORMULAE, "\t=1+1", "\r=1+1", "=1", "@x"])
def test_a_cell_that_would_run_is_written_as_text(value: str) -> None:
    written = sheet.text(["a"], [[value]])
    assert list(csv.reader(io.StringIO(written)))[1] == ["'" + value]


@pytest.mark.parametrize("value", ["Katie Smith", "'quoted", " =spaced", "a=b", "", "[c]"])
def test_other_text_is_written_as_it_is(value: str) -> None:
    assert list(csv.reader(io.StringIO(sheet.text(["a"], [[value]]))))[1] == [value]


def test_figures_stay_figures() -> None:
    assert sheet.text(["n", "x"], [[-3, -0.5]]) == "n,x\r\n-3,-0.5\r\n"


def test_every_csv_the_hub_writes_goes_through_the_one_writer() -> None:
    writers = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", p.read_text())
    ]
    # the synthetic partnership writes agencies' made-up deliveries (input, not downloads)
    assert [w for w in writers if not w.startswith("synthetic/")] == ["hub/web/csv.py"]


def test_the_ofsted_register_download_neutralises_a_formula(db: Any) -> None:
    hostile_council = '=HYPERLINK("http://evil.example","Cheshire East")'
    OfstedJudgement.objects.create(
        council=hostile_council,
        judged_on="2024-03-01",
        judgement="good",
        framework="-2+3",
        source="@SUM(1+1)*cmd|' /C calc'!A0",
        recorded_by="fuzz",
        recorded_at=timezone.now(),
    )
    auditor = matrix._client(staff("auditor", "auditor", agency="cheshire-east-cs"))
    got = auditor.get("/governance/ofsted.csv")
    assert got.status_code == 200 and got["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.content.decode())))
    row = next(r for r in rows[1:] if "HYPERLINK" in r[0])
    assert row[0] == "'" + hostile_council
    assert row[3] == "'-2+3" and row[4].startswith("'@SUM")

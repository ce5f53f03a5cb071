"""The hub's records in the Standard Safeguarding Dataset's layout, on the small partnership
of the KPI tests (`kpi_setup`): every contact, the referrals among them, every missing
episode but the cancelled one; analysts only, audited; no name anywhere."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from safeguard.access.caller import Refusal
from safeguard.access.roles import Role
from safeguard.governance import ssd
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.governance.services import ssd as export
from tests.callers import caller
from tests.governance import kpi_setup
from tests.governance.kpi_setup import front_door, missing

pytestmark = pytest.mark.django_db


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (folder / f"{name}.csv").open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == list(ssd.TABLES[name])  # the SSD's columns, in order
    return rows


def test_contacts_referrals_and_missing_in_the_ssd_layout(tmp_path: Path, monkeypatch) -> None:
    contacts = front_door()
    monkeypatch.setattr(kpi_setup, "people", lambda: None)  # made once, by front_door
    missing()
    written = export.export(caller(Role.ANALYST), tmp_path)
    assert written == {"ssd_contacts": 16, "ssd_cin_episodes": 6, "ssd_missing": 10}

    rows = {r["cont_contact_id"]: r for r in _read(tmp_path, "ssd_contacts")}
    c3 = rows[str(contacts["c3"].pk)]
    assert c3["cont_person_id"] == "3" and c3["cont_contact_source_code"] == "2A"
    assert c3["cont_contact_date"] == "2026-05-12 10:00:00"  # local time, as received
    flags = json.loads(c3["cont_contact_outcome_json"])
    assert flags["OUTCOME_NEW_REFERRAL_FLAG"] == "Y" and flags["OUTCOME_CP_ENQUIRY_FLAG"] == "Y"
    assert flags["OUTCOME_NFA_FLAG"] == "N" and flags[ssd.OTHER] == "N"
    assert (
        json.loads(rows[str(contacts["c5"].pk)]["cont_contact_outcome_json"])[
            "OUTCOME_NEW_REFERRAL_FLAG"
        ]
        == "N"
    )  # still waiting: no outcome yet

    referrals = {r["cine_referral_id"]: r for r in _read(tmp_path, "ssd_cin_episodes")}
    # the assessments and the strategy discussion; never the NFAs, advice or early help
    assert set(referrals) == {
        str(contacts[k].pk) for k in ("p1_old", "p2_old", "w1", "c1", "c3", "c4")
    }
    w1 = json.loads(referrals[str(contacts["w1"].pk)]["cine_referral_outcome_json"])
    assert w1["OUTCOME_SINGLE_ASSESSMENT_FLAG"] == "Y" and w1[ssd.OTHER] == "Y"  # and advice

    episodes = _read(tmp_path, "ssd_missing")
    assert all(e["miss_missing_episode_type"] == "Missing" for e in episodes)
    assert {e["miss_missing_rhi_offered"] for e in episodes} <= {"Y", "N"}
    text = "".join(p.read_text() for p in tmp_path.glob("*.csv"))
    assert "synthetic concern" not in text  # what referrers wrote never leaves

    event = AuditEvent.objects.get(action="ssd_exported")
    assert "ssd_contacts=16" in event.target and event.allowed


def test_only_analysts_export_and_a_refusal_is_audited(tmp_path: Path) -> None:
    with pytest.raises(Refusal):
        export.export(caller(Role.STRATEGIC_LEAD), tmp_path)
    assert not list(tmp_path.glob("*.csv"))
    assert AuditEvent.objects.filter(action="refused").count() == 1


def test_a_mapping_naming_an_outcome_the_vocabulary_lacks_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ours.toml"
    bad.write_text(
        'name = "x"\nversion = "1"\n[contact_outcomes]\nOUTCOME_NFA_FLAG = ["nope"]\n'
        "[referral_outcomes]\nOUTCOME_NFA_FLAG = 3\n"
    )
    with pytest.raises(ssd.MappingError) as refused:
        ssd.load(bad, ["nfa"])
    assert "unknown outcome nope" in str(refused.value)
    assert "must be a list of outcome codes" in str(refused.value)

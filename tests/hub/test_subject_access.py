"""A subject-access export of Katie (P1, `mini_mash`: records from the police, the NHS and a
school, a public concern, a missing episode, a screening and a finding she shares with John
Brown and Kate Smyth), with a police sighting whose note names Darren Cole, whom it also
lists as with her: every record of hers is there, no third party's name is, and who looked at
her record is listed by role and agency."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Q

from safeguard.access.caller import Refusal
from safeguard.access.roles import Role
from safeguard.hub.accounts.models import User
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.deliveries.models import Agency, Delivery, SourceRecord
from safeguard.hub.people import services as people
from safeguard.hub.people.models import PersonRecord
from safeguard.hub.subjects import services
from tests.callers import caller

pytestmark = pytest.mark.django_db

#: Everyone else the records name: the finding's other members, the man in the sighting, the
#: neighbour who reported the concern and their phone.
THIRD_PARTIES = ("john", "brown", "smyth", "darren", "cole", "neighbour", "07700 900123")


def _sighting() -> None:
    police = Agency.objects.get(code="cheshire-police")
    delivery = Delivery.objects.filter(agency=police).first()
    common = {"agency": police, "version": 1, "is_current": True, "delivery": delivery}
    SourceRecord.objects.create(
        **common,
        kind="people",
        record_id="POL-9",
        row_number=2,
        subject_id="POL-9",
        row_hash="p9",
        data={"record_id": "POL-9", "forenames": "Darren", "surname": "Cole"},
    )
    SourceRecord.objects.create(
        **common,
        kind="sightings",
        record_id="SIG-1",
        row_number=3,
        subject_id="POL-1",
        occurred_at="2026-06-01T21:00:00",
        row_hash="s1",
        data={
            "record_id": "SIG-1",
            "person_id": "POL-1",
            "seen_at": "2026-06-01T21:00:00",
            "with_person_ids": ["POL-9"],
            "notes": "Katie seen getting into a car driven by Darren Cole, then John Brown.",
        },
    )
    for number, named in ((1, ["POL-9", "POL-1"]), (2, ["POL-9"])):  # no subject: named in it
        SourceRecord.objects.create(
            **common,
            kind="intelligence",
            record_id=f"INT-{number}",
            row_number=3 + number,
            occurred_at="2026-06-02T10:00:00",
            row_hash=f"i{number}",
            data={"record_id": f"INT-{number}", "person_ids": named, "text": "Darren Cole: a flat"},
        )


def _export(tmp_path: Path) -> dict[str, Any]:
    _sighting()
    for name, role in (("mash1", "mash_practitioner"), ("dpo", "auditor")):
        User.objects.create(username=name, agency="cheshire-east-cs", roles=[role])
    looker = caller(Role.MASH_PRACTITIONER, agency="cheshire-east-cs", username="mash1")
    people.open_person(looker, 1, "page")
    written, counts = services.subject_access(
        caller(Role.AUDITOR, agency="cheshire-east-cs", username="dpo"), 1, tmp_path
    )
    texts = {p.suffix: p.read_text(encoding="utf-8") for p in written}
    return {"doc": json.loads(texts[".json"]), "texts": texts, "counts": counts}


def test_the_export_holds_every_record_names_no_third_party_and_lists_viewers(
    mini_mash: dict[str, Any], tmp_path: Path
) -> None:
    """One export (its setup is the slow part), three promises."""
    exported = _export(tmp_path)
    _every_record_of_the_person(exported)
    _no_third_party_named(exported)
    _viewers_by_role_and_agency(exported)


def _every_record_of_the_person(exported: dict[str, Any]) -> None:
    mine = PersonRecord.objects.filter(person_id=1)
    about = Q()
    for r in mine:
        about |= Q(agency__code=r.agency, subject_id=r.record_id)
    held = {(s.agency.code, s.record_id) for s in SourceRecord.objects.filter(about)}
    sections = exported["doc"]["sections"]
    shown = {(r["agency"], r["record_id"]) for r in sections["agency_records"]}
    assert held <= shown and {a for a, _ in held} == {
        "cheshire-police",
        "cheshire-nhs",
        "cheshire-schools",
    }
    assert ("cheshire-police", "POL-9") not in shown  # the third party's own record
    report = next(r for r in sections["agency_records"] if r["record_id"] == "INT-1")
    assert "crime exemption" in report["for_the_dpo"]  # named in it: there, for the DPO
    assert ("cheshire-police", "INT-2") not in shown  # a report not naming her
    assert len(sections["mash_contacts"]) == 1 and sections["screenings"]
    assert sections["network_findings"][0]["other_members"] == 2
    assert exported["counts"]["agency_records"] == len(sections["agency_records"])
    sighting = next(r for r in sections["agency_records"] if r["record_id"] == "SIG-1")
    assert sighting["data"]["with_others"] == 1 and "with_person_ids" not in sighting["data"]
    assert "Katie seen getting into a car" in sighting["data"]["notes"]  # her own words kept
    readable = exported["texts"][".html"]  # grouped by agency and type, every record there
    assert "<h3>cheshire-police: sightings</h3>" in readable
    assert all(f"<td>{record}</td>" in readable for _, record in held)


def _no_third_party_named(exported: dict[str, Any]) -> None:
    for suffix, text in exported["texts"].items():
        lowered = text.lower()
        assert [t for t in THIRD_PARTIES if t in lowered] == [], suffix
        assert "[redacted third party]" in text
    assert "POL-9" not in exported["texts"][".json"]


def _viewers_by_role_and_agency(exported: dict[str, Any]) -> None:
    viewers = exported["doc"]["sections"]["viewed_by"]
    assert any(
        v["who"] == "MASH practitioner (cheshire-east-cs)" and v["what"].startswith("Looked at")
        for v in viewers
    )
    assert all("mash1" not in json.dumps(v) for v in viewers)  # role and agency, not names
    event = AuditEvent.objects.get(action="subject_access_exported")
    assert event.flagged and event.person_id == 1 and event.username == "dpo"
    assert "agency_records=" in event.target


def test_only_auditors_export_and_refusals_are_audited(mini_hub: Any, tmp_path: Path) -> None:
    with pytest.raises(Refusal):
        services.subject_access(caller(Role.MASH_MANAGER), 1, tmp_path / "a")
    with pytest.raises(Refusal) as unknown:
        services.subject_access(caller(Role.AUDITOR), 999, tmp_path / "b")
    assert unknown.value.rule
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    assert AuditEvent.objects.filter(action="refused").count() == 2
    assert not AuditEvent.objects.filter(action="subject_access_exported").exists()

"""Ingest end to end against the hub database: accepted or quarantined, never dropped."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from safeguard.access.policy import Decision
from safeguard.access.roles import Role
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.deliveries.models import Delivery, QuarantinedRow, SourceRecord
from safeguard.hub.deliveries.services import HubDeliveries
from safeguard.ingest import DeliveryReport, Outcome, exit_code, ingest, summary
from tests.callers import caller

pytestmark = pytest.mark.django_db

PEOPLE = """record_id,forenames,surname,date_of_birth,sex,nhs_number,postcode,phone,flags
P1,Kayleigh,SMITH,03/07/2009,F,943 476 5919,cw12ab,07911 123456,looked_after
P2,Jordan,Brown,2008-02,M,1234567890,XX,,
P3,Jordan,Brown,2011,male,,WA7 1AA,,
"""
EPISODES = """record_id,person_id,category,reported_at,returned_at,risk_grade
M1,P1,missing,2025-03-01 22:00,2025-03-02 09:00,high
M2,P2,AWOL,01/04/2025 23:15,,medium
"""


def run(path: Path, tmp_path: Path) -> DeliveryReport:
    store = HubDeliveries(caller(Role.DATA_OPERATOR), Decision(True, "data operator"))
    return ingest(path, store, tmp_path / "landing", chunk_rows=2)


def current(kind: str) -> dict[str, SourceRecord]:
    return {r.record_id: r for r in SourceRecord.objects.filter(kind=kind, is_current=True)}


def test_clean_delivery_lands_and_loads_normalised(write_delivery, tmp_path) -> None:
    report = run(
        write_delivery(files={"people.csv": PEOPLE, "missing_episodes.csv": EPISODES}), tmp_path
    )
    assert report.outcome is Outcome.LOADED, report.message
    assert (report.read, report.accepted, report.quarantined) == (5, 5, 0)
    people = current("people")
    assert people["P1"].data["postcode"] == "CW1 2AB"
    assert people["P1"].data["phone"] == "+447911123456"
    assert people["P1"].data["date_of_birth"] == "2009-07-03"
    assert people["P1"].data["flags"] == ["looked_after"]
    assert people["P3"].data["sex"] == "male"
    # invalid identifiers keep their raw value, are marked, and do not sink the row
    assert "nhs_number" not in people["P2"].data  # null fields are not stored
    assert {i["field"]: i["value"] for i in people["P2"].issues} == {
        "nhs_number": "1234567890",
        "postcode": "XX",
    }
    episodes = current("missing_episodes")
    assert episodes["M2"].data["category"] == "away_without_authorisation"
    assert episodes["M2"].occurred_at == "2025-04-01T23:15:00"
    assert episodes["M2"].subject_id == "P2"
    delivery = Delivery.objects.get(pk=report.delivery_id)
    landed = Path(delivery.landing_path)
    manifest = json.loads((landed / "manifest.json").read_text())
    assert manifest["checksum"] == delivery.checksum
    assert {f["name"] for f in manifest["files"]} == {"people.csv", "missing_episodes.csv"}
    table = pq.read_table(landed / "people" / "people.csv.parquet")
    assert table.num_rows == 3 and "_hash" in table.column_names
    assert not (tmp_path / "landing" / ".staging" / delivery.checksum).exists()


BAD_PEOPLE = (
    PEOPLE
    + """,No,Id,2010,F,,,,
P4,Bad,Date,31/02/2009,F,,,,
P5,Odd,Sex,2010,Q,,,,
P1,Dup,Row,2009,F,,,,
P6,Too,Many,2010,F,,,,,extra
"""
)
BAD_EPISODES = (
    EPISODES
    + """M3,P9,missing,2025-03-01 22:00,,medium
M4,P3,lost,,,
M5,P4,missing,2025-05-01 10:00,,low
"""
)


def test_every_bad_row_is_quarantined_with_its_reason(write_delivery, tmp_path) -> None:
    report = run(
        write_delivery(files={"people.csv": BAD_PEOPLE, "missing_episodes.csv": BAD_EPISODES}),
        tmp_path,
    )
    assert report.outcome is Outcome.LOADED
    for f in report.files:
        assert f.read == f.accepted + f.quarantined
    assert (report.read, report.accepted, report.quarantined) == (13, 5, 8)
    assert exit_code([report]) == 1
    reasons = {(q.file.name, q.row_number): q for q in QuarantinedRow.objects.all()}
    assert set(reasons) == {("people.csv", n) for n in (5, 6, 7, 8, 9)} | {
        ("missing_episodes.csv", n) for n in (4, 5, 6)
    }
    assert reasons["people.csv", 5].reason == "missing record_id (required)"
    assert "not a date" in reasons["people.csv", 6].reason
    assert reasons["people.csv", 6].value == "31/02/2009"
    assert "unknown code 'Q'" in reasons["people.csv", 7].reason
    assert "repeated in this delivery (first at row 2)" in reasons["people.csv", 8].reason
    assert "10 values but the header has 9" in reasons["people.csv", 9].reason
    assert "reference to a person" in reasons["missing_episodes.csv", 4].reason
    assert {p["field"] for p in reasons["missing_episodes.csv", 5].problems} == {
        "category",
        "reported_at",
    }
    # P4 was itself quarantined, so the episode about P4 cannot stand either
    assert reasons["missing_episodes.csv", 6].field == "person_id"
    assert reasons["people.csv", 6].raw["forenames"] == "Bad"
    assert SourceRecord.objects.count() == 5
    totals = summary([report])["totals"]
    assert totals == {"read": 13, "accepted": 5, "quarantined": 8}


def test_same_delivery_twice_changes_nothing(write_delivery, tmp_path) -> None:
    folder = write_delivery(files={"people.csv": PEOPLE})
    first = run(folder, tmp_path)
    before = (SourceRecord.objects.count(), Delivery.objects.count())
    second = run(folder, tmp_path)
    assert second.outcome is Outcome.ALREADY_INGESTED
    assert f"delivery {first.delivery_id}" in second.message and "nothing changed" in second.message
    assert (SourceRecord.objects.count(), Delivery.objects.count()) == before
    assert exit_code([second]) == 0
    taken = AuditEvent.objects.filter(action="delivery_taken").order_by("pk")
    assert [e.target.split(":")[0] for e in taken] == ["cheshire-police loaded"]


def test_corrected_redelivery_supersedes_and_keeps_history(write_delivery, tmp_path) -> None:
    run(write_delivery("first", files={"people.csv": PEOPLE}), tmp_path)
    corrected = PEOPLE.replace("P2,Jordan,Brown,2008-02", "P2,Jordan,Browne,2008-02-11") + (
        "P7,New,Person,2012,F,,,,\n"
    )
    report = run(
        write_delivery(
            "second", files={"people.csv": corrected}, manifest={"extract_date": "2026-11-30"}
        ),
        tmp_path,
    )
    (f,) = report.files
    assert (f.new, f.updated, f.unchanged) == (1, 1, 2)
    versions = SourceRecord.objects.filter(record_id="P2").order_by("version")
    assert [(v.version, v.is_current, v.data["surname"]) for v in versions] == [
        (1, False, "Brown"),
        (2, True, "Browne"),
    ]
    assert versions[0].superseded_by_id == report.delivery_id
    assert current("people")["P1"].version == 1


def test_references_to_people_delivered_earlier_resolve(write_delivery, tmp_path) -> None:
    run(write_delivery("people", files={"people.csv": PEOPLE}), tmp_path)
    report = run(
        write_delivery(
            "episodes",
            files={"missing_episodes.csv": EPISODES},
            manifest={"extract_date": "2026-11-01"},
        ),
        tmp_path,
    )
    assert report.quarantined == 0 and report.accepted == 2


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"people.csv": "record_id,surname\nP1,Smith\n".replace("record_id", "id")},
            "missing required columns: record_id",
        ),
        ({"people.csv": "record_id,surname\nP1,Zo\u00e9\n".encode("latin-1")}, "not UTF-8"),
        ({"people.csv": b""}, "empty"),
        ({"suspects.csv": "record_id\nS1\n"}, "does not say which record kind"),
        (
            {"people.csv": PEOPLE, "incidents.csv": "record_id,occurred_at\n"},
            "missing required columns: incident_type",
        ),
    ],
)
def test_unreadable_file_rejects_the_whole_delivery(
    write_delivery, tmp_path, files, message
) -> None:
    report = run(write_delivery(files=files), tmp_path)
    assert report.outcome is Outcome.REJECTED
    assert message in report.message
    assert exit_code([report]) == 2
    assert SourceRecord.objects.count() == 0
    assert Delivery.objects.get().status == Delivery.Status.REJECTED
    assert report.read == report.accepted == report.quarantined == 0
    assert not list((tmp_path / "landing").glob("*/*"))
    taken = AuditEvent.objects.get(action="delivery_taken")
    assert taken.target.startswith("cheshire-police rejected") and taken.channel == "cli"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"agency": "Cheshire Police!"}, "`agency`"),
        ({"extract_date": "31/10/2026"}, "not a date YYYY-MM-DD"),
        ({"period_start": "2027-01-01"}, "after `period_end`"),
        ({"contract_version": "2.0"}, "not supported"),
    ],
)
def test_bad_manifest_is_not_a_delivery(write_delivery, tmp_path, manifest, message) -> None:
    report = run(write_delivery(files={"people.csv": PEOPLE}, manifest=manifest), tmp_path)
    assert report.outcome is Outcome.REJECTED and message in report.message


def test_folder_without_manifest_is_not_a_delivery(tmp_path) -> None:
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "people.csv").write_text(PEOPLE)
    report = run(tmp_path / "loose", tmp_path)
    assert report.outcome is Outcome.REJECTED and "no manifest.json" in report.message


def test_zip_jsonl_and_xlsx_deliveries(write_delivery, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["record_id", "name", "council_area", "postcode"])
    book.active.append(["H1", "Oak House", "Halton", "WA7 2AB"])
    book.save(tmp_path / "care_homes.xlsx")
    lines = "\n".join(
        json.dumps(r)
        for r in [
            {"record_id": "N1", "forenames": "Kate", "flags": ["looked_after"]},
            {"record_id": "N2", "surname": "Jones", "nhs_number": 9434765919},
        ]
    )
    folder = write_delivery(
        files={
            "people.jsonl": lines,
            "care_homes.xlsx": (tmp_path / "care_homes.xlsx").read_bytes(),
        },
        manifest={"agency": "cheshire-nhs"},
    )
    archive = tmp_path / "delivery.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.iterdir():
            z.write(p, f"extract/{p.name}")
    report = run(archive, tmp_path)
    assert report.outcome is Outcome.LOADED and report.quarantined == 0, report
    assert current("people")["N2"].data["nhs_number"] == "9434765919"
    assert current("care_homes")["H1"].data["council_area"] == "halton"
    assert run(archive, tmp_path).outcome is Outcome.ALREADY_INGESTED


def test_columns_outside_the_contract_are_reported_not_kept(write_delivery, tmp_path) -> None:
    report = run(
        write_delivery(files={"people.csv": "record_id,surname,shoe_size\nP1,Lee,5\n"}), tmp_path
    )
    assert report.outcome is Outcome.LOADED
    (f,) = report.files
    assert f.warnings == ["columns not in the contract, ignored: ['shoe_size']"]
    assert summary([report])["files"][0]["warnings"] == f.warnings
    assert "shoe_size" not in current("people")["P1"].data


def test_only_a_data_operator_takes_deliveries_and_each_is_audited(
    write_delivery, tmp_path
) -> None:
    from safeguard.access.caller import Refusal
    from safeguard.hub.deliveries.services import take

    folder = write_delivery(files={"people.csv": PEOPLE})
    with pytest.raises(Refusal, match="may not run_stage"):
        list(take(caller(Role.MASH_MANAGER), [folder], tmp_path / "landing", chunk_rows=2))
    assert Delivery.objects.count() == 0
    operator = caller(Role.DATA_OPERATOR, username="op")
    for _ in range(2):
        list(take(operator, [folder], tmp_path / "landing", chunk_rows=2))
    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.username) for e in events] == [
        ("refused", "tester"),
        ("delivery_taken", "op"),
        ("delivery_taken", "op"),
    ]
    assert "loaded: read 3, accepted 3, quarantined 0" in events[1].target
    assert events[2].target.startswith("cheshire-police already ingested")

"""The retention job on a small hub: three children with police records from 2000, one born in
1980 (past retention: 25 long ago, and 6 years since), one born in 1980 but at risk now (a legal
hold), one born in 2015 (within: not yet 25); a closed MASH contact of the first. A dry run
counts and removes nothing; the run removes what is past in one transaction, keeps the rest and
every audit row, and says so in its own audit event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeguard.access.caller import Refusal
from safeguard.access.roles import Role
from safeguard.governance import retention as schedule
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.deliveries.models import (
    Agency,
    Delivery,
    DeliveryFile,
    QuarantinedRow,
    SourceRecord,
)
from safeguard.hub.intelligence.models import AnalysisRun, Screening
from safeguard.hub.mace.models import Disruption, Item, Meeting, MeetingAction
from safeguard.hub.mash.models import Contact, Step, Subject
from safeguard.hub.people.models import LinkRun, Person, PersonRecord
from safeguard.hub.subjects import pruning, services
from safeguard.ingest.landing import QUARANTINE_FILE
from tests.callers import caller
from tests.hub.conftest import loaded_delivery

TODAY = dt.date(2026, 12, 6)
BORN = {1: "1980-02-03", 2: "1980-05", 3: "2015-01-01"}  # past, held (partial date), within
OPERATOR = caller(Role.DATA_OPERATOR, username="nightly")


def _hub() -> None:
    run = LinkRun.objects.create(
        mode="full",
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        records=3,
        people=3,
        summary={},
    )
    police = Agency.objects.create(code="cheshire-police", name="police")
    delivery = loaded_delivery(police)
    for pid, born in BORN.items():
        Person.objects.create(pk=pid, created_run=run)
        rid = f"POL-{pid}"
        PersonRecord.objects.create(
            unique_id=f"cheshire-police:{rid}",
            agency=police.code,
            record_id=rid,
            person_id=pid,
            run=run,
        )
        _record(police, delivery, "people", rid, rid, "", date_of_birth=born)
        _record(police, delivery, "missing_episodes", f"MIS-{pid}", rid, "2000-01-01T10:00:00")
    later = loaded_delivery(police)  # a correction: the first child's episode has 2 versions
    SourceRecord.objects.filter(record_id="MIS-1").update(is_current=False, superseded_by=later)
    _record(police, later, "missing_episodes", "MIS-1", "POL-1", "2000-01-02T10:00:00", version=2)
    analysis = AnalysisRun.objects.create(
        started_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), as_of=TODAY, catalogue="c", summary={}
    )
    Screening.objects.create(
        run=analysis, person_id=2, assessed_on=TODAY, age=46, score=20, band_by_score="high",
        band="high", at_risk=True, referral=True, disclosed=False, reasons=[], catalogue="c",
    )  # fmt: skip
    when = dt.datetime(2001, 3, 1, 9, tzinfo=dt.UTC)
    contact = Contact.objects.create(
        received_at=when, route="web", source="2A", anonymity="named", summary="concern",
        status="decided", decided_at=when, decision_due=when, person_id=1,
    )  # fmt: skip
    Subject.objects.create(contact=contact, main=True, kind="child", person_id=1)
    Step.objects.create(contact=contact, action="decide", state="decided", by="x", at=when)


def _record(
    agency: Agency, delivery: Delivery, kind: str, rid: str, subject: str, when: str, **data: str
) -> None:
    version = int(data.pop("version", 1))
    SourceRecord.objects.create(
        agency=agency, kind=kind, record_id=rid, version=version, is_current=True,
        delivery=delivery, row_number=1, subject_id=subject, occurred_at=when,
        row_hash=f"{rid}-{version}", data={"record_id": rid, **data},
    )  # fmt: skip


@pytest.mark.django_db
def test_a_dry_run_counts_and_the_run_removes_only_what_is_past_and_not_held() -> None:
    _hub()
    AuditEvent.objects.create(username="someone", action="viewed_person", person_id=1, allowed=True)
    before = SourceRecord.objects.filter(kind="missing_episodes", is_current=True).count()

    dry = services.retention(OPERATOR, apply=False, today=TODAY)
    episodes = dry.tallies["missing_episodes"]
    assert (episodes.past, episodes.held, episodes.kept) == (1, 1, 1)
    assert episodes.past + episodes.held + episodes.kept == before  # counts reconcile
    assert dry.tallies["mash_contact"].past == 1 and dry.versions == 2 and not dry.applied
    assert SourceRecord.objects.filter(record_id="MIS-1").count() == 2  # nothing removed
    checked = AuditEvent.objects.get(action="retention_checked")
    assert "missing_episodes=1" in checked.target and "P1" not in checked.target

    done = services.retention(OPERATOR, apply=True, today=TODAY)
    assert done.applied and done.versions == 2
    left = set(SourceRecord.objects.values_list("record_id", flat=True))
    assert left == {"POL-1", "POL-2", "POL-3", "MIS-2", "MIS-3"}  # identity kept, held kept
    assert not Contact.objects.exists() and not Subject.objects.exists()
    applied = AuditEvent.objects.get(action="retention_applied")
    assert applied.flagged and applied.username == "nightly"
    assert "mash_contact=1" in applied.target and "missing_episodes=1" in applied.target
    assert "held 1" in applied.target
    # the audit trail is never removed: the old view of the first child is still there
    assert AuditEvent.objects.filter(action="viewed_person", person_id=1).count() == 1

    again = services.retention(OPERATOR, apply=True, today=TODAY)
    assert sum(t.past for t in again.tallies.values()) == 0  # nothing left past it


def _landed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[int, Path]:
    """Each delivery's landed missing episodes as Parquet (the first has all three, the
    correction the first child's second version), and the retention ledgers in `tmp_path`."""
    monkeypatch.setattr(pruning, "folder", lambda: tmp_path / "retention")
    files = {}
    for delivery in Delivery.objects.order_by("pk"):
        rows = SourceRecord.objects.filter(delivery=delivery, kind="missing_episodes")
        ids = sorted(rows.values_list("record_id", flat=True))
        landing = tmp_path / f"delivery-{delivery.pk}"
        (landing / "missing_episodes").mkdir(parents=True)
        table = pa.table({"record_id": ids, "_row": list(range(2, len(ids) + 2))})
        pq.write_table(table, landing / "missing_episodes" / "episodes.csv.parquet")
        Delivery.objects.filter(pk=delivery.pk).update(landing_path=str(landing))
        DeliveryFile.objects.create(
            delivery=delivery, name="episodes.csv", kind="missing_episodes", sha256="0" * 64,
            parquet="missing_episodes/episodes.csv.parquet", rows_read=len(ids),
            rows_accepted=len(ids),
        )  # fmt: skip
        files[delivery.pk] = landing / "missing_episodes" / "episodes.csv.parquet"
    return files


def _ids(path: Path) -> list[str]:
    return pq.read_table(path).column("record_id").to_pylist()


@pytest.mark.django_db
def test_what_retention_removes_leaves_the_landed_deliveries_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Analysis reads the landed Parquet: a removed record must not come back from there."""
    _hub()
    first, correction = _landed(tmp_path, monkeypatch).values()
    schema = pq.read_schema(first)
    assert _ids(first) == ["MIS-1", "MIS-2", "MIS-3"] and _ids(correction) == ["MIS-1"]

    dry = services.retention(OPERATOR, apply=False, today=TODAY)
    assert dry.landed == 0 and _ids(first) == ["MIS-1", "MIS-2", "MIS-3"]
    done = services.retention(OPERATOR, apply=True, today=TODAY)
    assert done.landed == 2  # both versions of the first child's episode
    assert _ids(first) == ["MIS-2", "MIS-3"] and _ids(correction) == []
    assert pq.read_schema(first) == schema  # the same columns and types for the readers
    assert pq.read_table(first).column("_row").to_pylist() == [3, 4]  # rows keep their numbers
    assert not list((tmp_path / "retention").iterdir())  # the ledger is gone once applied


@pytest.mark.django_db
def test_a_run_killed_after_its_commit_is_finished_by_the_next_and_a_rollback_prunes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hub()
    first, _ = _landed(tmp_path, monkeypatch).values()
    police = Agency.objects.get().pk
    # killed after its transaction committed: the ledger is there, the files not yet pruned
    pruning.record({(police, "missing_episodes"): ["MIS-1"]})
    SourceRecord.objects.filter(record_id="MIS-1").delete()
    # and a ledger whose transaction rolled back: the store still holds what it lists
    pruning.record({(police, "missing_episodes"): ["MIS-3"]})
    (tmp_path / "retention" / "pending-x.writing").write_text("half")  # died while writing
    assert _ids(first) == ["MIS-1", "MIS-2", "MIS-3"]

    services.retention(OPERATOR, apply=True, today=dt.date(2001, 1, 1))  # nothing past yet
    assert _ids(first) == ["MIS-2", "MIS-3"]  # finished; what the store holds stays
    assert not list((tmp_path / "retention").iterdir())


@pytest.mark.django_db
def test_only_the_data_operator_applies_retention_and_a_refusal_is_audited() -> None:
    with pytest.raises(Refusal):
        services.retention(caller(Role.AUDITOR), apply=True, today=TODAY)
    assert AuditEvent.objects.filter(action="refused").count() == 1
    assert not AuditEvent.objects.filter(action="retention_applied").exists()


def test_the_schedule_names_each_problem_and_its_rules_hold(tmp_path: Path) -> None:
    default = schedule.load()
    assert default.rule("placements") and default.rule("placements").until_age == 75  # type: ignore[union-attr]
    assert all(rule.basis for rule in default.types.values())
    bad = tmp_path / "ours.toml"
    bad.write_text("[type.contacts]\nuntil_age = 0\n[type.incidents]\nyears_after = 2\n")
    with pytest.raises(schedule.ScheduleError) as refused:
        schedule.load(bad)
    assert "contacts.until_age" in str(refused.value) and "incidents.basis" in str(refused.value)
    rule = schedule.Rule(25, 6, "why")
    born = schedule.born_on("2000-06")  # a partial date: its latest day
    assert born == dt.date(2000, 6, 30)
    assert rule.expires(dt.date(2010, 1, 1), born) == dt.date(2025, 6, 30)
    assert rule.expires(dt.date(2024, 1, 1), born) == dt.date(2030, 1, 1)
    assert rule.expires(dt.date(2024, 1, 1), None) is None  # no date of birth: kept


def _quarantined(tmp_path: Path, agency: Agency, received: dt.datetime, rows: int) -> Path:
    """A loaded delivery received on `received` holding `rows` quarantined rows, in the store
    and in its landed quarantine log; the log's path."""
    delivery = loaded_delivery(agency)
    landing = tmp_path / f"delivery-{delivery.pk}"
    landing.mkdir()
    Delivery.objects.filter(pk=delivery.pk).update(
        received_at=received, landing_path=str(landing), rows_quarantined=rows
    )
    file = DeliveryFile.objects.create(
        delivery=delivery, name="people.csv", kind="people", sha256="0" * 64, parquet="",
        rows_read=rows, rows_quarantined=rows,
    )  # fmt: skip
    problem = {"field": "date_of_birth", "value": "31/02/2009", "reason": "not a date"}
    for row in range(2, rows + 2):
        QuarantinedRow.objects.create(
            delivery=delivery, file=file, row_number=row, field="date_of_birth",
            value="31/02/2009", reason="not a date", problems=[problem], raw={"surname": "Ng"},
        )  # fmt: skip
    log = landing / QUARANTINE_FILE
    log.write_text("".join(f'{{"file": "people.csv", "row": {r}}}\n' for r in range(rows)))
    return log


@pytest.mark.django_db
def test_quarantined_rows_go_a_delivery_at_a_time_a_year_after_it_was_received(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pruning, "folder", lambda: tmp_path / "retention")
    police = Agency.objects.create(code="cheshire-police", name="police")
    old = _quarantined(tmp_path, police, dt.datetime(2025, 11, 1, tzinfo=dt.UTC), 3)
    recent = _quarantined(tmp_path, police, dt.datetime(2026, 6, 1, tzinfo=dt.UTC), 2)

    dry = services.retention(OPERATOR, apply=False, today=TODAY)
    tally = dry.tallies["quarantine"]
    assert (tally.past, tally.held, tally.kept) == (3, 0, 2)  # counts reconcile: 5 rows
    assert QuarantinedRow.objects.count() == 5

    done = services.retention(OPERATOR, apply=True, today=TODAY)
    assert done.tallies["quarantine"].past == 3 and done.landed == 3
    assert QuarantinedRow.objects.count() == 2
    assert old.read_text() == "" and len(recent.read_text().splitlines()) == 2
    # the deliveries and their counts stay: the record of what the agency sent
    assert sorted(Delivery.objects.values_list("rows_quarantined", flat=True)) == [2, 3]
    assert "quarantine=3" in AuditEvent.objects.get(action="retention_applied").target

    # a run killed after its commit, before the log was emptied, is finished by the next
    QuarantinedRow.objects.filter(delivery__landing_path=str(recent.parent)).delete()
    assert services.retention(OPERATOR, apply=True, today=TODAY).landed == 2
    assert recent.read_text() == ""


def _items(chair: Any) -> dict[str, Item]:
    """MACE agenda items: from a meeting in 2001, the first child's (past), the second's (at
    risk now: held), the third's (not yet 25: kept), a finding's (past: 6 years, no age) and a
    place's with an action still open (held); from last month, a finding's (kept)."""
    when = dt.datetime(2001, 3, 1, 12, tzinfo=dt.UTC)

    def meeting(on: dt.date) -> Meeting:
        return Meeting.objects.create(
            held_on=on, areas=["cheshire_east"], chair=chair, attendees=["police"],
            scheduled_by="chair", scheduled_at=when,
        )  # fmt: skip

    old, recent = meeting(dt.date(2001, 3, 1)), meeting(dt.date(2026, 11, 2))

    def item(on: Meeting, subject: str, person: int | None = None) -> Item:
        return Item.objects.create(
            meeting=on, kind="child" if person else "finding", subject=subject, person_id=person,
            title=subject, added_by="chair", added_at=when, decision="monitor", decided_by="chair",
            decided_at=when,
        )  # fmt: skip

    items = {
        "P1": item(old, "P:1", 1), "P2": item(old, "P:2", 2), "P3": item(old, "P:3", 3),
        "finding": item(old, "F:group-1"), "place": item(old, "L:CW1 3XY"),
        "recent": item(recent, "F:group-2"),
    }  # fmt: skip
    for key, status in (("P1", "done"), ("place", "open")):
        MeetingAction.objects.create(
            item=items[key], what="visit", owner=chair, agency="cheshire-police",
            due_on=dt.date(2001, 4, 1), status=status, set_by="chair", set_at=when,
            closed_at=when if status == "done" else None,
        )  # fmt: skip
    Disruption.objects.create(
        kind="cawn", on=dt.date(2001, 3, 5), against="an adult", agency="cheshire-police",
        meeting=old, item=items["P1"], recorded_by="pc", recorded_at=when,
    )  # fmt: skip
    return items


@pytest.mark.django_db
def test_mace_items_go_with_their_actions_and_their_disruptions_stay_as_counts(
    make_user: Any,
) -> None:
    _hub()
    items = _items(make_user("chair", "mash_manager"))
    dry = services.retention(OPERATOR, apply=False, today=TODAY)
    tally = dry.tallies["mace_item"]
    assert (tally.past, tally.held, tally.kept) == (2, 2, 2)
    assert Item.objects.count() == 6

    services.retention(OPERATOR, apply=True, today=TODAY)
    left = set(Item.objects.values_list("subject", flat=True))
    assert left == {"P:2", "P:3", "L:CW1 3XY", "F:group-2"}
    assert not MeetingAction.objects.filter(item_id=items["P1"].pk).exists()
    assert MeetingAction.objects.filter(status="open").count() == 1  # the held item's
    disruption = Disruption.objects.get()  # the notice served is still counted
    assert disruption.item_id is None and disruption.kind == "cawn"
    assert "mace_item=2" in AuditEvent.objects.get(action="retention_applied").target

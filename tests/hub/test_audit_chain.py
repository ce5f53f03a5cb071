"""The audit trail cannot be quietly changed: every event is chained to the one before it by a
hash; a database administrator who drops the triggers and edits, deletes or reorders rows
directly is caught at the first broken link, and a deleted tail or a recomputed chain against
the signed anchors written outside the database. Runs on SQLite and, marked `store`, on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from typer.testing import CliRunner

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel, SignedIn, ViewedPerson
from safeguard.access.policy import Decision
from safeguard.access.roles import Actor
from safeguard.hub.audit import anchors, chain, services, watch
from safeguard.hub.audit.models import AuditEvent, AuditHead
from safeguard.settings import get_settings

KEY = b"k" * 40
#: Accounts' passwords hashed quickly: these tests are not about passwords.
FAST = "django.contrib.auth.hashers.MD5PasswordHasher"
TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER audit_event_no_delete",
        "DROP TRIGGER audit_event_no_update",
    ],
    "postgresql": ["DROP TRIGGER audit_event_unchangeable ON audit_auditevent"],
}


def _write(n: int, who: str = "pc-jones") -> None:
    actor = Actor.of(who, "cheshire-police", ["police_officer"], True)
    caller = Caller(actor, Channel.WEB)
    for i in range(n):
        event = ViewedPerson(100 + i, "page") if i % 2 else SignedIn(f"password and code {i}")
        services.seen(caller, event, Decision(True, "casework", "safeguarding"))
    services.seal()  # on PostgreSQL the seal follows the commit; the test's transaction never ends


def _as_dba(sql: str, params: list[Any] | None = None) -> None:
    """What a database administrator can do: drop the triggers, then change rows directly."""
    with connection.cursor() as cursor:
        for drop in TRIGGERS[connection.vendor]:
            cursor.execute(drop)
        cursor.execute(sql, params or [])


def _broken(folder: Path | None = None, key: bytes | None = None) -> chain.Break:
    verdict = chain.verify(folder or Path("/nonexistent"), key)
    assert verdict.broken is not None, verdict
    return verdict.broken


def _id(seq: int) -> int:
    return AuditEvent.objects.get(seq=seq).pk


@pytest.fixture
def key_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An anchor key in a file outside the repository, and an anchor folder; the folder."""
    (tmp_path / "anchor.key").write_bytes(KEY)
    monkeypatch.setenv("SAFEGUARD_AUDIT_ANCHOR_KEY_FILE", str(tmp_path / "anchor.key"))
    monkeypatch.setenv("SAFEGUARD_AUDIT_ANCHOR_DIR", str(tmp_path / "anchors"))
    get_settings.cache_clear()
    yield tmp_path / "anchors"
    get_settings.cache_clear()


def test_an_intact_chain_verifies(db: Any) -> None:
    _write(6)
    verdict = chain.verify(Path("/nonexistent"), None)
    assert verdict.ok and verdict.chained == 6 and verdict.head_seq == 6, verdict
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0][1] == chain.GENESIS
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 6))
    assert AuditHead.objects.get().hash == rows[-1][2]


def test_every_stored_field_is_in_the_hash(db: Any) -> None:
    fields = {f.name for f in AuditEvent._meta.concrete_fields}
    assert fields == set(chain.FIELDS) | set(chain.CHAIN)
    _write(1)
    row = AuditEvent.objects.values(*chain.FIELDS).get()
    for field in chain.FIELDS:
        changed = dict(row)
        value = row[field]
        changed[field] = (
            not value
            if isinstance(value, bool)
            else value + dt.timedelta(microseconds=1)
            if isinstance(value, dt.datetime)
            else [*value, "x"]
            if isinstance(value, list)
            else (value or 0) + 1
            if isinstance(value, int) or value is None
            else value + "x"
        )
        assert chain.digest(changed, 1, chain.GENESIS) != chain.digest(row, 1, chain.GENESIS)


def test_the_app_cannot_change_or_delete_an_event(db: Any) -> None:
    _write(2)
    for change in (
        lambda: AuditEvent.objects.filter(seq=1).update(reason="nothing to see"),
        lambda: AuditEvent.objects.filter(seq=2).update(seq=None, hash=""),
        lambda: AuditEvent.objects.filter(seq=2).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert AuditEvent.objects.filter(reason="casework").count() == 2


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("username", "someone-else"),
        ("person_id", 999),
        ("allowed", False),
        ("reason", "no reason"),
        ("why", "a reason added later"),
        ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_an_edited_field_is_caught_at_its_event(db: Any, column: str, value: object) -> None:
    _write(5)
    _as_dba(f'UPDATE audit_auditevent SET "{column}" = %s WHERE seq = 3', [value])
    broken = _broken()
    assert (broken.seq, broken.event, broken.kind) == (3, _id(3), "edited")


def test_a_deleted_event_is_caught_where_it_was(db: Any) -> None:
    _write(5)
    _as_dba("DELETE FROM audit_auditevent WHERE seq = 3")
    broken = _broken()
    assert (broken.seq, broken.kind) == (3, "missing"), broken


def test_two_events_swapped_are_caught_out_of_order(db: Any) -> None:
    _write(5)
    first, second = _id(2), _id(3)
    _as_dba("UPDATE audit_auditevent SET seq = -seq WHERE seq IN (2, 3)")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = 3 WHERE id = %s", [first])
        cursor.execute("UPDATE audit_auditevent SET seq = 2 WHERE id = %s", [second])
    broken = _broken()
    assert (broken.seq, broken.event, broken.kind) == (2, second, "out of order"), broken


def test_a_deleted_tail_is_caught_against_the_head_and_the_anchor(db: Any, tmp_path: Path) -> None:
    _write(4)
    head = AuditHead.objects.get()
    anchors.write(tmp_path, KEY, head.seq, head.hash, dt.datetime.now(dt.UTC))
    _write(2)
    assert chain.verify(tmp_path, KEY).ok
    _as_dba("DELETE FROM audit_auditevent WHERE seq >= 3")
    broken = _broken()
    assert (broken.seq, broken.kind) == (3, "missing"), broken  # the head row still says 6
    # who deletes the tail rewinds the head too: only the anchor, outside the database, knows
    second = AuditEvent.objects.get(seq=2)
    AuditHead.objects.update(seq=2, hash=second.hash)
    assert chain.verify(Path("/nonexistent"), None).ok
    broken = _broken(tmp_path, KEY)
    assert (broken.seq, broken.kind) == (3, "anchor mismatch"), broken


def test_a_rewritten_chain_is_caught_by_the_anchor(db: Any, tmp_path: Path) -> None:
    _write(5)
    head = AuditHead.objects.get()
    anchors.write(tmp_path, KEY, head.seq, head.hash, dt.datetime.now(dt.UTC))
    _as_dba("UPDATE audit_auditevent SET username = 'someone-else' WHERE seq = 2")
    prev = AuditEvent.objects.get(seq=1).hash  # every hash from there recomputed
    for row in AuditEvent.objects.filter(seq__gte=2).order_by("seq").values():
        this = chain.digest(row, row["seq"], prev)
        AuditEvent.objects.filter(pk=row["id"]).update(prev_hash=prev, hash=this)
        prev = this
    AuditHead.objects.update(hash=prev)
    assert chain.verify(Path("/nonexistent"), None).ok  # the database agrees with itself
    broken = _broken(tmp_path, KEY)
    assert (broken.seq, broken.kind) == (5, "anchor mismatch"), broken


def test_a_changed_anchor_is_caught(db: Any, tmp_path: Path) -> None:
    _write(3)
    written = anchors.write(tmp_path, KEY, 3, AuditHead.objects.get().hash, dt.datetime.now(dt.UTC))
    assert chain.verify(tmp_path, KEY).ok
    path = tmp_path / written.name
    path.write_text(path.read_text().replace('"seq": 3', '"seq": 2'))
    broken = _broken(tmp_path, KEY)
    assert broken.kind == "anchor mismatch" and written.name in broken.detail
    assert chain.verify(tmp_path, b"another key of at least thirty-two bytes").broken


def test_verify_is_for_auditors_and_data_operators_and_is_audited(db: Any) -> None:
    _write(2)
    auditor = Caller(Actor.of("aud", "", ["auditor"], True), Channel.CLI)
    operator = Caller(Actor.of("op", "", ["data_operator"], True), Channel.CLI)
    assert services.verify(auditor).ok and services.verify(operator).ok
    worker = Caller(Actor.of("sw", "cheshire-east", ["social_worker"], True), Channel.CLI)
    with pytest.raises(Refusal):
        services.verify(worker)
    checks = AuditEvent.objects.filter(action="audit_verified").order_by("id")
    assert [(e.username, e.flagged) for e in checks] == [("aud", False), ("op", False)]
    assert checks[0].target.startswith("intact: 2 events chained")
    assert AuditEvent.objects.filter(username="sw", action="refused").count() == 1
    _as_dba("UPDATE audit_auditevent SET why = 'added' WHERE seq = 1")
    assert not services.verify(auditor).ok
    assert AuditEvent.objects.filter(action="audit_verified", flagged=True).count() == 1


def test_anchoring_needs_a_key_outside_the_repository(db: Any, monkeypatch, key_set) -> None:
    _write(2)
    auditor = Caller(Actor.of("aud", "", ["auditor"], True), Channel.CLI)
    inside = Path(anchors.__file__).resolve().parents[4] / "anchor.key"
    monkeypatch.setenv("SAFEGUARD_AUDIT_ANCHOR_KEY_FILE", str(inside))
    get_settings.cache_clear()
    with pytest.raises(anchors.NoKey, match="inside the source tree"):
        services.anchor(auditor, dt.datetime.now(dt.UTC))
    monkeypatch.delenv("SAFEGUARD_AUDIT_ANCHOR_KEY_FILE")
    get_settings.cache_clear()
    with pytest.raises(anchors.NoKey, match="no anchor key is configured"):
        services.anchor(auditor, dt.datetime.now(dt.UTC))
    assert not key_set.exists()


def test_the_watch_anchors_once_a_day_and_verify_checks_it(db: Any, key_set: Path) -> None:
    _write(3)
    clocks = Caller(Actor.of_installation("clock watch"), Channel.JOB)
    first = watch.daily_anchor(clocks)
    assert first["anchored"] == 1 and first["seq"] == 3
    assert watch.daily_anchor(clocks) == {"anchored": 0}
    (written,) = key_set.iterdir()
    assert json.loads(written.read_text())["hash"] == AuditEvent.objects.get(seq=3).hash
    event = AuditEvent.objects.get(action="audit_anchored")
    assert event.channel == "job" and written.name in event.target
    services.seal()
    verdict = chain.verify()
    assert verdict.ok and verdict.anchors == 1 and verdict.signatures_checked, verdict


def test_the_command_line_verifies_and_anchors(
    db: Any, key_set: Path, make_user, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    settings.PASSWORD_HASHERS = [FAST]
    from safeguard.cli import hub
    from safeguard.cli.app import app

    monkeypatch.setattr(hub, "acting_as", None)  # `--as` is kept there: put back after
    monkeypatch.setattr(hub, "open_store", lambda: None)  # the test's database is open
    make_user("aud", "auditor")
    make_user("sw", "social_worker")
    _write(2)
    runner = CliRunner()
    anchored = runner.invoke(app, ["--as", "aud", "audit-anchor"])
    assert anchored.exit_code == 0 and "anchored event 2" in anchored.output, anchored.output
    ok = runner.invoke(app, ["--as", "aud", "audit-verify", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["anchors"] == 1, ok.output
    assert runner.invoke(app, ["--as", "sw", "audit-verify"]).exit_code == 3
    _as_dba("DELETE FROM audit_auditevent WHERE seq = 2")
    broken = runner.invoke(app, ["--as", "aud", "audit-verify"])
    assert broken.exit_code == 1 and "event 2: missing" in broken.output, broken.output


def test_the_admin_site_cannot_change_or_delete_an_event(
    db: Any, make_user, sign_in, settings
) -> None:
    settings.PASSWORD_HASHERS = [FAST]
    _write(1)
    event = AuditEvent.objects.get()
    admin = sign_in(make_user("admin", "administrator"))
    base = f"/admin/audit/auditevent/{event.pk}"
    for url, form in (
        (f"{base}/change/", {"reason": "nothing to see", "username": "nobody"}),
        (f"{base}/delete/", {"post": "yes"}),
    ):
        answer = admin.post(url, form)
        assert answer.status_code in (403, 404), (url, answer.status_code)
    assert AuditEvent.objects.filter(pk=event.pk, reason="casework").exists()


@pytest.mark.django_db(transaction=True, available_apps=["safeguard.hub.audit"])
def test_writers_at_once_do_not_fork_the_chain(caplog: pytest.LogCaptureFixture) -> None:
    """Threads writing at once, each in its own connection, each event sealed just after its
    commit: every seal succeeds (none takes a place another took), every event is chained,
    one chain (PostgreSQL; SQLite lets one writer in at a time)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: one transaction writes at a time")
    threads, each = 4, 10
    problems: list[BaseException] = []

    def write() -> None:
        caller = Caller(Actor.of(threading.current_thread().name, "", [], True), Channel.WEB)
        try:
            for i in range(each):
                services.seen(caller, SignedIn(f"code {i}"), Decision(True, "signed in"))
        except BaseException as e:  # reported by the test
            problems.append(e)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, name=f"w{i}") for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not problems
    assert not [r.getMessage() for r in caplog.records if "on_commit" in r.getMessage()]
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    verdict = chain.verify(Path("/nonexistent"), None)
    assert verdict.ok and verdict.chained == threads * each == AuditEvent.objects.count()


def test_an_upgraded_trail_is_chained_in_id_order(db: Any) -> None:
    """Events written before the chain (no place yet) are chained by the migration that adds
    it, oldest id first (its own function, run here on rows written as before)."""
    from importlib import import_module

    from django.apps import apps

    rows = [AuditEvent(username=n, action="signed_in", allowed=True, reason="r") for n in "abc"]
    AuditEvent.objects.bulk_create(rows)  # as the trail was: no seal
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 3
    import_module("safeguard.hub.audit.migrations.0004_chain").chain_earlier_events(apps, None)
    chained = list(AuditEvent.objects.order_by("id").values_list("username", "seq"))
    assert chained == [("a", 1), ("b", 2), ("c", 3)]
    assert chain.verify(Path("/nonexistent"), None).ok

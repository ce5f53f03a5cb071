"""`safeguard backup` and `safeguard restore`: a restore drill on a small hub (backed up, then
restored onto a rebuilt server, its rows, files and audit chain compared with the original), a
changed archive refused with the store untouched, and the archive's own checks.

The counts and files are read here with sqlite3 / psycopg and hashlib, not through the code
under test."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import stat
import tarfile
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from safeguard.access.policy import Action, Actor, act, restore
from safeguard.backup import archive
from safeguard.backup.store import Store
from tests.conftest import fresh_store_env

PEOPLE = "record_id,forenames,surname,date_of_birth\nP1,Amy,Lee,2010-01-02\nP2,Bo,Ng,2011-03-04\n"


def _rows(env: dict[str, str]) -> dict[str, int]:
    """Rows in every table of the store `env` opens."""
    url = env.get("DATABASE_URL")
    if url:
        with psycopg.connect(url) as conn:
            listed = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            names = [r[0] for r in listed]
            return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    db = Path(env["SAFEGUARD_DATA_DIR"]) / "hub.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        names = [  # but SQLite's own bookkeeping (sqlite_sequence)
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("sqlite_")
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _files(env: dict[str, str]) -> dict[str, str]:
    """Every file in the data folder but the embedded database, with its SHA-256."""
    data = Path(env["SAFEGUARD_DATA_DIR"])
    return {
        p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file() and not p.name.startswith("hub.sqlite3")
    }


def test_restore_drill_on_a_rebuilt_server(cli, cli_env, write_delivery, tmp_path):
    operator = ("operator", "--agency", "cheshire-police", "--role", "data_operator")
    made = cli(cli_env, "users", "add", *operator)
    assert made.returncode == 0, made.stderr
    env = {**cli_env, "SAFEGUARD_OPERATOR": "operator"}
    taken = cli(env, "ingest", str(write_delivery(files={"people.csv": PEOPLE})))
    assert taken.returncode == 0, taken.stdout + taken.stderr
    rows, files = _rows(env), _files(env)
    assert rows["deliveries_sourcerecord"] == 2 and any(f.endswith(".parquet") for f in files)

    backups = tmp_path / "backups"
    backups.mkdir()
    done = cli(env, "backup", "--out", str(backups), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    kept = Path(summary["archive"])
    assert kept.parent == backups and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert summary["sha256"] == hashlib.sha256(kept.read_bytes()).hexdigest()
    assert summary["rows"] == sum(rows.values()) and summary["files"] == len(files)
    assert "personal data" in summary["personal_data"]
    assert _rows(env)["audit_auditevent"] == rows["audit_auditevent"] + 1  # backed_up

    with fresh_store_env(tmp_path / "rebuilt") as rebuilt:
        back = cli(rebuilt, "restore", str(kept), "--json")
        assert back.returncode == 0, back.stderr
        report = json.loads(back.stdout)
        assert report["differences"] == [] and report["audit_chain"] is True
        restored = _rows(rebuilt)
        assert restored == {**rows, "audit_auditevent": rows["audit_auditevent"] + 1}
        assert _files(rebuilt) == files

        # a changed archive is refused, even with --force, and the store is left as it was
        changed = tmp_path / "changed.tar"
        data = bytearray(kept.read_bytes())
        data[len(data) // 3] ^= 1
        changed.write_bytes(bytes(data))
        refused = cli(rebuilt, "restore", str(changed), "--force")
        assert refused.returncode == 2 and "nothing restored" in refused.stderr
        assert _rows(rebuilt) == restored and _files(rebuilt) == files

        if rebuilt.get("DATABASE_URL"):
            return
        # an archive whole in itself whose audit trail was edited: restored over the store in
        # use by the data operator, and the broken chain reported (exit 4)
        operator = {**rebuilt, "SAFEGUARD_OPERATOR": "operator"}
        edited = cli(operator, "restore", str(_edited(kept, tmp_path)), "--force", "--json")
        assert edited.returncode == 4, edited.stderr
        found = json.loads(edited.stdout)
        assert found["audit_chain"] is False and "edited" in found["audit_chain_said"]


def _edited(kept: Path, tmp_path: Path) -> Path:
    """The backup `kept` with its first audit event's target changed (the trail's triggers
    dropped first, as someone with the database's keys could), made a whole archive again."""
    manifest = archive.verify(kept)
    into = tmp_path / "edited"
    archive.extract(kept, manifest, into)
    db = into / manifest.database()
    with closing(sqlite3.connect(db)) as conn:
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in triggers.fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        first = "(SELECT min(id) FROM audit_auditevent)"
        conn.execute(f"UPDATE audit_auditevent SET target = 'nothing' WHERE id = {first}")
        conn.commit()
    out = tmp_path / "edited.tar"
    archive.write(out, manifest, db, [(n, into / "files" / n) for n in manifest.files()])
    return out


def test_only_a_data_operator_backs_up_and_restores_over_a_store_in_use() -> None:
    installation = Actor.of_installation("root")
    operator = Actor.of("op", "cheshire-police", ["data_operator"], True)
    analyst = Actor.of("an", "cheshire-police", ["analyst"], True)
    assert restore(installation, in_use=False) and not restore(installation, in_use=True)
    assert restore(operator, in_use=True) and not restore(analyst, in_use=False)
    assert act(operator, Action.BACK_UP) and not act(analyst, Action.BACK_UP)
    assert not act(installation, Action.BACK_UP)


def test_a_store_is_in_use_once_it_holds_accounts_audit_deliveries_or_files(tmp_path):
    data = tmp_path / "data"
    store = Store("sqlite", data, data / "hub.sqlite3", None)
    assert not store.in_use()  # nothing there yet: a rebuilt server
    data.mkdir()
    with closing(sqlite3.connect(data / "hub.sqlite3")) as conn:
        conn.execute("CREATE TABLE accounts_user (id integer)")
        conn.execute("CREATE TABLE django_migrations (app text, name text)")
        conn.execute("INSERT INTO django_migrations VALUES ('audit', '0001_initial')")
        conn.commit()
        assert not store.in_use()  # migrated, but holding nothing
        conn.execute("INSERT INTO accounts_user VALUES (1)")
        conn.commit()
        assert store.in_use()
        conn.execute("DELETE FROM accounts_user")
        conn.commit()
    (data / "landing" / "police").mkdir(parents=True)
    assert not store.in_use()
    (data / "landing" / "police" / "people.parquet").write_bytes(b"rows")
    assert store.in_use()


def _archive(tmp_path: Path) -> Path:
    db, landed = tmp_path / "hub.sqlite3", tmp_path / "landed.parquet"
    db.write_bytes(b"database " * 100)
    landed.write_bytes(b"rows " * 100)
    head = archive.Manifest("2026-12-06T12:00:00+00:00", "sqlite", {"t": 3}, ["audit.0001"])
    out = tmp_path / "hub.tar"
    archive.write(out, head, db, [("landing/a/landed.parquet", landed)])
    return out


def test_an_archive_reads_back_whole_and_is_private(tmp_path):
    out = _archive(tmp_path)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    manifest = archive.verify(out)
    assert manifest.files() == ["landing/a/landed.parquet"] and manifest.rows() == 3
    assert manifest.database() == "database/hub.sqlite3"
    archive.extract(out, manifest, tmp_path / "into")
    assert (tmp_path / "into" / "files/landing/a/landed.parquet").read_bytes() == b"rows " * 100
    with pytest.raises(FileExistsError):
        archive.write(out, manifest, tmp_path / "hub.sqlite3", [])


def _with(out: Path, name: str, data: bytes) -> None:
    with tarfile.open(out, "a") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[:3000]), "cut short"),
        (lambda p: p.write_bytes(p.read_bytes().replace(b"rows rows", b"rows ROWS", 1)), "differs"),
        (lambda p: _with(p, "files/extra.csv", b"x"), "not in the manifest"),
        (lambda p: _with(p, "../escape", b"x"), "unexpected member"),
        (lambda p: p.write_bytes(b"not a tar" * 100), "cannot be read whole"),
    ],
)
def test_a_spoiled_archive_is_refused(tmp_path, spoil, said):
    out = _archive(tmp_path)
    spoil(out)
    with pytest.raises(archive.Broken, match=said):
        archive.verify(out)

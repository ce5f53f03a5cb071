"""`safeguard backup` and `safeguard restore`: the whole hub (database, landed deliveries,
linkage state, analysis outputs) into one archive with a manifest, and back, as a data operator
under the access policy and audited. See docs/security.md, "Backups and restore"."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from safeguard.backup import archive

if TYPE_CHECKING:
    from safeguard.access.caller import Caller

#: Exit code when a restore finished but its checks found a difference.
CHECKS_FAILED = 4


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def backup(
    out: Path = typer.Option(
        ...,
        "--out",
        help="The archive to write (a .tar; never over an existing file), or a folder to write "
        "safeguard-backup-<time>.tar into. Not inside the data folder.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the manifest's summary as JSON."),
) -> None:
    """Back up the hub: a consistent snapshot of its database (SQLite's online backup, or
    pg_dump) and every file in its data folder, in one tar archive (permissions 0600) with a
    manifest of rows per table, migrations and each member's SHA-256. The archive holds
    personal data. Data operators only; audited."""
    from safeguard.backup import folder
    from safeguard.backup import store as stores
    from safeguard.backup.postgres import ToolMissing
    from safeguard.settings import get_settings

    settings = get_settings()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if out.is_dir():
        out = out / f"safeguard-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar"
    if out.exists():
        raise _fail(f"{out} exists: a backup is never written over another file")
    if not out.parent.is_dir():
        raise _fail(f"{out.parent} is not a folder")
    if folder.inside(settings.data_dir, out):
        raise _fail(f"{out} is inside the data folder: keep backups apart from the store")
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.hub import backup as service

    try:
        decision = service.may_back_up(who)
    except service.Refusal as refusal:
        raise refused(refusal, who) from None
    store = stores.of(settings)
    with tempfile.TemporaryDirectory(prefix=".snapshot-", dir=out.parent) as work:
        try:
            snapshot, tables, migrations = store.snapshot(Path(work))
        except (ToolMissing, RuntimeError) as error:
            raise _fail(str(error)) from None
        head = archive.Manifest(now.isoformat(), store.kind, tables, migrations)
        manifest = archive.write(out, head, snapshot, folder.files(settings.data_dir))
    sha256 = _sha256(out)
    service.backed_up(who, manifest, sha256, decision)
    summary = {
        "archive": str(out),
        "sha256": sha256,
        "bytes": out.stat().st_size,
        "store": manifest.store,
        "created_at": manifest.created_at,
        "tables": len(manifest.tables),
        "rows": manifest.rows(),
        "files": len(manifest.files()),
        "personal_data": archive.PERSONAL_DATA,
    }
    if as_json:
        typer.echo(json.dumps(summary))
        return
    typer.echo(
        f"Backup of the {manifest.store} store written to {out}: {manifest.rows():,} rows in "
        f"{len(manifest.tables)} tables and {len(manifest.files())} files, "
        f"{summary['bytes']:,} bytes, sha256 {sha256}.\n{archive.PERSONAL_DATA}"
    )


def restore(
    path: Path = typer.Argument(..., help="The backup archive (from `safeguard backup`)."),
    force: bool = typer.Option(
        False, "--force", help="Replace a store that holds data (back it up first)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was restored as JSON."),
) -> None:
    """Restore the hub from a backup: every member is checked against the manifest first (a
    changed or cut-short archive is refused and nothing is touched), then the database and the
    data folder are replaced, the rows in every table compared with the manifest and the audit
    chain verified. A store that holds data is replaced only with --force, by a data operator;
    an empty one (a rebuilt server) by the installation too. Audited in the restored trail."""
    from safeguard.backup import folder
    from safeguard.backup import store as stores
    from safeguard.backup.postgres import ToolMissing
    from safeguard.settings import get_settings

    settings = get_settings()
    if not path.is_file():
        raise _fail(f"{path}: no such file")
    if folder.inside(settings.data_dir, path):
        raise _fail(f"{path} is inside the data folder: move it out before restoring")
    try:
        manifest = archive.verify(path)
    except archive.Broken as broken:
        raise _fail(f"refused, nothing restored: {broken}") from None
    store = stores.of(settings)
    if manifest.store != store.kind:
        raise _fail(f"a backup of a {manifest.store} store cannot be restored into {store.kind}")
    _setup()
    from safeguard.cli.hub import caller, refused
    from safeguard.hub import backup as service

    unknown = service.unknown_migrations(manifest)
    if unknown:
        raise _fail(f"made by a newer Safeguard ({', '.join(unknown[:3])}): upgrade first")
    in_use = store.in_use()
    who = caller() if in_use else _installation()
    try:
        service.may_replace(who, in_use, force)
    except service.Refusal as refusal:
        raise refused(refusal, who) from None
    service.let_go()
    scratch = folder.scratch(settings.data_dir)
    try:
        archive.extract(path, manifest, scratch)
        store.restore(scratch / manifest.database())
        folder.replace(settings.data_dir, scratch / archive.FILES)
        tables, _ = store.read()
    except (archive.Broken, ToolMissing, RuntimeError) as error:
        raise _fail(f"restore stopped: {error}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    checked = service.after_restore(who, manifest, tables)
    report = {
        "archive": str(path),
        "created_at": manifest.created_at,
        "store": manifest.store,
        "tables": len(manifest.tables),
        "rows": manifest.rows(),
        "files": len(manifest.files()),
        "differences": checked.differences,
        "audit_chain": checked.chain,
        "audit_chain_said": checked.chain_said,
    }
    if as_json:
        typer.echo(json.dumps(report))
    else:
        typer.echo(
            f"Restored the backup made {manifest.created_at}: {manifest.rows():,} rows in "
            f"{len(manifest.tables)} tables and {len(manifest.files())} files; "
            f"{checked.summary()}."
        )
        for difference in checked.differences:
            typer.echo(f"  differs: {difference}", err=True)
    if not checked.ok:
        raise typer.Exit(CHECKS_FAILED)


def _setup() -> None:
    """Django set up on the configured store, its schema left as it is (a restore replaces it)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.hub.settings")
    django.setup()


def _installation() -> Caller:
    """The installation, for a restore into an empty store (it has no accounts to name)."""
    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.access.policy import Actor
    from safeguard.cli.hub import _login

    return Caller(Actor.of_installation(_login()), Channel.CLI)

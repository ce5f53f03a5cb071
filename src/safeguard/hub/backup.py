"""The hub's side of backups (`safeguard.backup` does the work): who may back up and restore,
the audit of both, and the checks after a restore - the rows in every table against the
manifest, the migrations this code knows, the audit chain.

A backup is taken by a data operator and recorded (`backed_up`) once the archive is whole. A
restore is recorded (`restored`, flagged for review) in the restored trail, after its checks,
naming who restored it; a refused one is recorded in the store that refused it, when it has
one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import BackedUp, Refused, Restored
from safeguard.access.policy import Action, Decision, act
from safeguard.access.policy import restore as may_restore
from safeguard.backup.archive import Manifest
from safeguard.hub.audit import chain
from safeguard.hub.audit import services as audit

__all__ = ["Refusal"]


def may_back_up(caller: Caller) -> Decision:
    """The policy's answer (a refusal audited and raised)."""
    return audit.check(caller, act(caller.actor, Action.BACK_UP), Refused("back up the hub"))


def backed_up(caller: Caller, manifest: Manifest, sha256: str, decision: Decision) -> None:
    """Record a backup made whole."""
    event = BackedUp(manifest.store, manifest.rows(), len(manifest.files()), sha256)
    audit.seen(caller, event, decision)


def may_replace(caller: Caller, in_use: bool, force: bool) -> Decision:
    """May the caller restore over this store? A store in use needs `force` as well (refused
    as a rule otherwise: nothing is lost by asking again)."""
    attempted = Refused("restore the hub from a backup")
    decision = audit.check(caller, may_restore(caller.actor, in_use), attempted)
    if in_use and not force:
        why = "the store holds data: restoring would replace it (back it up, then use --force)"
        audit.refuse(
            caller, Refused("restore the hub from a backup", why=why), Decision(False, why), True
        )
    return decision


def unknown_migrations(manifest: Manifest) -> list[str]:
    """The backup's migrations this code does not have (a newer Safeguard made it)."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    names = {f"{app}.{name}" for app, name in known}
    return [m for m in manifest.migrations if m not in names]


def let_go() -> None:
    """Close the hub's connections before its database is replaced underneath them."""
    connections.close_all()


@dataclass
class Checked:
    """What the checks after a restore found."""

    differences: list[str] = field(default_factory=list)
    chain: bool = False
    chain_said: str = ""

    @property
    def ok(self) -> bool:
        return not self.differences and self.chain

    def summary(self) -> str:
        counts = (
            "counts match" if not self.differences else f"{len(self.differences)} counts differ"
        )
        return f"{counts}; audit chain: {self.chain_said}"


def compare(manifest: Manifest, tables: dict[str, int]) -> list[str]:
    """Tables whose rows differ from the manifest's, as `name: backup N, restored M`."""
    return [
        f"{name}: backup {rows}, restored {tables.get(name, 'none')}"
        for name, rows in sorted(manifest.tables.items())
        if tables.get(name) != rows
    ]


def verify_chain() -> tuple[bool, str]:
    """The audit chain walked in the restored store (against its anchors): intact, or where
    it first breaks."""
    found = chain.verify()
    return found.ok, found.line()


def after_restore(caller: Caller, manifest: Manifest, tables: dict[str, int]) -> Checked:
    """Bring the restored database's schema up to date, check it and record the restore:
    `tables` are its rows as restored (before any migration), compared with the manifest."""
    call_command("migrate", verbosity=0, interactive=False)
    checked = Checked(compare(manifest, tables))
    checked.chain, checked.chain_said = verify_chain()
    decision = may_restore(caller.actor, False)  # as allowed before the store was replaced
    event = Restored(manifest.created_at, manifest.rows(), len(manifest.files()), checked.summary())
    audit.seen(caller, event, decision)
    return checked

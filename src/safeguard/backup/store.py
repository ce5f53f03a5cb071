"""The hub's store as a backup sees it: SQLite in the data folder, or PostgreSQL at
`DATABASE_URL` - one place that chooses, so the rest does not ask which."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from safeguard.backup import folder, postgres, sqlite
from safeguard.settings import Settings

#: Tables any hub in use has rows in: accounts, the audit trail, deliveries taken. A store
#: with none of them (and no files in its data folder) holds nothing a restore could lose.
IN_USE = ("accounts_user", "audit_auditevent", "deliveries_delivery")


@dataclass(frozen=True)
class Store:
    kind: str  # sqlite.KIND or postgres.KIND
    data_dir: Path
    sqlite_path: Path
    url: str | None

    def snapshot(self, into: Path) -> tuple[Path, dict[str, int], list[str]]:
        """The database's snapshot written in the folder `into`, its tables' rows and the
        migrations it has applied."""
        if self.url:
            dest = into / "hub.pgdump"
            return (dest, *postgres.snapshot(self.url, dest))
        dest = into / self.sqlite_path.name
        return (dest, *sqlite.snapshot(self.sqlite_path, dest))

    def read(self) -> tuple[dict[str, int], list[str]]:
        """The rows in each table now, and the migrations applied."""
        if self.url:
            return postgres.read(self.url)
        return sqlite.read(self.sqlite_path)

    def restore(self, snapshot: Path) -> None:
        if self.url:
            postgres.restore(snapshot, self.url)
        else:
            sqlite.restore(snapshot, self.sqlite_path)

    def in_use(self) -> bool:
        """Does the store hold anything: accounts, audit, deliveries, or data files?"""
        if folder.holds_files(self.data_dir):
            return True
        if self.url:
            return postgres.holds(self.url, IN_USE)
        return sqlite.holds(self.sqlite_path, IN_USE)


def of(settings: Settings) -> Store:
    """The store these settings open."""
    kind = postgres.KIND if settings.database_url else sqlite.KIND
    return Store(kind, settings.data_dir, settings.sqlite_path, settings.database_url)

"""Backups of the hub: the database's snapshot (SQLite's online backup, or `pg_dump`) and the
data folder's files (landed deliveries, linkage state, analysis outputs) in one tar archive with
a manifest, and restoring one after checking every member. Pure: no Django; the hub's side (who
may, the audit, the checks after a restore) is `safeguard.hub.backup`."""

"""Backup and restore of a demo-size hub: the partnership (5,000 children by default) ingested,
linked and analysed as a data operator (cached under `--cache`), then `safeguard backup` and a
`safeguard restore` of its archive into a fresh store, each timed as a user runs it (a
subprocess), with the archive's size, the rows, the files and what the restore's checks found.

    .venv/bin/python bench/bench_backup.py [--children 5000] [--postgres] [--cache DIR]

Figures, not assertions: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import OPERATOR, PG_URL, cli, prepare
from bench_linkage import generate

PREPARED = ".bench-backup-done"


def _timed(env: dict[str, str], *args: str) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    out = cli(env, "--as", OPERATOR, *args, "--json")
    return round(time.perf_counter() - start, 1), dict(json.loads(out))


def _database(name: str, fresh: bool) -> str:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def run(base: Path, partnership: Path, postgres: bool) -> dict[str, Any]:
    """Prepare (cached), back up, restore into a fresh store; the figures."""
    kind = "postgresql" if postgres else "sqlite"
    common = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env = {**common, "SAFEGUARD_DATA_DIR": str(base / kind / "data")}
    if postgres:
        env["DATABASE_URL"] = _database("sg_bench_backup", fresh=False)
    print(f"{kind}: preparing (cached)", flush=True)
    steps = prepare(env, partnership, base / kind / "data", PREPARED)
    with tempfile.TemporaryDirectory(dir=base) as work:
        backed_up, made = _timed(env, "backup", "--out", work)
        print(f"  backup: {backed_up} s, {made['bytes']:,} bytes", flush=True)
        target = {**common, "SAFEGUARD_DATA_DIR": str(Path(work) / "restored")}
        if postgres:
            target["DATABASE_URL"] = _database("sg_bench_backup_restored", fresh=True)
        start = time.perf_counter()
        report = json.loads(cli(target, "restore", made["archive"], "--json"))
        restored = round(time.perf_counter() - start, 1)
        print(f"  restore: {restored} s, differences {report['differences']}", flush=True)
    if postgres:
        _database("sg_bench_backup_restored", fresh=True)
    return {
        "store": kind,
        "prepare_seconds": steps,
        "backup_seconds": backed_up,
        "restore_seconds": restored,
        "bytes": made["bytes"],
        "tables": made["tables"],
        "rows": made["rows"],
        "files": made["files"],
        "differences": report["differences"],
        "audit_chain": report["audit_chain_said"],
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-backup-bench"))
    args = parser.parse_args()
    base = args.cache / f"children-{args.children}-seed-{args.seed}"
    base.mkdir(parents=True, exist_ok=True)
    partnership = base / "partnership"
    generate(partnership, args.children, args.seed)
    results = [run(base, partnership, False)]
    if args.postgres:
        results.append(run(base, partnership, True))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""Data subjects' rights and retention on a generated partnership: subject-access exports and
the retention job, timed as a user runs them (the CLI in a subprocess, start-up included).

The partnership (default 10,000 children) is ingested, linked and analysed into SQLite (and
PostgreSQL with `--postgres`) with the CLI, as `bench_hub.py` does (cached under `--cache`).
Then, as an auditor, `safeguard subject-access` for the `--people` children with the most
agency records and as many picked at random: seconds, rows and bytes each, and the export
alone (the service in a process of its own, start-up not counted: wall and CPU seconds). Then,
as the data operator, `safeguard retention --dry-run` judged as on the analysis date and as on
`--later` (when most children are long past 25), each also alone, and the real run as on
`--later` on a copy of the store: seconds and counts. Figures, not assertions.

    .venv/bin/python bench/bench_subjects.py [--children 10000] [--people 5]
        [--later 2060-01-01] [--postgres] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import OPERATOR, PG_URL, add_user, cli, prepare
from bench_linkage import generate

DPO = "bench-dpo"
PICK = """
import django, os, json
os.environ['DJANGO_SETTINGS_MODULE'] = 'safeguard.hub.settings'
django.setup()
from django.db.models import Count
from safeguard.hub.people.models import PersonRecord
rows = PersonRecord.objects.values('person_id').annotate(n=Count('id'))
rows = rows.order_by('-n', 'person_id')
print(json.dumps([r['person_id'] for r in rows]))
"""


CALL = """
import django, json, os, sys, time
from pathlib import Path
os.environ['DJANGO_SETTINGS_MODULE'] = 'safeguard.hub.settings'
django.setup()
from safeguard.access.caller import Caller
from safeguard.access.events import Channel
from safeguard.hub.accounts.queries import actor_named
from safeguard.hub.subjects import services
what, name, arg, extra = sys.argv[1:5]
who = Caller(actor_named(name), Channel.CLI)
start, cpu = time.perf_counter(), time.process_time()
if what == 'export':
    services.subject_access(who, int(arg), Path(extra))
else:
    import datetime as dt
    services.retention(who, apply=extra == 'apply', today=dt.date.fromisoformat(arg))
print(json.dumps([time.perf_counter() - start, time.process_time() - cpu]))
"""


def timed(env: dict[str, str], *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = cli(env, *args)
    return round(time.perf_counter() - start, 2), out


def in_process(env: dict[str, str], *args: str) -> str:
    """Seconds of the service call alone, in a process of its own (start-up not counted):
    wall and CPU, since the machine is shared."""
    done = subprocess.run(
        [sys.executable, "-c", CALL, *args], env=env, text=True, capture_output=True, check=True
    )
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return f"{wall:.2f} s, CPU {cpu:.2f} s"


def people(env: dict[str, str], n: int, seed: int) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", PICK], env=env, text=True, capture_output=True, check=True
    )
    ranked = list(json.loads(done.stdout))
    rest = ranked[n:]
    return ranked[:n] + random.Random(seed).sample(rest, min(n, len(rest)))


def exports(env: dict[str, str], chosen: list[int], out: Path) -> list[dict[str, Any]]:
    found = []
    for person in chosen:
        folder = out / f"P{person}"
        seconds, printed = timed(
            env, "--as", DPO, "subject-access", f"P{person}", "--out", str(folder)
        )
        rows = sum(
            int(line.rsplit(":", 1)[1])
            for line in printed.splitlines()
            if line.count(":") == 1 and line.rsplit(":", 1)[1].strip().isdigit()
        )
        size = sum(p.stat().st_size for p in folder.iterdir())
        call = in_process(env, "export", DPO, str(person), str(folder))
        found.append(
            {"person": person, "seconds": seconds, "call": call, "rows": rows, "bytes": size}
        )
        print(
            f"  subject access P{person}: {seconds} s (the export alone {call}), {rows} rows, "
            f"{size} bytes",
            flush=True,
        )
    return found


def retention(env: dict[str, str], today: str, dry: bool) -> dict[str, Any]:
    """The command, as a user runs it; then (a dry run) the service call alone."""
    args = ["--as", OPERATOR, "retention", "--today", today] + (["--dry-run"] if dry else [])
    seconds, printed = timed(env, *args)
    call = in_process(env, "retention", OPERATOR, today, "dry") if dry else None
    alone = f" (the check alone {call})" if call is not None else ""
    print(f"  retention {'--dry-run ' if dry else ''}as on {today}: {seconds} s{alone}", flush=True)
    print("    " + printed.strip().replace("\n", "\n    "), flush=True)
    return {"today": today, "dry_run": dry, "seconds": seconds, "call": call, "printed": printed}


def bench(
    name: str, env: dict[str, str], partnership: Path, args: Any, copy: dict[str, str]
) -> dict[str, Any]:
    print(f"{name}:", flush=True)
    data = Path(env["SAFEGUARD_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    steps = prepare(env, partnership, data, marker=".bench-subjects-done")
    if not (data / ".bench-dpo").exists():
        add_user(env, DPO, "auditor")
        (data / ".bench-dpo").write_text("")
    chosen = people(env, args.people, args.seed)
    out = args.cache / "exports" / name
    shutil.rmtree(out, ignore_errors=True)
    result: dict[str, Any] = {"store": name, "prepare": steps, "exports": exports(env, chosen, out)}
    result["retention"] = [
        retention(env, "2026-10-31", True),
        retention(env, args.later, True),
        retention(copy, args.later, False),
    ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=5)
    parser.add_argument("--later", default="2060-01-01")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-subjects-bench"))
    parser.add_argument("--json", type=Path, default=Path("bench/results/subjects.json"))
    args = parser.parse_args()
    base = args.cache / f"children-{args.children}-seed-{args.seed}"
    partnership = base / "partnership"
    generate(partnership, args.children, args.seed)
    common = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    common["SAFEGUARD_DEMO"] = "true"
    sqlite = {**common, "SAFEGUARD_DATA_DIR": str(base / "sqlite")}
    scratch = base / "sqlite-copy"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    results = []
    if not (base / "sqlite" / ".bench-subjects-done").exists():
        prepare(sqlite, partnership, base / "sqlite", marker=".bench-subjects-done")
    shutil.copy(base / "sqlite" / "hub.sqlite3", scratch / "hub.sqlite3")
    results.append(
        bench("sqlite", sqlite, partnership, args, {**common, "SAFEGUARD_DATA_DIR": str(scratch)})
    )
    if args.postgres:
        name = f"sg_bench_subjects_{args.children}_{args.seed}"
        data = base / "postgres"
        if not (data / ".bench-subjects-done").exists():
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
        env = {**common, "SAFEGUARD_DATA_DIR": str(data), "DATABASE_URL": url}
        prepare(env, partnership, data, marker=".bench-subjects-done")
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_copy" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}_copy" TEMPLATE "{name}"')
        copy = {**env, "DATABASE_URL": url + "_copy"}
        results.append(bench("postgresql", env, partnership, args, copy))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

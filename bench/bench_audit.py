"""Audit chain benchmark: what chaining costs a write, how fast a trail is chained and checked,
and writers at once on PostgreSQL keeping one chain.

On a fresh store per backend (SQLite, then PostgreSQL), inside the hub's Django:

- `--events` page views recorded with the seal switched off (the trail before the chain),
  then chained in one go, as the migration chains an upgraded trail: events per second;
- `--events` page views recorded one by one as the pages record them (`services.seen`, each
  its own transaction) with the seal switched off, and as many with it, in four turns each,
  alternately: events per second each way, and the cost of the chain per event;
- `safeguard.hub.audit.chain.verify()` over the whole trail: seconds, events per second;
- `--threads` writers at once, each in its own connection, `--events` between them: events per
  second, and after it no event left unchained and the chain intact (one chain, no place taken
  twice; PostgreSQL, where each event is sealed just after its commit).

    .venv/bin/python bench/bench_audit.py [--events 20000] [--threads 8] [--skip-postgres]

Figures, not assertions: the machine is shared (load average given).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

#: Turns taken without and with the chain.
ROUNDS = 4
PG_URL = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "sg_bench_audit"


def _record(n: int, who: str) -> float:
    """Record `n` page views as `who`, one transaction each; the seconds."""
    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel, ViewedPerson
    from safeguard.access.policy import Decision
    from safeguard.access.roles import Actor
    from safeguard.hub.audit import services

    caller = Caller(Actor.of(who, "cheshire-police", ["police_officer"], True), Channel.WEB)
    allowed = Decision(True, "your agency holds records of this person", "safeguarding")
    start = time.perf_counter()
    for i in range(n):
        services.seen(caller, ViewedPerson(1000 + i % 500, "page"), allowed)
    return time.perf_counter() - start


def _at_once(threads: int, events: int) -> dict[str, Any]:
    from django.db import connection

    each = events // threads
    done: list[BaseException] = []

    def write(k: int) -> None:
        try:
            _record(each, f"writer-{k}")
        except BaseException as e:  # counted below
            done.append(e)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(k,)) for k in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    return {
        "threads": threads,
        "events": each * threads,
        "failed": len(done),
        "events_per_second": round(each * threads / seconds, 1),
    }


def in_django(events: int, threads: int) -> dict[str, Any]:
    """The measures, on the store the environment names (run in a subprocess)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    from safeguard.hub.audit import chain, services
    from safeguard.hub.audit.models import AuditEvent

    chaining = services._chain
    services._chain = lambda own: None  # type: ignore[assignment] - the trail as it was
    _record(events, "upgraded")
    start = time.perf_counter()
    upgraded = services.seal()  # as the migration chains an upgraded trail
    upgrade = time.perf_counter() - start
    unchained = chained = 0.0
    for _ in range(ROUNDS):  # taken in turns, so that the machine's load falls on both alike
        services._chain = lambda own: None  # type: ignore[assignment]
        unchained += _record(events // ROUNDS, "before")
        services._chain = chaining  # type: ignore[assignment]
        services.seal()  # not timed: the turn's events chained before the next turn
        chained += _record(events // ROUNDS, "after")
    start = time.perf_counter()
    verdict = chain.verify(Path("/nonexistent"), None)
    checked = time.perf_counter() - start
    result: dict[str, Any] = {
        "backend": connection.vendor,
        "unchained_writes_per_second": round(events / unchained, 1),
        "chained_writes_per_second": round(events / chained, 1),
        "cost_per_write_ms": round((chained - unchained) / events * 1000, 3),
        "chained_in_one_go_per_second": round(upgraded / upgrade, 1),
        "verify_seconds": round(checked, 2),
        "verify_events_per_second": round(verdict.chained / checked, 1),
        "verified": verdict.line(),
    }
    if connection.vendor == "postgresql":
        result["at_once"] = _at_once(threads, events)
        after = chain.verify(Path("/nonexistent"), None)
        result["at_once"]["unchained_after"] = AuditEvent.objects.filter(seq__isnull=True).count()
        result["at_once"]["verified"] = after.line()
    return result


def run(env: dict[str, str], events: int, threads: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--in-django", str(events), str(threads)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    if sys.argv[1:2] == ["--in-django"]:
        print(json.dumps(in_django(int(sys.argv[2]), int(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--json", type=Path, default=Path("bench/results/audit.json"))
    args = parser.parse_args()
    common = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    common["DJANGO_SETTINGS_MODULE"] = "safeguard.hub.settings"
    common["SAFEGUARD_DEMO"] = "true"
    results = []
    with tempfile.TemporaryDirectory() as data:
        backends = [{**common, "SAFEGUARD_DATA_DIR": data}]
        if not args.skip_postgres:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
            url = PG_URL.rsplit("/", 1)[0] + "/" + DATABASE
            backends.append({**common, "SAFEGUARD_DATA_DIR": data, "DATABASE_URL": url})
        for env in backends:
            load = os.getloadavg()[0]
            found = {**run(env, args.events, args.threads), "load": round(load, 1)}
            print(json.dumps(found), flush=True)
            results.append(found)
    if not args.skip_postgres:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

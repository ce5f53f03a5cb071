"""Governance benchmark: the partnership's data set (every KPI, 24 months, per council area)
on the store of the 100,000-children partnership.

The store is `bench_mash.py`'s (the partnership ingested, linked and analysed, 50,000 contacts
seeded; cached under the same `--cache`), plus `--episodes` missing episodes (default 20,000)
seeded set-based over the 24 months, most with a return and its interview. Inside the hub's
Django the data set is then computed for 24 months ending `--as-of`, as the meeting pack does
(`safeguard.hub.governance.kpis.data_set`, small counts suppressed), with every KPI's chart:
seconds in all and per KPI, and the number of queries. Then the strategic group's meeting
pack for a meeting on `--as-of` (`safeguard.hub.governance.services.pack.make`, as
`safeguard pack --meeting` makes it: 12 months of every KPI with charts, the review, actions,
exceptions, the yearly report; drawn by WeasyPrint, stored and audited): seconds, pages, bytes.

    .venv/bin/python bench/bench_governance.py [--children 100000] [--contacts 50000]
        [--episodes 20000] [--months 24] [--postgres] [--cache DIR]

The issue's target: the pack for 100,000 children builds in under 60 s. A figure, not an
assertion: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import PG_URL
from bench_linkage import generate
from bench_mash import AREAS, PREPARED, prepare, seed

EPISODES = ".bench-governance-episodes"


def _episodes_here(count: int, seed_: int, as_of: str) -> dict[str, Any]:
    """Bulk-insert `count` missing episodes over the 24 months before `as_of` (children drawn
    from the store, a few going missing again and again), their returns and interviews."""
    import django

    django.setup()
    from django.utils import timezone

    from safeguard.hub import clocks
    from safeguard.hub.missing.models import Episode, Interview
    from safeguard.hub.people.models import Person

    rng = random.Random(seed_)
    people = list(Person.objects.filter(retired_run__isnull=True).values_list("id", flat=True))
    regulars = rng.sample(people, max(1, count // 20))  # children who go missing often
    end = timezone.make_aware(dt.datetime.fromisoformat(as_of) + dt.timedelta(days=1))
    span = 730 * 24 * 3600
    episodes, interviews = [], []
    first = (Episode.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for pk in range(first, first + count):
        started = end - dt.timedelta(seconds=rng.randrange(span))
        back = rng.random() < 0.97 and started + dt.timedelta(hours=30) < end
        returned = started + dt.timedelta(hours=rng.uniform(1, 30)) if back else None
        person = rng.choice(regulars) if rng.random() < 0.4 else rng.choice(people)
        episodes.append(
            Episode(
                pk=pk,
                kind="missing",
                status="returned" if back else "away",
                person_id=person,
                council_area=rng.choice(AREAS) if rng.random() < 0.95 else "",
                started_at=started,
                reported_at=started,
                reported_by="bench-seed",
                returned_at=returned,
            )
        )
        if returned is None:
            continue
        due = clocks.due("return_home_interview", returned)
        offered = returned + dt.timedelta(hours=rng.uniform(2, 48)) if rng.random() < 0.9 else None
        accepted = offered if offered and rng.random() < 0.7 else None
        done = accepted + dt.timedelta(hours=rng.uniform(1, 60)) if accepted else None
        interviews.append(
            Interview(
                episode_id=pk,
                provider="bench-provider",
                status="done"
                if done
                else "accepted"
                if accepted
                else "offered"
                if offered
                else "due",
                due_at=due,
                offered_at=offered,
                accepted_at=accepted,
                done_at=done,
            )
        )
    start = time.perf_counter()
    Episode.objects.bulk_create(episodes, batch_size=2000)
    Interview.objects.bulk_create(interviews, batch_size=2000)
    return {
        "episodes": len(episodes),
        "interviews": len(interviews),
        "insert_seconds": round(time.perf_counter() - start, 1),
    }


def _data_set_here(as_of: str, months: int) -> dict[str, Any]:
    """The data set and its charts, timed; the queries counted."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.hub.governance import charts
    from safeguard.hub.governance.kpis import catalogue, compute

    day = dt.date.fromisoformat(as_of)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    per_kpi: dict[str, float] = {}
    rows = 0
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for kpi in catalogue().kpis:
            begin = time.perf_counter()
            table = compute(kpi, day, months, suppress_small=True)
            per_kpi[kpi] = round(time.perf_counter() - begin, 2)
            rows += len(table.rows)
    computed = time.perf_counter() - start
    begin = time.perf_counter()
    drawn = sum(
        len(charts.svg(compute(k, day, months, suppress_small=True))) for k in catalogue().kpis
    )
    return {
        "months": months,
        "seconds": round(computed, 2),
        "queries": len(queries.captured_queries),
        "rows": rows,
        "per_kpi_seconds": per_kpi,
        "charts_seconds_with_a_second_computation": round(time.perf_counter() - begin, 2),
        "svg_bytes": drawn,
    }


def _pages(pdf: bytes) -> int | None:
    """The PDF's pages as poppler's pdfinfo counts them (None without poppler-utils)."""
    if not shutil.which("pdfinfo"):
        return None
    found = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    match = re.search(rb"Pages:\s+(\d+)", found.stdout)
    return int(match.group(1)) if match else None


def _pack_here(meeting: str) -> dict[str, Any]:
    """The meeting pack made as a strategic lead, timed: its contents read, the PDF drawn,
    then the whole of `make` (read, draw, store, audit) once more."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.access.roles import Actor, Role
    from safeguard.hub.governance.queries import pack as contents
    from safeguard.hub.governance.services import pack

    call_command("migrate", verbosity=0, interactive=False)  # the pack's table, on an old store
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    actor = Actor("bench-strategic", "cheshire-east-cs", frozenset({Role.STRATEGIC_LEAD}), True)
    day = dt.date.fromisoformat(meeting)
    begin = time.perf_counter()
    found = contents.pack(
        actor, day, pack.next_meeting_after(day), timezone.localdate(), timezone.now()
    )
    read = time.perf_counter() - begin
    begin = time.perf_counter()
    pdf = pack.render(found, actor.username, timezone.now())
    drawn = time.perf_counter() - begin
    begin = time.perf_counter()
    made = pack.make(Caller(actor, Channel.CLI), day)
    return {
        "meeting": meeting,
        "seconds": round(time.perf_counter() - begin, 2),
        "contents_seconds": round(read, 2),
        "pdf_seconds": round(drawn, 2),
        "pages": _pages(pdf),
        "bytes": made.size,
    }


def in_django(env: dict[str, str], task: str, *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, __file__, "--in-django", task, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "safeguard.hub.settings"},
        text=True,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{task}: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed_episodes(env: dict[str, str], data: Path, count: int, seed_: int, as_of: str) -> Any:
    marker = data / EPISODES
    if marker.exists():
        return json.loads(marker.read_text())
    made = in_django(env, "episodes", str(count), str(seed_), as_of)
    marker.write_text(json.dumps(made))
    return made


def bench_backend(name: str, env: dict[str, str], partnership: Path, args: Any) -> dict[str, Any]:
    data = Path(env["SAFEGUARD_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    print(f"{name}: preparing the store", flush=True)
    steps = prepare(env, partnership, data)
    contacts = seed(env, data, args.contacts, args.seed)
    episodes = seed_episodes(env, data, args.episodes, args.seed, args.as_of)
    print(f"  contacts: {contacts}\n  episodes: {episodes}", flush=True)
    found = in_django(env, "data_set", args.as_of, str(args.months))
    print(
        f"{name}: the data set, {found['months']} months: {found['seconds']} s, "
        f"{found['queries']} queries, {found['rows']} rows; charts (computing again) "
        f"{found['charts_seconds_with_a_second_computation']} s",
        flush=True,
    )
    slowest = sorted(found["per_kpi_seconds"].items(), key=lambda kv: -kv[1])[:5]
    print(f"{name}: slowest KPIs: {slowest}", flush=True)
    made = in_django(env, "pack", args.as_of)
    print(
        f"{name}: the meeting pack: {made['seconds']} s (contents {made['contents_seconds']} s, "
        f"PDF {made['pdf_seconds']} s), {made['pages']} pages, {made['bytes']:,} bytes",
        flush=True,
    )
    return {
        "backend": name,
        "prepare": steps,
        "contacts": contacts,
        "episodes": episodes,
        **found,
        "pack": made,
    }


def main() -> None:
    if sys.argv[1:2] == ["--in-django"]:
        task, rest = sys.argv[2], sys.argv[3:]
        if task == "episodes":
            out = _episodes_here(int(rest[0]), int(rest[1]), rest[2])
        elif task == "pack":
            out = _pack_here(rest[0])
        else:
            out = _data_set_here(rest[0], int(rest[1]))
        print(json.dumps(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--episodes", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--as-of", default=dt.date.today().isoformat())
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-mash-bench"))
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--json", type=Path, default=Path("bench/results/governance.json"))
    args = parser.parse_args()
    base = args.cache / f"children-{args.children}-seed-{args.seed}"
    partnership = base / "partnership"
    seconds = generate(partnership, args.children, args.seed)
    if seconds:
        print(f"partnership generated: {seconds:.1f} s", flush=True)
    common = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    common["SAFEGUARD_DEMO"] = "true"
    results = [
        bench_backend(
            "sqlite", {**common, "SAFEGUARD_DATA_DIR": str(base / "sqlite")}, partnership, args
        )
    ]
    if args.postgres:
        name = f"sg_bench_mash_{args.children}_{args.seed}"
        data = base / "postgres"
        if not (data / PREPARED).exists():
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
        env = {**common, "SAFEGUARD_DATA_DIR": str(data), "DATABASE_URL": url}
        results.append(bench_backend("postgresql", env, partnership, args))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

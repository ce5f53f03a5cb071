"""Missing children benchmark: the missing queue, an episode, a police SPOC's page and a home's
page under load, on SQLite and on PostgreSQL.

The store is the one `bench_mash.py` prepares (the 100,000-children partnership ingested,
linked and analysed with the CLI; cached under `--cache`, the same default, so both scripts
share it; its MASH contacts are not needed here). Into it, once per store (a marker file),
set-based inside the hub's Django (bulk inserts):

- a police SPOC account `bench-spoc` (Cheshire Constabulary), made the SPOC of `--spoc-homes`
  open children's homes (default 10); each of those homes given current placements (the
  council's placement records, starting 2026-01-01) until it has 6 to 10 residents;
- `--episodes` missing episodes (default 20,000) over the last two years, of real children,
  more of them for those residents (their home named), about 30% of the others naming a home:
  `--away` of them away now (default 300), the rest returned, each with its return home
  interview (mostly done; those of the last few days and a backlog still open, some of them
  overdue), a step or three of history each; and about 200 open strategy discussions
  (trigger "repeat", one per child).

On PostgreSQL the planner's statistics are brought up to date (ANALYZE) before each run.
`safeguard serve` serves the store (with its jobs worker and clocks' watch, as deployed) and a
load generator on loopback signs in a MASH practitioner (`bench`) and the SPOC (password and
one-time code) and sends, from `--clients` threads at once, the missing queue (away now,
interviews to do, last 30 days) and episode pages (random episodes) as the practitioner, and
the SPOC's page and their homes' pages as the SPOC; each answer checked; p50, p95, p99 per
page kind.

    .venv/bin/python bench/bench_missing.py [--children 100000] [--episodes 20000]
        [--requests 400] [--clients 4] [--pages away interviews recent spoc home episode]
        [--skip-sqlite] [--skip-postgres] [--no-worker] [--cache DIR]

The issue's target: the SPOC page and the missing queue p95 under 300 ms on SQLite and
PostgreSQL at 100,000 children. Figures, not assertions: the machine is shared (server and
load generator on the same cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import PASSWORD, PG_URL, Browser, cli
from bench_linkage import generate
from bench_mash import PREPARED, prepare, serving, sign_in_as, summary
from bench_mash import in_django as mash_in_django

SEEDED = ".bench-missing-seeded"
SPOC_MADE = ".bench-missing-spoc"
SPOC = "bench-spoc"
READER = "bench"  # the MASH practitioner the prepare step makes
PROVIDER = "return-interviews"
COUNCILS = {
    "cheshire_east": "cheshire-east-cs",
    "cheshire_west_and_chester": "cheshire-west-cs",
    "warrington": "warrington-cs",
    "halton": "halton-cs",
}
GRADES = ("no_apparent_risk", "low", "medium", "high")
PLACES = ("Town centre", "Bus station", "A friend's address", "Retail park", "Railway station")
#: The missing queue's views: (path, what the page must contain).
QUEUES = {
    "away": ("/missing/?view=away", "away longest first"),
    "interviews": ("/missing/?view=interviews", "soonest due first"),
    "recent": ("/missing/?view=recent", "newest first"),
}
#: The page kinds, sent in turn: the queue's views and episodes (as the practitioner), the
#: SPOC's page and their homes' pages (as the SPOC).
KINDS = (*QUEUES, "spoc", "home", "episode")


# --- inside the hub's Django (run as a subprocess with the store's environment) ---


def _seed_here(args: dict[str, int]) -> dict[str, Any]:
    """The SPOC's homes and their residents, the episodes with their interviews, steps and
    strategy discussions, in one transaction; what was made."""
    from safeguard.cli.hub import open_store

    open_store()  # Django set up, the schema brought up to date (the missing tables)
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from safeguard.casework import rhi, strategy
    from safeguard.hub import clocks
    from safeguard.hub.accounts.models import User
    from safeguard.hub.deliveries.models import Agency, SourceRecord
    from safeguard.hub.homes.models import ChildrensHome
    from safeguard.hub.homes.queries import residents
    from safeguard.hub.missing.models import Episode, Interview, Step, StrategyTask
    from safeguard.hub.people.models import PersonRecord

    rng = random.Random(args["seed"])
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    spoc = User.objects.get(username=SPOC)
    if Episode.objects.filter(reported_by="bench-seed").exists():
        raise SystemExit(
            "episodes of an earlier seeding are here, but no marker: rebuild the store"
        )

    # the children: council people records of 10 to 17 year olds, linked to a person
    youngest, oldest = (
        str(today.replace(year=today.year - 10)),
        str(today.replace(year=today.year - 18)),
    )
    linked = dict(
        PersonRecord.objects.filter(agency__in=list(COUNCILS.values())).values_list(
            "unique_id", "person_id"
        )
    )
    # by agency: (person, record id, name)
    children: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    names: dict[int, str] = {}
    seen: set[int] = set()
    for agency, record_id, data in SourceRecord.objects.filter(
        kind="people", is_current=True, agency__code__in=list(COUNCILS.values())
    ).values_list("agency__code", "record_id", "data"):
        born = str((data or {}).get("date_of_birth") or "")
        person = linked.get(f"{agency}:{record_id}")
        if person is None or person in seen or not (oldest < born <= youngest):
            continue
        seen.add(person)
        name = f"{str(data.get('forenames') or '').split(' ')[0]} {data.get('surname') or ''}"
        children[agency].append((person, record_id, name.strip()))
        names[person] = name.strip()
    for found in children.values():
        found.sort()
    assert names, "the store has no linked children: prepare it first"

    # the SPOC's homes, each with 6 to 10 residents now
    homes = list(ChildrensHome.objects.filter(open=True).order_by("home_id"))
    mine = rng.sample(homes, min(args["spoc_homes"], len(homes)))
    living = residents(mine)
    placed = {p for found in living.values() for p, _ in found}
    placements: list[Any] = []
    agencies = {a.code: a for a in Agency.objects.filter(code__in=list(COUNCILS.values()))}
    deliveries = dict(
        SourceRecord.objects.filter(kind="placements")
        .values_list("agency__code", "delivery_id")
        .distinct()
    )
    number = 0
    for home in mine:
        agency = COUNCILS.get(home.council_area, "cheshire-east-cs")
        wanted = rng.randint(6, 10) - len(living.get(home.pk, []))
        pool = [c for c in children[agency] if c[0] not in placed]
        for person, record_id, _ in rng.sample(pool, max(0, wanted)):
            number += 1
            placed.add(person)
            data = {
                "record_id": f"BENCH-L{number:06d}",
                "person_id": record_id,
                "placement_type": "childrens_home",
                "care_home_id": home.home_id,
                "start_date": "2026-01-01",
                "placing_council": home.council_area or "cheshire_east",
            }
            placements.append(
                SourceRecord(
                    agency=agencies[agency],
                    kind="placements",
                    record_id=data["record_id"],
                    version=1,
                    is_current=True,
                    delivery_id=deliveries[agency],
                    row_number=900_000 + number,
                    subject_id=record_id,
                    occurred_at="2026-01-01",
                    row_hash=hashlib.md5(json.dumps(data).encode()).hexdigest(),
                    data=data,
                )
            )

    # the episodes: the SPOC homes' residents many, other children fewer (a few many)
    first = (Episode.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    pk = first - 1
    episodes: list[Any] = []
    interviews: list[Any] = []
    steps: list[Any] = []
    by_person: dict[int, list[Any]] = defaultdict(list)
    everyone = sorted(names)
    pool = rng.sample(everyone, min(6000, len(everyone)))
    weights = [1 / (k + 50) for k in range(len(pool))]  # a long tail: some go missing often

    def add(person: int, home: Any, started: dt.datetime, away: bool) -> None:
        nonlocal pk
        pk += 1
        area = home.council_area if home else rng.choice(list(COUNCILS))
        reported = started + dt.timedelta(minutes=rng.randint(20, 240))
        reported = min(reported, now)
        grade = rng.choices(GRADES, (2, 4, 5, 1))[0] if not away or rng.random() < 0.8 else ""
        graded = min(reported + dt.timedelta(minutes=rng.randint(5, 60)), now) if grade else None
        returned = None
        if not away:
            back_by = now - dt.timedelta(minutes=10)
            returned = min(started + hour * rng.lognormvariate(2.0, 1.0), back_by)
            returned = max(returned, reported).replace(microsecond=0)
        e = Episode(
            pk=pk,
            kind="missing",
            status="away" if away else "returned",
            person_id=person,
            child_name=names[person],
            home=home,
            council_area=area or "",
            started_at=started,
            last_seen_where=rng.choice(PLACES),
            reported_at=reported,
            reported_by="bench-seed",
            reporter_agency="cheshire-police",
            grade=grade,
            graded_at=graded,
            returned_at=returned,
            found_where=rng.choice(PLACES) if returned else "",
            found_by="Police" if returned else "",
        )
        episodes.append(e)
        by_person[person].append(e)
        steps.append(
            Step(
                episode_id=pk,
                action="reported",
                detail="reported missing",
                by="bench-seed",
                at=reported,
            )
        )
        if graded is not None:
            steps.append(
                Step(
                    episode_id=pk,
                    action="grade",
                    detail=f"graded {grade}",
                    by="bench-seed",
                    at=graded,
                )
            )
        if returned is None:
            return
        steps.append(
            Step(
                episode_id=pk,
                action="find",
                detail="back (benchmark)",
                by="bench-seed",
                at=returned,
            )
        )
        due = returned + 72 * hour
        back = now - returned
        open_ = back < 4 * day or (back < 60 * day and rng.random() < 0.1)
        i = Interview(episode_id=pk, provider=PROVIDER, due_at=due)
        if open_:
            i.status = rng.choices((rhi.DUE, rhi.OFFERED), (3, 2))[0]
            if i.status == rhi.OFFERED:
                i.offered_at = min(returned + hour * rng.uniform(2, 60), now)
                i.worker = "bench-interviewer"
        else:
            i.status = rng.choices((rhi.DONE, rhi.DECLINED, rhi.NOT_DONE), (85, 8, 7))[0]
            i.worker = "bench-interviewer"
            i.offered_at = returned + hour * rng.uniform(2, 80)
            if i.status == rhi.DONE:
                i.accepted_at = i.offered_at + hour
                i.done_at = i.offered_at + hour * rng.uniform(2, 48)
                i.push_factors = "Arguments at home (benchmark)."
                i.pull_factors = "Older friends in town (benchmark)."
            elif i.status == rhi.DECLINED:
                i.declined_reason = "The child did not want to talk (benchmark)."
            else:
                i.closed_reason = "Could not be reached (benchmark)."
        interviews.append(i)

    home_of = {}
    for h in mine:
        for person, name in residents([h]).get(h.pk, []):
            home_of[person] = h
            names.setdefault(person, name)
    for placement in placements:  # the residents placed above: their person by record
        agency = placement.agency.code
        person = linked[f"{agency}:{placement.subject_id}"]
        home_of[person] = next(h for h in mine if h.home_id == placement.data["care_home_id"])
    for person, home in sorted(home_of.items()):
        for _ in range(rng.randint(4, 15)):
            add(person, home, now - day * rng.uniform(4, 330), False)
    away_of_residents = min(25, len(home_of))
    for person in rng.sample(sorted(home_of), away_of_residents):
        add(person, home_of[person], now - hour * rng.uniform(1, 72), True)
    for _ in range(args["away"] - away_of_residents):
        person = rng.choices(pool, weights)[0]
        home = rng.choice(homes) if rng.random() < 0.3 else None
        add(person, home, now - day * rng.expovariate(1 / 3) - hour, True)
    for person in rng.choices(pool, weights, k=max(0, args["episodes"] - len(episodes))):
        home = rng.choice(homes) if rng.random() < 0.3 else None
        add(person, home, (now - day * rng.uniform(0.2, 730)).replace(microsecond=0), False)

    # strategy discussions: one open "repeat" task for about 200 children with 3 or more
    repeat = sorted(p for p, found in by_person.items() if len(found) >= 3)
    tasks = []
    for person in rng.sample(repeat, min(args["tasks"], len(repeat))):
        latest = max(by_person[person], key=lambda e: e.started_at)
        opened = latest.returned_at or latest.reported_at
        tasks.append(
            StrategyTask(
                person_id=person,
                trigger="repeat",
                detail=f"{len(by_person[person])} episodes, 3 or more within 90 days",
                status=strategy.OPEN,
                opened_at=opened,
                due_at=clocks.due(strategy.CLOCK, opened),
                episode_id=latest.pk,
            )
        )

    start = time.perf_counter()
    with transaction.atomic():
        ChildrensHome.objects.filter(pk__in=[h.pk for h in mine]).update(police_spoc=spoc)
        SourceRecord.objects.bulk_create(placements, batch_size=2000)
        Episode.objects.bulk_create(episodes, batch_size=2000)
        Interview.objects.bulk_create(interviews, batch_size=2000)
        Step.objects.bulk_create(steps, batch_size=2000)
        StrategyTask.objects.bulk_create(tasks, batch_size=2000)
        with connection.cursor() as cursor:  # explicit keys: move PostgreSQL's sequence on
            for sql in connection.ops.sequence_reset_sql(no_style(), [Episode]):
                cursor.execute(sql)
    states = Counter(i.status for i in interviews)
    open_ = [i for i in interviews if i.status in rhi.OPEN]
    return {
        "spoc_homes": sorted(h.home_id for h in mine),
        "residents": {
            h.home_id: len(found) for h in mine for found in [residents([h]).get(h.pk, [])]
        },
        "placements_added": len(placements),
        "episodes": len(episodes),
        "episode_ids": [first, pk],
        "away": sum(1 for e in episodes if e.status == "away"),
        "with_home": sum(1 for e in episodes if e.home is not None),
        "of_residents": sum(len(by_person[p]) for p in home_of),
        "children": len(by_person),
        "interviews": len(interviews),
        "interview_states": dict(sorted(states.items())),
        "interviews_open": len(open_),
        "interviews_overdue": sum(1 for i in open_ if i.due_at < now),
        "steps": len(steps),
        "tasks": len(tasks),
        "insert_seconds": round(time.perf_counter() - start, 1),
    }


def in_django(env: dict[str, str], task: str, *args: str) -> Any:
    """Run `task` of this script inside the hub's Django with the store's environment."""
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


def _run_in_django(task: str, args: list[str]) -> None:
    if task != "seed":
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(_seed_here(json.loads(args[0]))))


# --- the store: prepared, with its SPOC and episodes ---


def spoc_account(env: dict[str, str], data: Path) -> None:
    """The police SPOC's account (made once per store)."""
    marker = data / SPOC_MADE
    if marker.exists():
        return
    cli(
        env,
        "users",
        "add",
        SPOC,
        "--agency",
        "cheshire-police",
        "--role",
        "police_spoc",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    marker.write_text(SPOC)


def seed(env: dict[str, str], data: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The episodes seeded once per store (cached); what was made and the seconds it took."""
    marker = data / SEEDED
    asked = {
        "seed": args.seed,
        "episodes": args.episodes,
        "away": args.away,
        "tasks": args.tasks,
        "spoc_homes": args.spoc_homes,
    }
    if marker.exists():
        done = json.loads(marker.read_text())
        if done["asked"] != asked:
            raise SystemExit(
                f"{data} was seeded with {done['asked']}, not {asked}: use another --cache "
                "(or the same options)"
            )
        return dict(done)
    start = time.perf_counter()
    made = in_django(env, "seed", json.dumps(asked))
    made["seconds"] = round(time.perf_counter() - start, 1)
    made["asked"] = asked
    marker.write_text(json.dumps(made))
    return dict(made)


# --- the load ---


def workload(
    seeded: dict[str, Any], n: int, seed_: int, kinds: tuple[str, ...] = KINDS
) -> list[tuple[str, str, str, str]]:
    """(kind, path, text the answer must contain, who asks): `kinds` in turn."""
    rng = random.Random(seed_)
    low, high = seeded["episode_ids"]
    homes = seeded["spoc_homes"]
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind in QUEUES:
            path, expect = QUEUES[kind]
            out.append((kind, path, expect, READER))
        elif kind == "spoc":
            out.append((kind, "/homes/spoc/", "Living there now (", SPOC))
        elif kind == "home":
            home = homes[(i // len(kinds)) % len(homes)]
            out.append((kind, f"/homes/{home}/", "Living there now (", SPOC))
        else:
            pk = rng.randint(low, high)
            out.append((kind, f"/missing/episodes/{pk}/", f"Episode {pk}:", READER))
    return out


def reads(
    port: int,
    cookies: dict[str, dict[str, str]],
    work: list[tuple[str, str, str, str]],
    clients: int,
) -> dict[str, Any]:
    times: dict[str, list[float]] = {}
    failures: list[str] = []
    lock = threading.Lock()
    chunks = [work[i::clients] for i in range(clients)]

    def run(chunk: list[tuple[str, str, str, str]]) -> None:
        browsers = {who: Browser(port, c) for who, c in cookies.items()}
        for kind, path, expect, who in chunk:
            start = time.perf_counter()
            try:
                status, text, _ = browsers[who].request("GET", path)
            except (OSError, http.client.HTTPException) as e:
                status, text = 0, repr(e)
                browsers[who] = Browser(port, cookies[who])
            ms = (time.perf_counter() - start) * 1000
            ok = status == 200 and expect in text
            with lock:
                if not ok:
                    failures.append(f"{who} {path}: {status}")
                times.setdefault(kind, []).append(ms)

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    queue_all = [ms for kind, v in times.items() if kind in QUEUES for ms in v]
    return {
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(work) / seconds, 1),
        "failed": len(failures),
        "failures": failures[:10],
        "missing queue (all)": summary(queue_all),
        **{kind: summary(v) for kind, v in sorted(times.items())},
    }


def bench_backend(
    name: str, env: dict[str, str], partnership: Path, args: argparse.Namespace
) -> dict[str, Any]:
    data = Path(env["SAFEGUARD_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    print(f"{name}: preparing the store", flush=True)
    steps = prepare(env, partnership, data)
    spoc_account(env, data)
    seeded = seed(env, data, args)
    shown = {k: v for k, v in seeded.items() if k not in ("asked",)}
    print(f"  seeded: {shown}", flush=True)
    analysed = mash_in_django(env, "analyse")
    if analysed["seconds"]:
        print(f"  ANALYZE: {analysed['seconds']} s", flush=True)
    with serving(env, data.parent / f"{name}-missing-serve.log", not args.no_worker) as port:
        cookies = {who: sign_in_as(port, env, who) for who in (READER, SPOC)}
        work = workload(seeded, args.requests, args.seed, tuple(args.pages))
        reads(port, cookies, work[: max(12, len(work) // 10)], args.clients)  # warm up
        load_before = os.getloadavg()[0]
        read = reads(port, cookies, work, args.clients)
        load_after = os.getloadavg()[0]
    result = {
        "backend": name,
        "prepare": steps,
        "seeded": seeded,
        "reads": read,
        "worker": not args.no_worker,
        "load": [round(load_before, 2), round(load_after, 2)],
    }
    for kind in ("missing queue (all)", *args.pages):
        s = read.get(kind, {})
        print(
            f"{name}: {kind}: n {s.get('n')}, p50 {s.get('p50_ms')} ms, "
            f"p95 {s.get('p95_ms')} ms, p99 {s.get('p99_ms')} ms",
            flush=True,
        )
    print(
        f"{name}: {read['requests_per_second']} requests/s, {read['failed']} failed "
        f"{read['failures']} (load {load_before:.1f} / {load_after:.1f})",
        flush=True,
    )
    return result


def main() -> None:
    if sys.argv[1:2] == ["--in-django"]:
        _run_in_django(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--episodes", type=int, default=20_000)
    parser.add_argument("--away", type=int, default=300, help="episodes away now")
    parser.add_argument("--tasks", type=int, default=200, help="open strategy discussions")
    parser.add_argument("--spoc-homes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-mash-bench"))
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=KINDS,
        default=list(KINDS),
        help="the page kinds to send, in turn (default: all)",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="serve without the jobs worker and clocks' watch beside the pages",
    )
    parser.add_argument("--json", type=Path, default=Path("bench/results/missing.json"))
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
    results = []
    if not args.skip_sqlite:
        sqlite = {**common, "SAFEGUARD_DATA_DIR": str(base / "sqlite")}
        results.append(bench_backend("sqlite", sqlite, partnership, args))
    if not args.skip_postgres:
        name = f"sg_bench_mash_{args.children}_{args.seed}"  # bench_mash.py's database
        data = base / "postgres"
        if not (data / PREPARED).exists():
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
        results.append(
            bench_backend(
                "postgresql",
                {**common, "SAFEGUARD_DATA_DIR": str(data), "DATABASE_URL": url},
                partnership,
                args,
            )
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

"""MASH benchmark: the team queue and a contact page under load, and practitioners writing at once.

The partnership (default 100,000 children) is ingested, linked and analysed into a store per
backend with the CLI, as `bench_hub.py` does (cached under `--cache`). `--contacts` contacts
(default 50,000) are then seeded set-based inside the hub's Django (bulk inserts: each contact
with its main subject, a few history steps and, for a share, agencies' checks; about 70%
decided, the rest open with their clocks running, some overdue); on PostgreSQL the planner's
statistics are brought up to date (ANALYZE) before each run, as autovacuum would. `safeguard
serve` serves the store (with its jobs worker and clocks' watch, as deployed) and a load
generator on loopback:

- reads: signs in as a MASH practitioner (password and one-time code) and sends, from
  `--clients` threads at once, queue pages (`/mash/`, overdue, Red, one council area, page 5)
  and contact pages (random references); each answer checked; p50, p95, p99 per page kind;
- writes: `--writers` practitioners, each signed in in its own thread, add `--notes` notes
  each to contacts (half to a few shared contacts, half to random ones), all at once; then the
  notes are counted in the database: every 302 must have landed, and nothing may fail.

    .venv/bin/python bench/bench_mash.py [--children 100000] [--contacts 50000]
        [--requests 400] [--clients 4] [--writers 20] [--notes 25] [--skip-postgres]
        [--no-worker] [--cache DIR]

The issue's targets: queue and contact page p95 under 300 ms on SQLite and PostgreSQL at 100,000
children and 50,000 contacts; 20 practitioners writing at once lose nothing. Figures, not
assertions: the machine is shared (server and load generator on the same cores).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import PASSWORD, PG_URL, Browser, _csrf, _free_port, add_user, cli, sign_in
from bench_hub import prepare as hub_prepare
from bench_linkage import generate

AREAS = ("cheshire_east", "cheshire_west_and_chester", "warrington", "halton")
QUEUES = (
    ("queue", "/mash/"),
    ("queue overdue", "/mash/?status=overdue"),
    ("queue red", "/mash/?rating=red"),
    ("queue halton", "/mash/?area=halton"),
    ("queue page 5", "/mash/?page=5"),
)
PREPARED = ".bench-mash-prepared"
SEEDED = ".bench-mash-seeded"
WRITERS = ".bench-mash-writers"
NOTE_PREFIX = "bench-mash note"
FORENAMES = (
    "Amelia", "Ava", "Ella", "Evie", "Freya", "Grace", "Isla", "Lily", "Mia", "Olivia",
    "Alfie", "Archie", "Charlie", "Freddie", "George", "Harry", "Jack", "Leo", "Noah", "Oscar",
)  # fmt: skip
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Hughes", "Patel", "Jackson",
)  # fmt: skip


# --- inside the hub's Django (run as a subprocess with the store's environment) ---


def _seed_here(contacts: int, seed: int, references: Path) -> dict[str, Any]:
    """Bulk-insert `contacts` contacts with their subjects, steps and checks; what was made."""
    import django

    django.setup()
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from safeguard.casework import check
    from safeguard.casework import contact as table
    from safeguard.hub.deliveries.models import Agency
    from safeguard.hub.mash import clocks
    from safeguard.hub.mash.models import CheckRequest, Contact, Step, Subject
    from safeguard.hub.people.models import Person

    rng = random.Random(seed)
    vocabulary = clocks.vocabulary()
    factors = sorted(vocabulary.factors)
    people = list(Person.objects.filter(retired_run__isnull=True).values_list("id", flat=True))
    agencies = sorted(Agency.objects.values_list("code", flat=True))
    assert people and agencies, "the store has no people or no agencies: prepare it first"
    first = (Contact.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    now = timezone.now()
    day = dt.timedelta(days=1)
    outcomes = (["nfa"], ["advice"], ["early_help"], ["assessment"], ["police_action", "mace"])
    rows: list[Any] = []
    subjects: list[Any] = []
    steps: list[Any] = []
    checks: list[Any] = []
    refs: list[str] = []

    def step(pk: int, action: str, state: str, at: dt.datetime, detail: str) -> None:
        steps.append(
            Step(contact_id=pk, action=action, state=state, detail=detail, by="bench-seed", at=at)
        )

    for pk in range(first, first + contacts):
        decided = rng.random() < 0.7
        if decided:
            received = now - rng.random() * 60 * day
            state = table.DECIDED
            rating = rng.choices(("red", "amber", "green", "blue"), (1, 3, 4, 2))[0]
        else:
            # open work: mostly arrived in the last two days, a backlog older (overdue)
            back = rng.random() * 2 * day if rng.random() < 0.75 else (2 + rng.random() * 58) * day
            received = now - back
            state = rng.choices((table.RECEIVED, table.RATED, table.CHECKING), (40, 25, 35))[0]
            rating = "" if state == table.RECEIVED else rng.choice(("red", "amber", "green"))
        received = received.replace(microsecond=0)
        decision_due = clocks.due(table.DECISION_CLOCK, received)
        rated_at = (
            min(received + dt.timedelta(minutes=rng.randint(10, 180)), now) if rating else None
        )
        clock = vocabulary.ratings[rating].clock if rating else ""
        checks_due = clocks.due(clock, rated_at) if clock and rated_at else None
        asked: list[str] = []
        if state == table.CHECKING or (decided and clock and rng.random() < 0.4):
            asked = rng.sample(agencies, min(len(agencies), rng.randint(1, 3)))
        again = rng.random() < 0.1  # a re-referral
        decided_at = (
            max(received, min(received + dt.timedelta(hours=rng.uniform(1, 30)), now))
            if decided
            else None
        )
        person = rng.choice(people)
        name = f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}"
        reference = table.reference(pk, received)
        refs.append(reference)
        rows.append(
            Contact(
                pk=pk,
                reference=reference,
                received_at=received,
                route="delivery",
                source="6",
                referrer_agency=rng.choice(agencies),
                referrer_name="Benchmark referrer",
                anonymity="named",
                council_area=rng.choice(AREAS) if rng.random() < 0.95 else "",
                factors=rng.sample(factors, rng.randint(1, 2)),
                summary=f"{name} was seen late at night with older adults (benchmark contact).",
                seen="Seen getting into a car outside school.",
                status=state,
                rating=rating,
                rated_at=rated_at,
                decision_due=decision_due,
                checks_due=checks_due,
                next_due=table.next_due(
                    state, decision_due, checks_due if state == table.CHECKING else None
                ),
                outcomes=rng.choice(outcomes) if decided else [],
                decided_at=decided_at,
                decided_by="bench-manager" if decided else "",
                decision_reason="Benchmark decision with its reasons." if decided else "",
                basis="safeguarding" if decided else "",
                previous_at=received - 40 * day if again else None,
                previous="an earlier contact about the child" if again else "",
                person_id=person,
                child_name=name,
            )
        )
        subjects.append(
            Subject(
                contact_id=pk,
                main=True,
                kind="child",
                name=name,
                dob=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365)),
                person_id=person,
                linked_by="bench-seed",
                linked_at=received,
            )
        )
        if rng.random() < 0.3:
            subjects.append(
                Subject(
                    contact_id=pk,
                    kind="adult",
                    relationship="mother",
                    name=f"{rng.choice(FORENAMES)} {name.split()[1]}",
                )
            )
        step(pk, "received", table.RECEIVED, received, "by agency delivery")
        if rated_at is not None:
            step(pk, "rate", table.RATED, rated_at, f"rated {vocabulary.ratings[rating].label}")
        for code in asked:
            at = min(rated_at + dt.timedelta(minutes=5), now) if rated_at else received
            answered = decided
            checks.append(
                CheckRequest(
                    contact_id=pk,
                    agency_id=code,
                    status=check.ANSWERED if answered else check.REQUESTED,
                    question="What do you hold about the child and the household?",
                    basis="safeguarding",
                    requested_by="bench-seed",
                    requested_at=at,
                    due_at=checks_due,
                    answer="Known to us; details shared." if answered else "",
                    holds=rng.random() < 0.5 if answered else None,
                    answered_by="bench-seed" if answered else "",
                    answered_at=min(at + dt.timedelta(hours=2), now) if answered else None,
                )
            )
        if asked:
            at = min(rated_at + dt.timedelta(minutes=5), now) if rated_at else received
            step(pk, "request_checks", table.CHECKING, at, "asked " + ", ".join(asked))
        if decided_at is not None:
            step(pk, "decide", table.DECIDED, decided_at, "decided (benchmark)")

    start = time.perf_counter()
    with transaction.atomic():
        Contact.objects.bulk_create(rows, batch_size=2000)
        Subject.objects.bulk_create(subjects, batch_size=2000)
        Step.objects.bulk_create(steps, batch_size=2000)
        CheckRequest.objects.bulk_create(checks, batch_size=2000)
        with connection.cursor() as cursor:  # explicit keys: move PostgreSQL's sequence on
            for sql in connection.ops.sequence_reset_sql(no_style(), [Contact]):
                cursor.execute(sql)
    references.write_text(json.dumps(refs), encoding="utf-8")
    open_ = [r for r in rows if r.status in table.OPEN]
    return {
        "contacts": len(rows),
        "open": len(open_),
        "overdue": sum(1 for r in open_ if r.next_due is not None and r.next_due < now),
        "subjects": len(subjects),
        "steps": len(steps),
        "checks": len(checks),
        "insert_seconds": round(time.perf_counter() - start, 1),
    }


def _notes_here(prefix: str) -> list[str]:
    """The texts of the notes starting with `prefix`."""
    import django

    django.setup()
    from safeguard.hub.mash.models import Note

    return list(Note.objects.filter(text__startswith=prefix).values_list("text", flat=True))


def _analyse_here() -> dict[str, Any]:
    """PostgreSQL's planner statistics brought up to date, as autovacuum keeps them in use
    (a bulk load leaves them stale, and a test server may run without autovacuum)."""
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"seconds": 0.0}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"seconds": round(time.perf_counter() - start, 1)}


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
    if task == "seed":
        out: Any = _seed_here(int(args[0]), int(args[1]), Path(args[2]))
    elif task == "notes":
        out = _notes_here(args[0])
    elif task == "analyse":
        out = _analyse_here()
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(out))


# --- the store: prepared, seeded, with its practitioners ---


def prepare(env: dict[str, str], partnership: Path, data: Path) -> dict[str, float]:
    """`bench_hub.prepare`, with this benchmark's marker (its stores are cached apart)."""
    return hub_prepare(env, partnership, data, PREPARED)


def seed(env: dict[str, str], data: Path, contacts: int, seed_: int) -> dict[str, Any]:
    """The contacts seeded once per store (cached); what was made and the seconds it took."""
    marker = data / SEEDED
    if marker.exists():
        done = json.loads(marker.read_text())
        if done["contacts"] != contacts:
            raise SystemExit(
                f"{data} holds {done['contacts']} seeded contacts, not {contacts}: use another "
                "--cache (or remove that one)"
            )
        return dict(done)
    start = time.perf_counter()
    made = in_django(env, "seed", str(contacts), str(seed_), str(data / "bench-mash-refs.json"))
    made["seconds"] = round(time.perf_counter() - start, 1)
    marker.write_text(json.dumps(made))
    return dict(made)


def writers(env: dict[str, str], data: Path, n: int) -> list[str]:
    """`n` MASH practitioner accounts (made once per store)."""
    marker = data / WRITERS
    made = set(json.loads(marker.read_text())) if marker.exists() else set()
    names = [f"mash-writer-{i:02d}" for i in range(1, n + 1)]
    for name in names:
        if name in made:
            continue
        add_user(env, name, "mash_practitioner")
        made.add(name)
        marker.write_text(json.dumps(sorted(made)))
    return names


def sign_in_as(
    port: int, env: dict[str, str], username: str, code: Callable[[], str] | None = None
) -> dict[str, str]:
    """Sign `username` in through the pages (password, then the one-time code: `code()`, or
    the CLI's `users code`)."""
    b = Browser(port)
    _, page, _ = b.request("GET", "/accounts/login/")
    status, _, _ = b.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": _csrf(page), "username": username, "password": PASSWORD},
    )
    assert status == 302, f"{username}: password step answered {status}"
    _, page, _ = b.request("GET", "/accounts/verify/")
    code = code() if code else cli(env, "users", "code", username).strip()
    status, _, _ = b.request(
        "POST", "/accounts/verify/", {"csrfmiddlewaretoken": _csrf(page), "otp_token": code}
    )
    assert status == 302, f"{username}: code step answered {status}"
    return b.cookies


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path, worker: bool = True) -> Iterator[int]:
    """`safeguard serve` on a free port (its output in `log`), until the block ends. It runs
    in a process group of its own, stopped as Ctrl-C would: `serve` stops its jobs worker and
    clocks' watch only on an interrupt (a plain SIGTERM leaves them running)."""
    port = _free_port()
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "safeguard", "serve", "--port", str(port), "--threads", "8"]
            + (["--worker"] if worker else ["--no-worker"]),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for _ in range(240):
                try:
                    if Browser(port).request("GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"the server did not start; see {log}")
            yield port
        finally:
            _stop_group(server)


def _stop_group(server: subprocess.Popen[bytes]) -> None:
    """Interrupt the server's process group (it and what it started), then end what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)
    time.sleep(1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)


# --- the load ---


def summary(values: list[float]) -> dict[str, Any]:
    if len(values) < 2:
        return {"n": len(values)}
    q = statistics.quantiles(values, n=100)
    return {
        "n": len(values),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
    }


def workload(references: list[str], n: int, seed_: int) -> list[tuple[str, str, str]]:
    """(kind, path, text the answer must contain): half queue pages (each variant in turn),
    half contact pages of random contacts."""
    rng = random.Random(seed_)
    out = []
    for i in range(n):
        if i % 2 == 0:
            kind, path = QUEUES[(i // 2) % len(QUEUES)]
            out.append((kind, path, "MASH-"))
        else:
            ref = rng.choice(references)
            out.append(("contact", f"/mash/contacts/{ref}/", f"Contact {ref}"))
    return out


def reads(
    port: int, cookies: dict[str, str], work: list[tuple[str, str, str]], clients: int
) -> dict[str, Any]:
    times: dict[str, list[float]] = {}
    failures: list[str] = []
    lock = threading.Lock()
    chunks = [work[i::clients] for i in range(clients)]

    def run(chunk: list[tuple[str, str, str]]) -> None:
        b = Browser(port, cookies)
        for kind, path, expect in chunk:
            start = time.perf_counter()
            try:
                status, text, _ = b.request("GET", path)
            except (OSError, http.client.HTTPException) as e:
                status, text = 0, repr(e)
                b = Browser(port, cookies)
            ms = (time.perf_counter() - start) * 1000
            ok = status == 200 and expect in text
            if ok and kind.startswith("queue"):
                ok = '<h1 class="govuk-heading-l">Contacts</h1>' in text
            with lock:
                if not ok:
                    failures.append(f"{path}: {status}")
                times.setdefault(kind, []).append(ms)

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    queue_all = [ms for kind, v in times.items() if kind.startswith("queue") for ms in v]
    return {
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(work) / seconds, 1),
        "failed": len(failures),
        "failures": failures[:10],
        "queue (all)": summary(queue_all),
        **{kind: summary(v) for kind, v in sorted(times.items())},
    }


def writes(
    port: int,
    env: dict[str, str],
    names: list[str],
    references: list[str],
    notes: int,
    seed_: int,
) -> dict[str, Any]:
    """Every writer signed in, then all add their notes at once; the notes counted after."""
    rng = random.Random(seed_ + 1)
    hot = rng.sample(references, 10)  # contacts several practitioners write to at once
    run_id = uuid.uuid4().hex[:8]
    prefix = f"{NOTE_PREFIX} {run_id} "
    plans = [
        [
            (rng.choice(hot) if rng.random() < 0.5 else rng.choice(references), f"{prefix}{w} {i}")
            for i in range(notes)
        ]
        for w in names
    ]
    start = time.perf_counter()
    sessions = [sign_in_as(port, env, name) for name in names]
    sign_in_seconds = round(time.perf_counter() - start, 1)
    started: list[float] = []
    barrier = threading.Barrier(len(names), action=lambda: started.append(time.perf_counter()))
    lock = threading.Lock()
    sent: list[tuple[str, int, float]] = []  # (text, status, ms)
    problems: list[str] = []

    def run(k: int) -> None:
        b = Browser(port, sessions[k])
        first = plans[k][0][0]
        status, page, _ = b.request("GET", f"/mash/contacts/{first}/")
        token = _csrf(page) if status == 200 else ""
        barrier.wait()
        for ref, text in plans[k]:
            form = {"csrfmiddlewaretoken": token, "text": text}
            start = time.perf_counter()
            try:
                status, _, headers = b.request("POST", f"/mash/contacts/{ref}/note/", form)
                where = {h.lower(): v for h, v in headers.items()}.get("location", "")
            except (OSError, http.client.HTTPException) as e:
                status, where = 0, repr(e)
                b = Browser(port, sessions[k])
            ms = (time.perf_counter() - start) * 1000
            if status == 302 and where != f"/mash/contacts/{ref}/":
                status = -302  # redirected elsewhere (signed out?): not a write
            with lock:
                sent.append((text, status, ms))
                if status != 302:
                    problems.append(f"{names[k]} -> {ref}: {status} {where}"[:200])

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(names))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started[0]
    landed = Counter(in_django(env, "notes", prefix))
    accepted = {text for text, status, _ in sent if status == 302}
    lost = accepted - set(landed)
    return {
        "writers": len(names),
        "sent": len(sent),
        "accepted_302": len(accepted),
        "landed": sum(landed.values()),
        "lost": len(lost),
        "landed_without_302": len(set(landed) - accepted),
        "duplicated": sum(n - 1 for n in landed.values() if n > 1),
        "failed": len(sent) - len(accepted),
        "statuses": dict(Counter(str(status) for _, status, _ in sent)),
        "problems": problems[:10],
        "seconds": round(seconds, 1),
        "writes_per_second": round(len(sent) / seconds, 1),
        "sign_in_seconds": sign_in_seconds,
        **summary([ms for _, _, ms in sent]),
    }


def bench_backend(
    name: str, env: dict[str, str], partnership: Path, args: argparse.Namespace
) -> dict[str, Any]:
    data = Path(env["SAFEGUARD_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    print(f"{name}: preparing the store", flush=True)
    steps = prepare(env, partnership, data)
    seeded = seed(env, data, args.contacts, args.seed)
    print(f"  seeded: {seeded}", flush=True)
    names = writers(env, data, args.writers)
    references = json.loads((data / "bench-mash-refs.json").read_text())
    analysed = in_django(env, "analyse")
    if analysed["seconds"]:
        print(f"  ANALYZE: {analysed['seconds']} s", flush=True)
    with serving(env, data.parent / f"{name}-serve.log", not args.no_worker) as port:
        cookies = sign_in(port, env)
        work = workload(references, args.requests, args.seed)
        reads(port, cookies, work[: max(10, len(work) // 10)], args.clients)  # warm up
        load_before = os.getloadavg()[0]
        read = reads(port, cookies, work, args.clients)
        write = writes(port, env, names, references, args.notes, args.seed)
        load_after = os.getloadavg()[0]
    result = {
        "backend": name,
        "prepare": steps,
        "seeded": seeded,
        "reads": read,
        "writes": write,
        "worker": not args.no_worker,
        "load": [round(load_before, 2), round(load_after, 2)],
    }
    for kind in ("queue (all)", *(k for k, _ in QUEUES), "contact"):
        s = read.get(kind, {})
        print(
            f"{name}: {kind}: n {s.get('n')}, p50 {s.get('p50_ms')} ms, "
            f"p95 {s.get('p95_ms')} ms, p99 {s.get('p99_ms')} ms",
            flush=True,
        )
    print(
        f"{name}: {read['requests_per_second']} requests/s, {read['failed']} failed "
        f"{read['failures']}",
        flush=True,
    )
    print(
        f"{name}: writes: {write['writers']} writers, {write['sent']} sent, "
        f"{write['accepted_302']} accepted, {write['landed']} landed, {write['lost']} lost, "
        f"{write['failed']} failed {write['statuses']}; p50 {write.get('p50_ms')} ms, "
        f"p95 {write.get('p95_ms')} ms, p99 {write.get('p99_ms')} ms; "
        f"{write['writes_per_second']} writes/s (load {load_before:.1f} / {load_after:.1f})",
        flush=True,
    )
    if write["problems"]:
        print(f"{name}: write problems: {write['problems']}", flush=True)
    return result


def main() -> None:
    if sys.argv[1:2] == ["--in-django"]:
        _run_in_django(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--notes", type=int, default=25, help="notes each writer adds")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-mash-bench"))
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="serve without the jobs worker and clocks' watch beside the pages (to see their "
        "share of the load)",
    )
    parser.add_argument("--json", type=Path, default=Path("bench/results/mash.json"))
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
    if not args.skip_postgres:
        name = f"sg_bench_mash_{args.children}_{args.seed}"
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

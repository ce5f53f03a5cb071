"""Load benchmark: 50 signed-in practitioners at once on PostgreSQL, reading and writing (Locust).

The partnership (default 10,000 children) is ingested, linked and analysed into a PostgreSQL
store with the CLI and `--contacts` MASH contacts are seeded, as `bench_mash.py` does (cached
under `--cache`). `--users` MASH practitioners are made there (once). `safeguard serve` serves
the store (waitress with 8 threads, its jobs worker and clocks' watch beside it, as deployed)
and every practitioner signs in through the pages, password then the current one-time code, and
each kind of page is asked for once (a warm-up), before the clock starts. Locust (headless, in
this process, on loopback) then runs them all for `--minutes`, each waiting 1 to 5 seconds
between clicks and mixing:

- person searches (names and dates of birth from the data, a quarter misspelt) and person
  pages (random people, chronology and all), as `bench_hub.py` sends them;
- queue pages: the MASH queue (first page, overdue, Red), missing episodes and screenings;
- contact pages and form posts: a note added to a MASH contact (half to ten shared contacts).

Every answer is checked (the page's own words; a redirect, to sign-in say, is an error).
Afterwards every note that was accepted (302 back to its contact) is looked for in the
database: none may be lost or doubled. Reported per request type: count, p50, p95, p99 and
errors, with the load average before and after (the machine is shared).

    .venv/bin/python bench/bench_load.py [--minutes 1] [--users 50]
        [--children 10000] [--contacts 5000] [--cache DIR]

The issue's target, for `--minutes 5`: p95 under 500 ms for every request type, no error,
every write present afterwards. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import hmac
import json
import os
import random
import struct
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import gevent
import psycopg
from locust import HttpUser, between, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import PASSWORD, PG_URL, Browser
from bench_hub import workload as people_workload
from bench_linkage import generate
from bench_mash import NOTE_PREFIX, in_django, prepare, seed, serving, sign_in_as

QUEUES = (
    ("MASH queue", "/mash/", '<h1 class="govuk-heading-l">Contacts</h1>'),
    ("MASH queue", "/mash/?status=overdue", '<h1 class="govuk-heading-l">Contacts</h1>'),
    ("MASH queue", "/mash/?rating=red", '<h1 class="govuk-heading-l">Contacts</h1>'),
    ("missing queue", "/missing/", '<h1 class="govuk-heading-l">Missing children</h1>'),
    ("screenings", "/intelligence/screening/", '<h1 class="govuk-heading-l">CSE screening</h1>'),
)
#: Waitress threads: `bench_mash.serving` serves with 8, as the other hub benchmarks do.
THREADS = 8
PRACTITIONER = "load-practitioner-{:02d}"


# --- inside the hub's Django (a subprocess with the store's environment) ---


def _practitioners_here(n: int) -> dict[str, str]:
    """`n` MASH practitioners (made through the accounts service, as the installation, when
    missing) and each one's authenticator key in hex, to compute its codes."""
    import django

    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.access.policy import Actor
    from safeguard.hub.accounts import services
    from safeguard.hub.accounts.models import User

    installation = Caller(Actor.of_installation("bench"), Channel.CLI)
    keys = {}
    for i in range(1, n + 1):
        name = PRACTITIONER.format(i)
        if not User.objects.filter(username=name).exists():
            services.add_user(
                installation, name, "cheshire-east-cs", ["mash_practitioner"], password=PASSWORD
            )
        keys[name] = TOTPDevice.objects.get(user__username=name, confirmed=True).key
    return keys


def _in_django_here(task: str, args: list[str]) -> None:
    if task != "practitioners":
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(_practitioners_here(int(args[0]))))


def practitioners(env: dict[str, str], n: int) -> dict[str, str]:
    import subprocess

    result = subprocess.run(
        [sys.executable, __file__, "--in-django", "practitioners", str(n)],
        env={**env, "DJANGO_SETTINGS_MODULE": "safeguard.hub.settings"},
        text=True,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"practitioners: {result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


# --- signing in ---


def current_code(key: str, step: int = 30) -> str:
    """The authenticator's current six-digit code (RFC 6238, as django-otp checks it)."""
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(bytes.fromhex(key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# --- the load (Locust, in this process) ---


def warm_up(
    port: int, cookies: dict[str, str], people: list[tuple[str, str, str]], references: list[str]
) -> None:
    """Each kind of page once, one at a time, as a server that has been up a while has done:
    the first screening queue a process serves reads and checks the indicator catalogue
    (seconds), and concurrent first requests would each do it."""
    b = Browser(port, cookies)
    paths = [path for _, path, _ in QUEUES] + [path for _, path, _ in people[:2]]
    for path in [*paths, f"/mash/contacts/{references[0]}/"]:
        status, _, _ = b.request("GET", path)
        assert status == 200, f"warm-up: {path} answered {status}"


def run_locust(
    port: int,
    sessions: list[dict[str, str]],
    people: list[tuple[str, str, str]],
    references: list[str],
    seconds: float,
    seed_: int,
    prefix: str,
) -> tuple[dict[str, Any], list[str]]:
    """Every session as one Locust user for `seconds`; the figures per request type and the
    texts of the notes the hub accepted."""
    rng = random.Random(seed_)
    hot = rng.sample(references, min(10, len(references)))
    accepted: list[str] = []
    waiting = list(sessions)
    lock = threading.Lock()

    class Practitioner(HttpUser):
        wait_time = between(1, 5)
        host = f"http://127.0.0.1:{port}"

        def on_start(self) -> None:
            with lock:
                self.cookies = waiting.pop()
            for name, value in self.cookies.items():  # as the server's own would be kept
                self.client.cookies.set(name, value, domain="127.0.0.1", path="/")
            self.rng = random.Random(len(waiting))
            self.written = 0

        def _get(self, kind: str, path: str, expect: str) -> None:
            with self.client.get(
                path, name=kind, allow_redirects=False, catch_response=True
            ) as answer:
                if answer.status_code != 200 or expect not in answer.text:
                    answer.failure(f"{answer.status_code} {answer.headers.get('Location', '')}")

        @task(3)
        def person_search(self) -> None:
            self._get(*self._people("search"))

        @task(3)
        def person_page(self) -> None:
            self._get(*self._people("person"))

        def _people(self, kind: str) -> tuple[str, str, str]:
            choice = self.rng.choice([w for w in people if w[0] == kind] or people)
            return ("person search" if kind == "search" else "person page"), *choice[1:]

        @task(3)
        def queue(self) -> None:
            self._get(*self.rng.choice(QUEUES))

        @task(1)
        def contact(self) -> None:
            ref = self.rng.choice(references)
            self._get("contact page", f"/mash/contacts/{ref}/", f"Contact {ref}")

        @task(1)
        def note(self) -> None:
            ref = self.rng.choice(hot) if self.rng.random() < 0.5 else self.rng.choice(references)
            self.written += 1
            text = f"{prefix}{id(self)} {self.written}"
            form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], "text": text}
            with self.client.post(
                f"/mash/contacts/{ref}/note/",
                data=form,
                name="note (form post)",
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                where = answer.headers.get("Location", "")
                if answer.status_code == 302 and where == f"/mash/contacts/{ref}/":
                    with lock:
                        accepted.append(text)
                else:
                    answer.failure(f"{answer.status_code} {where}")

    # when the time is up, each user finishes the request it is in (a note sent is answered)
    env = Environment(user_classes=[Practitioner], stop_timeout=120)
    runner = env.create_local_runner()
    runner.start(len(sessions), spawn_rate=len(sessions))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    figures: dict[str, Any] = {}
    for entry in [*env.stats.entries.values(), env.stats.total]:
        name = "all" if entry is env.stats.total else entry.name
        figures[name] = {
            "n": entry.num_requests,
            "errors": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": round(entry.max_response_time or 0, 1),
        }
    total = env.stats.total
    elapsed = max(1.0, (total.last_request_timestamp or 0) - total.start_time)
    figures["all"]["requests_per_second"] = round(env.stats.total.num_requests / elapsed, 1)
    figures["errors seen"] = {
        f"{e.method} {e.name}": f"{e.occurrences} x {e.error}"[:200]
        for e in list(env.stats.errors.values())[:10]
    }
    return figures, accepted


def check_writes(env: dict[str, str], prefix: str, accepted: list[str]) -> dict[str, int]:
    """Every accepted note (they all start with `prefix`) looked for in the database."""
    landed = Counter(in_django(env, "notes", prefix))
    return {
        "accepted": len(accepted),
        "present": sum(1 for text in accepted if landed[text]),
        "lost": len(set(accepted) - set(landed)),
        "doubled": sum(n - 1 for n in landed.values() if n > 1),
        "present_without_302": len(set(landed) - set(accepted)),
    }


def main() -> None:
    if sys.argv[1:2] == ["--in-django"]:
        _in_django_here(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="5 for the issue's figure")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-load-bench"))
    parser.add_argument("--json", type=Path, default=Path("bench/results/load.json"))
    args = parser.parse_args()
    base = args.cache / f"children-{args.children}-seed-{args.seed}"
    partnership = base / "partnership"
    generate(partnership, args.children, args.seed)
    name = f"sg_bench_load_{args.children}_{args.seed}"
    data = base / "postgres"
    data.mkdir(parents=True, exist_ok=True)
    if not any(data.glob(".bench-mash-prepared")):
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "SAFEGUARD_DEMO": "true",
        "SAFEGUARD_DATA_DIR": str(data),
        "DATABASE_URL": PG_URL.rsplit("/", 1)[0] + "/" + name,
    }
    print("preparing the store (cached)", flush=True)
    steps = prepare(env, partnership, data)
    seeded = seed(env, data, args.contacts, args.seed)
    keys = practitioners(env, args.users)
    references = json.loads((data / "bench-mash-refs.json").read_text())
    people = people_workload(env, 400, args.seed)
    in_django(env, "analyse")
    with serving(env, data.parent / "serve.log") as port:
        start = time.perf_counter()
        sessions = [
            sign_in_as(port, {}, user, functools.partial(current_code, key))
            for user, key in keys.items()
        ]
        signing_in = round(time.perf_counter() - start, 1)
        print(f"{len(sessions)} practitioners signed in ({signing_in} s)", flush=True)
        warm_up(port, sessions[0], people, references)
        load_before = os.getloadavg()
        prefix = f"{NOTE_PREFIX} load {uuid.uuid4().hex[:8]} "
        figures, accepted = run_locust(
            port, sessions, people, references, args.minutes * 60, args.seed, prefix
        )
        load_after = os.getloadavg()
    writes = check_writes(env, prefix, accepted)
    result = {
        "users": args.users,
        "minutes": args.minutes,
        "waitress_threads": THREADS,
        "children": args.children,
        "contacts": args.contacts,
        "prepare": steps,
        "seeded": seeded,
        "sign_in_seconds": signing_in,
        "requests": figures,
        "writes": writes,
        "load_average": [round(x, 2) for x in (*load_before, *load_after)],
    }
    for kind, f in figures.items():
        if kind != "errors seen":
            print(
                f"{kind}: n {f['n']}, p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, "
                f"p99 {f['p99_ms']} ms, errors {f['errors']}",
                flush=True,
            )
    if figures["errors seen"]:
        print(f"errors: {figures['errors seen']}", flush=True)
    print(f"writes: {writes}", flush=True)
    print(f"load average before {load_before}, after {load_after}", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

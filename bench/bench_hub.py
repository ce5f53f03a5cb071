"""Hub benchmark: person search and the person page under load, on SQLite and on PostgreSQL.

The partnership (default 100,000 children, about a million records) is ingested, linked and
analysed into a store with the CLI, as `make demo` does (cached per backend under `--cache`).
`safeguard serve` then serves it, and a load generator on loopback signs in as a MASH
practitioner (password and one-time code) and sends, from `--clients` threads at once,
searches (name and date of birth taken from the data, some with the surname misspelt) and
person pages (random people, chronology and all). Each response is checked (status 200 and the
expected content); latencies are reported as p50, p95 and p99.

    .venv/bin/python bench/bench_hub.py [--children 100000] [--requests 400] [--clients 4]
        [--skip-postgres] [--partnership DIR] [--database NAME]

Each preparing step is timed as a user runs it, with the peak resident memory of its whole
process tree and the load average before it; `link` runs with `--json`, so its figures split
into the linkage itself (`run.link`: prepare, train, score, resolve) and the rest, which is the
hub's write of the people and their records and the search index (the "people linked"
reactions) plus the command's start. `--children 310000` gives about a million person records
(issue 17's scale).

Issue 5's targets: search p95 at most 150 ms and person page p95 at most 300 ms. Figures, not
assertions: the machine is shared (2 cores here, server and load generator on the same ones).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_linkage import generate, measured

PG_URL = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = "benchmark password, not for use"


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "safeguard", *args],
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"safeguard {' '.join(args)}: {result.stderr[-2000:]}")
    return result.stdout


#: The data operator the command line acts as to take, link and analyse the partnership.
OPERATOR = "bench-operator"


def add_user(env: dict[str, str], name: str, role: str) -> None:
    """An account of Cheshire East children's services (made by the installation)."""
    cli(
        env,
        "users",
        "add",
        name,
        "--agency",
        "cheshire-east-cs",
        "--role",
        role,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )


def measured_cli(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run a command as a user does; its stdout, wall seconds, the peak resident memory of its
    process tree (sampled every 50 ms) and the load average before it."""
    load = os.getloadavg()[0]
    code, out, errors, seconds, peak = measured([sys.executable, "-m", "safeguard", *args], env)
    if code not in (0, 1):
        raise RuntimeError(f"safeguard {' '.join(args)}: {errors[-2000:]}")
    return {
        "stdout": out,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak / 2**20),
        "load_before": round(load, 2),
    }


def prepare(
    env: dict[str, str], partnership: Path, data: Path, marker: str = ".bench-hub-done"
) -> dict[str, Any]:
    """Ingest, link and analyse as a data operator (the command line acts as a named user),
    and add the reading practitioner `bench` (once per store); seconds, peak memory and load
    per step, and for `link` the linkage's own seconds and counts."""
    done = data / marker
    if done.exists():
        return dict(json.loads(done.read_text()))
    add_user(env, OPERATOR, "data_operator")
    steps: dict[str, Any] = {}
    for step, args in (
        ("ingest", ["ingest", str(partnership)]),
        ("link", ["link", "--json"]),
        ("analyse", ["analyse", "--as-of", "2026-10-31"]),
    ):
        ran = measured_cli(env, "--as", OPERATOR, *args)
        figures = {k: v for k, v in ran.items() if k != "stdout"}
        if step == "link":
            summary = json.loads(ran["stdout"])
            figures["linkage_seconds"] = summary["seconds"]
            figures["hub_write_seconds"] = round(ran["seconds"] - summary["seconds"], 1)
            figures.update({k: summary[k] for k in ("records", "people", "linked_pairs")})
        steps[step] = figures
        print(f"  {step}: {json.dumps(figures)}", flush=True)
    add_user(env, "bench", "mash_practitioner")
    done.write_text(json.dumps(steps))
    return steps


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One keep-alive connection with the session's cookies."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = dict(cookies or {})

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, text, dict(response.headers)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token on the form"
    return found.group(1)


def sign_in(port: int, env: dict[str, str]) -> dict[str, str]:
    b = Browser(port)
    _, page, _ = b.request("GET", "/accounts/login/")
    status, _, _ = b.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": _csrf(page), "username": "bench", "password": PASSWORD},
    )
    assert status == 302, f"password step answered {status}"
    _, page, _ = b.request("GET", "/accounts/verify/")
    code = cli(env, "users", "code", "bench").strip()
    status, _, _ = b.request(
        "POST", "/accounts/verify/", {"csrfmiddlewaretoken": _csrf(page), "otp_token": code}
    )
    assert status == 302, f"code step answered {status}"
    return b.cookies


def workload(env: dict[str, str], n: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, path, text the answer must contain): half searches, half person pages."""
    from safeguard.linkage.saved import Saved

    data = Path(env["SAFEGUARD_DATA_DIR"])
    records = Saved(data / "linkage").records(["forename1", "surname", "dob"]).to_pylist()
    rng = random.Random(seed)
    usable = [r for r in records if r["forename1"] and r["surname"] and r["dob"]]
    persons = _persons(env)
    out = []
    for i in range(n):
        if i % 2 == 0:
            r = rng.choice(usable)
            surname = r["surname"]
            if rng.random() < 0.25 and len(surname) > 4:  # a misspelling: one letter dropped
                k = rng.randrange(1, len(surname) - 1)
                surname = surname[:k] + surname[k + 1 :]
            q = f"{r['forename1']} {surname} {r['dob']}"
            out.append(("search", "/people/?" + urllib.parse.urlencode({"q": q}), "found for"))
        else:
            out.append(("person", f"/people/{rng.choice(persons)}/", "Chronology"))
    return out


def _persons(env: dict[str, str]) -> list[int]:
    code = (
        "import django, os, json; os.environ['DJANGO_SETTINGS_MODULE']='safeguard.hub.settings';"
        "django.setup(); from safeguard.hub.people.models import Person;"
        "print(json.dumps(list(Person.objects.filter(retired_run__isnull=True)"
        ".values_list('id', flat=True))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, text=True, capture_output=True, check=True
    )
    return list(json.loads(result.stdout))


def load(
    port: int, cookies: dict[str, str], work: list[tuple[str, str, str]], clients: int
) -> dict[str, Any]:
    times: dict[str, list[float]] = {"search": [], "person": []}
    failures: list[str] = []
    lock = threading.Lock()
    chunks = [work[i::clients] for i in range(clients)]

    def run(chunk: list[tuple[str, str, str]]) -> None:
        b = Browser(port, cookies)
        for kind, path, expect in chunk:
            start = time.perf_counter()
            status, text, _ = b.request("GET", path)
            ms = (time.perf_counter() - start) * 1000
            with lock:
                if status != 200 or expect not in text:
                    failures.append(f"{path}: {status}")
                times[kind].append(ms)

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    out: dict[str, Any] = {
        "seconds": round(seconds, 1),
        "failures": failures[:10],
        "failed": len(failures),
        "requests_per_second": round(len(work) / seconds, 1),
    }
    for kind, values in times.items():
        q = statistics.quantiles(values, n=100)
        out[kind] = {
            "n": len(values),
            "p50_ms": round(q[49], 1),
            "p95_ms": round(q[94], 1),
            "p99_ms": round(q[98], 1),
        }
    return out


def bench_backend(
    name: str, env: dict[str, str], partnership: Path, args: argparse.Namespace
) -> dict[str, Any]:
    data = Path(env["SAFEGUARD_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    print(f"{name}: preparing the store", flush=True)
    steps = prepare(env, partnership, data)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "safeguard", "serve", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                if Browser(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        cookies = sign_in(port, env)
        work = workload(env, args.requests, args.seed)
        load(port, cookies, work[: max(10, len(work) // 10)], args.clients)  # warm up
        load_before = os.getloadavg()[0]
        measured = load(port, cookies, work, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "backend": name,
        "prepare": steps,
        **measured,
        "load_before": round(load_before, 2),
        "load": os.getloadavg()[0],
    }
    print(
        f"{name}: search p50 {measured['search']['p50_ms']} ms, "
        f"p95 {measured['search']['p95_ms']} ms; person p50 {measured['person']['p50_ms']} ms, "
        f"p95 {measured['person']['p95_ms']} ms; "
        f"{measured['requests_per_second']} requests/s, {measured['failed']} failed "
        f"(load {result['load']:.1f})",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-hub-bench"))
    parser.add_argument("--partnership", type=Path, help="a generated partnership to reuse")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--database",
        help="the PostgreSQL database to create and use (default sg_bench_hub_CHILDREN_SEED); "
        "dropped and made again when its store is not prepared yet",
    )
    parser.add_argument("--json", type=Path, default=Path("bench/results/hub.json"))
    args = parser.parse_args()
    base = args.cache / f"children-{args.children}-seed-{args.seed}"
    partnership = args.partnership or base / "partnership"
    if not args.partnership:
        generate(partnership, args.children, args.seed)
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
        name = args.database or f"sg_bench_hub_{args.children}_{args.seed}"
        data = base / ("postgres" if args.database is None else f"postgres-{name}")
        if not (data / ".bench-hub-done").exists():
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

"""Ingest benchmark: the synthetic partnership into SQLite and into PostgreSQL.

Runs `safeguard ingest` in a subprocess (as a user would) on a freshly generated partnership and
reports rows per second and the subprocess's peak memory. Also ingests one large people file at two
sizes to show that peak memory does not grow with file size (streaming in chunks).

    .venv/bin/python bench/bench_ingest.py [--children 100000] [--skip-postgres]

Figures, not assertions: machines are shared and noisy. Results go to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432/postgres")


PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def run(
    args: list[str], env: dict[str, str]
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run a command under a fresh parent; return seconds, its peak RSS in MB and the result."""
    with tempfile.NamedTemporaryFile(suffix=".rss") as rss:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", PEAK, rss.name, *args],
            env=env,
            text=True,
            capture_output=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        peak_kb = int(Path(rss.name).read_text() or 0)
    return seconds, peak_kb / 1024, result


def ingest(paths: list[Path], env: dict[str, str]) -> dict[str, float]:
    cmd = [sys.executable, "-m", "safeguard", "ingest", *map(str, paths), "--json"]
    seconds, peak_mb, result = run(cmd, env)
    if result.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({result.returncode}): {result.stdout}\n{result.stderr}")
    try:
        totals = json.loads(result.stdout)["totals"]
    except json.JSONDecodeError:
        raise SystemExit(
            f"ingest printed no JSON:\n{result.stdout[:2000]}\n{result.stderr[-2000:]}"
        ) from None
    return {
        "rows": totals["read"],
        "accepted": totals["accepted"],
        "quarantined": totals["quarantined"],
        "seconds": round(seconds, 2),
        "rows_per_second": round(totals["read"] / seconds),
        "peak_rss_mb": round(peak_mb),
    }


def fresh_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SAFEGUARD_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def people_file(folder: Path, rows: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "agency": "bench",
                "extract_date": "2026-10-31",
                "period_start": "2021-01-01",
                "period_end": "2026-10-31",
            }
        )
    )
    with (folder / "people.csv").open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["record_id", "forenames", "surname", "date_of_birth", "postcode", "phone"])
        for i in range(rows):
            w.writerow(
                [
                    f"P{i}",
                    "Alex",
                    f"Smith{i % 997}",
                    f"20{i % 10:02d}-0{1 + i % 9}-1{i % 9}",
                    f"CW{1 + i % 12} {i % 10}AB",
                    f"077{4 + i % 2}{i % 10**7:07d}",
                ]
            )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sg-bench-"))
    results: dict[str, object] = {"children": args.children}
    try:
        # memory stays flat as the file grows
        for rows in (250_000, 1_000_000, 2_000_000):
            folder = people_file(work / f"flat-{rows}", rows)
            results[f"one_file_{rows}_rows"] = ingest([folder], fresh_env(work / f"d{rows}", None))
        partnership = work / "partnership"
        seconds, _, result = run(
            [
                sys.executable,
                "-m",
                "safeguard",
                "synth",
                "--out",
                str(partnership),
                "--children",
                str(args.children),
                "--json",
            ],
            dict(os.environ),
        )
        if result.returncode:
            raise SystemExit(result.stderr)
        results["synth_seconds"] = round(seconds, 1)
        results["sqlite"] = ingest([partnership], fresh_env(work / "sqlite", None))
        if not args.skip_postgres:
            name = f"sg_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                url = PG_URL.rsplit("/", 1)[0] + "/" + name
                results["postgresql"] = ingest([partnership], fresh_env(work / "pg", url))
            finally:
                with psycopg.connect(PG_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

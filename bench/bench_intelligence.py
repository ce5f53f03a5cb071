"""Intelligence benchmark: full analysis time and memory, and the figures against the truth.

For each size and seed the synthetic partnership is generated, every delivery landed and the
people linked (all cached under `--cache`); then, each in a fresh process so peak memory is its
own, `safeguard analyse`'s engine (evidence, screening, networks, missing episodes) is timed and
`evaluate` reports joined-up and siloed figures.

    .venv/bin/python bench/bench_intelligence.py --children 30000 --seeds 1 2 [--cache DIR]

Issue 4's targets: full analysis of the 100,000-children partnership (about a million records)
in at most 2 minutes and 5 minutes, peak memory at most 8 GB; joined-up victim recall at least
0.9 at precision at least 0.6, planted network recall at least 0.95, median lead time at least
90 days earlier than the best single agency, recall at least twice the siloed baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_linkage import NoStore, generate

CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
import pyarrow.parquet as pq
from safeguard import timescales
from safeguard.intelligence import analysis, catalogue, evaluate
from safeguard.intelligence.sources import landed_files
base, out = Path(sys.argv[1]), Path(sys.argv[2])
files = landed_files(base / "landing")
cat = catalogue.load()
start = time.perf_counter()
people = pq.read_table(base / "linkage" / "people.parquet")
clocks = timescales.load()
result = analysis.analyse(files, people, out, cat, clocks, dt.date(2026, 10, 31))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
figures = evaluate.evaluate(files, people, base / "partnership" / "truth", cat)
print(json.dumps({"analyse_seconds": round(seconds, 1), "analyse_peak_mb": peak,
                  "summary": result.summary.__dict__, "figures": figures}, default=str))
"""


def prepare(base: Path, children: int, seed: int) -> dict[str, float]:
    """Generate, land every delivery and link (each cached); seconds per step (0 if cached)."""
    from safeguard.ingest.batch import ingest_all
    from safeguard.linkage import run
    from safeguard.linkage.records import landed_people

    steps = {"generate": generate(base / "partnership", children, seed)}
    landing = base / "landing"
    start = time.perf_counter()
    if not (landing / ".bench-done").exists():
        deliveries = sorted(p.parent for p in (base / "partnership").glob("*/manifest.json"))
        list(ingest_all(deliveries, NoStore(), landing))  # type: ignore[arg-type]
        (landing / ".bench-done").write_text("all kinds")
    steps["land"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    if not (base / "linkage" / "people.parquet").exists():  # who is who, as the hub records it
        linked = run.link(landed_people(landing), base / "linkage")
        pq.write_table(linked.assignment.people, base / "linkage" / "people.parquet")
    steps["link"] = round(time.perf_counter() - start, 1)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[30_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-intelligence-bench"))
    parser.add_argument("--json", type=Path, default=Path("bench/results/intelligence.json"))
    args = parser.parse_args()
    results = []
    for children in args.children:
        for seed in args.seeds:
            base = args.cache / f"children-{children}-seed-{seed}-all"
            base.mkdir(parents=True, exist_ok=True)
            steps = prepare(base, children, seed)
            load = os.getloadavg()[0]
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(base), str(base / "intelligence")],
                capture_output=True,
                text=True,
                check=True,
            )
            measured = json.loads(done.stdout.strip().splitlines()[-1])
            row = {
                "children": children,
                "seed": seed,
                "prepare": steps,
                "load": round(load, 2),
                **measured,
            }
            results.append(row)
            j, s = measured["figures"]["joined_up"], measured["figures"]["siloed"]
            everyone = j["against_siloed"]["median_days_to_flag_all_victims"]
            paired = j["against_siloed"]["best_agency"]
            print(
                f"{children} children seed {seed}: analyse {measured['analyse_seconds']} s, "
                f"peak {measured['analyse_peak_mb']} MB; joined recall {j['victim_recall']} "
                f"precision {j['victim_precision']} lead {j['median_lead_time_days']} networks "
                f"{j['network_recall']} traps {j['trap_false_flags']}/"
                f"{j['trap_adults_in_findings']}; siloed recall {s['victim_recall']} lead "
                f"{s['median_lead_time_days']}; all victims {everyone['joined_up']} against "
                f"{everyone['best_agency']}; paired {paired['median_days_earlier']} days earlier "
                f"({paired['flagged_earlier']} of {paired['victims_both']})",
                flush=True,
            )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()

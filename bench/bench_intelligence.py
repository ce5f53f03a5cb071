"""Intelligence benchmark: full analysis time and memory, and the figures against the truth.

For each size and seed the synthetic partnership is generated, every delivery landed and the
people linked (all cached under `--cache`); then, each in a fresh process so peak memory is its
own, `safeguard analyse`'s engine (evidence, screening, networks, missing episodes) is timed and
`evaluate` reports joined-up and siloed figures.

    .venv/bin/python bench/bench_intelligence.py --children 30000 --seeds 1 2 [--cache DIR]
    .venv/bin/python bench/bench_intelligence.py --children 5000 --families police_led council_led

`--families` measures each family of planted scenarios (`safeguard.synthetic.families`: the
original police-led one and the council-led one, written independently of the detector) and
prints their figures side by side; each family has its own cache folder (the police-led one
keeps the folder name earlier runs used).

Issue 4's targets: full analysis of the 100,000-children partnership (about a million records)
in at most 2 minutes and 5 minutes, peak memory at most 8 GB; joined-up victim recall at least
0.9 at precision at least 0.6, planted network recall at least 0.95, median lead time at least
90 days earlier than the best single agency, recall at least twice the siloed baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_linkage import NoStore

FAMILIES = ("police_led", "council_led")

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


def cache_folder(cache: Path, children: int, seed: int, family: str) -> Path:
    """The cache folder of one partnership (police-led: the name earlier runs used)."""
    tag = "" if family == "police_led" else f"-{family}"
    return cache / f"children-{children}-seed-{seed}{tag}-all"


def generate(folder: Path, children: int, seed: int, family: str) -> float:
    """The partnership in `folder` (cached); seconds taken, 0 when it was there already."""
    if (folder / "truth" / "records.csv").exists():
        return 0.0
    from safeguard.synthetic import generate as synth

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    start = time.perf_counter()
    synth(tmp, children=children, seed=seed, family=family)
    tmp.rename(folder)
    return round(time.perf_counter() - start, 1)


def prepare(base: Path, children: int, seed: int, family: str) -> dict[str, float]:
    """Generate, land every delivery and link (each cached); seconds per step (0 if cached)."""
    from safeguard.ingest.batch import ingest_all
    from safeguard.linkage import run
    from safeguard.linkage.records import landed_people

    steps = {"generate": generate(base / "partnership", children, seed, family)}
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


def line(row: dict[str, Any]) -> str:
    """One run's headline figures on one line."""
    j, s = row["figures"]["joined_up"], row["figures"]["siloed"]
    everyone = j["against_siloed"]["median_days_to_flag_all_victims"]
    paired = j["against_siloed"]["best_agency"]
    return (
        f"{row['children']} children seed {row['seed']} {row['family']}: analyse "
        f"{row['analyse_seconds']} s, peak {row['analyse_peak_mb']} MB; joined recall "
        f"{j['victim_recall']} precision {j['victim_precision']} lead "
        f"{j['median_lead_time_days']} networks {j['network_recall']} traps "
        f"{j['trap_false_flags']}/{j['trap_adults_in_findings']}; siloed recall "
        f"{s['victim_recall']} lead {s['median_lead_time_days']}; all victims "
        f"{everyone['joined_up']} against {everyone['best_agency']}; paired "
        f"{paired['median_days_earlier']} days earlier ({paired['flagged_earlier']} of "
        f"{paired['victims_both']})"
    )


#: The figures compared side by side: (label, path into `figures`).
COMPARED = (
    ("victims", ("victims",)),
    ("joined-up victim recall", ("joined_up", "victim_recall")),
    ("joined-up victim precision", ("joined_up", "victim_precision")),
    ("joined-up median lead time (days)", ("joined_up", "median_lead_time_days")),
    ("planted network recall", ("joined_up", "network_recall")),
    ("trap children flagged", ("joined_up", "trap_false_flags")),
    ("trap adults in findings", ("joined_up", "trap_adults_in_findings")),
    ("siloed victim recall", ("siloed", "victim_recall")),
    ("siloed median lead time (days)", ("siloed", "median_lead_time_days")),
    ("false-flag ratio by sex", ("joined_up", "fairness", "ratios", "sex", "all")),
    ("  its 95% interval", ("joined_up", "fairness", "ratios_95", "sex", "all")),
    ("  without peer abusers", ("joined_up", "fairness", "ratios", "sex", "without_perpetrators")),
    ("  its 95% interval", ("joined_up", "fairness", "ratios_95", "sex", "without_perpetrators")),
)


def _dig(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = figures
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def side_by_side(results: list[dict[str, Any]], families: list[str]) -> str:
    """A table per size and seed: one row per figure, one column per family."""
    out = []
    for children, seed in dict.fromkeys((r["children"], r["seed"]) for r in results):
        by_family = {
            r["family"]: r for r in results if (r["children"], r["seed"]) == (children, seed)
        }
        head = f"{children} children, seed {seed}"
        out.append(f"{head:<36}" + "".join(f"{f:>14}" for f in families))
        rows = [("analyse seconds", ("analyse_seconds",)), *COMPARED]
        for label, path in rows:
            cells = []
            for f in families:
                row = by_family.get(f)
                source = row if path == ("analyse_seconds",) else (row or {}).get("figures", {})
                cells.append(f"{_dig(source or {}, path)!s:>14}")
            out.append(f"  {label:<34}" + "".join(cells))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, nargs="+", default=[30_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--families", nargs="+", choices=FAMILIES, default=["police_led"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-intelligence-bench"))
    parser.add_argument("--json", type=Path, default=Path("bench/results/intelligence.json"))
    args = parser.parse_args()
    results = []
    for children in args.children:
        for seed in args.seeds:
            for family in args.families:
                base = cache_folder(args.cache, children, seed, family)
                base.mkdir(parents=True, exist_ok=True)
                steps = prepare(base, children, seed, family)
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
                    "family": family,
                    "prepare": steps,
                    "load": round(load, 2),
                    **measured,
                }
                results.append(row)
                print(line(row), flush=True)
    if len(args.families) > 1:
        print(side_by_side(results, args.families), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()

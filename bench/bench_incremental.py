"""Incremental linkage benchmark: a delivery of 1% of the records against a full run.

The synthetic partnership (cached as `bench_linkage.py` caches it) is linked once with one
record in 100 held back (a full run: prepare, train, score, resolve); then the held-back 1%
arrives as a later delivery from each agency (files holding only those records) and is linked
incrementally. Both are timed in this one process, and
a full re-score of everything with the saved model is timed too, so the ratios compare like with
like on the same machine at the same time.

    .venv/bin/python bench/bench_incremental.py --children 30000

Issue 3's target: the 1% delivery takes well under 10% of a full run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_linkage import generate, land
from safeguard.linkage import evaluate, run
from safeguard.linkage.records import PeopleFile, landed_people


def hold_back(
    files: list[PeopleFile], folder: Path, every: int
) -> tuple[list[PeopleFile], list[PeopleFile], int]:
    """The files with one row in `every` held back, as a first delivery; the held-back rows as
    a later delivery from each agency; and how many rows were held back."""
    folder.mkdir(parents=True, exist_ok=True)
    first, later, held = [], [], 0
    for i, f in enumerate(files):
        table = pq.read_table(f.path)
        keep = pa.array(table["_row"].to_numpy() % every != 0)
        kept = table.filter(keep)
        held += table.num_rows - kept.num_rows
        for name, rows, delivery, into in (
            ("first", kept, 0, first),
            ("later", table.filter(pc.invert(keep)), 1, later),
        ):
            path = folder / f"{name}-{i}.parquet"
            pq.write_table(rows, path)
            into.append(PeopleFile(f.agency, delivery, path))
    return first, later, held


def timed(label: str, results: dict[str, object], fn, *args, **kwargs) -> run.Result:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result: run.Result = fn(*args, **kwargs)
    results[f"{label}_seconds"] = round(time.perf_counter() - start, 2)
    results[f"{label}_scored_records"] = result.summary.scored_records
    results[f"{label}_steps"] = result.summary.steps
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--every", type=int, default=100, help="hold back one record in N")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/safeguard-linkage-bench"))
    parser.add_argument("--json", type=Path, default=Path("bench/results/incremental.json"))
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)

    base = args.cache / f"children-{args.children}-seed-{args.seed}"
    base.mkdir(parents=True, exist_ok=True)
    generate(base / "partnership", args.children, args.seed)
    land(base / "partnership", base / "landing")
    files = landed_people(base / "landing")
    work = base / "incremental"
    shutil.rmtree(work, ignore_errors=True)
    first, later, held = hold_back(files, work / "deliveries", args.every)
    out = work / "linkage"

    results: dict[str, object] = {"children": args.children, "held_back": held}
    results["load_before"] = round(os.getloadavg()[0], 2)
    full = timed("full_run", results, run.link, first, out, retrain=True)
    people = full.assignment.people
    following = int(max(people["person_id"].to_pylist())) + 1
    incremental = timed(
        "incremental",
        results,
        run.link,
        first + later,
        out,
        previous=people,
        next_person=following,
    )
    rescore = timed(
        "full_rescore",
        results,
        run.link,
        first + later,
        out,
        full=True,
        previous=incremental.assignment.people,
        next_person=following + 10**6,
    )
    results["load_after"] = round(os.getloadavg()[0], 2)
    results["records"] = incremental.summary.records
    results["incremental_vs_full_run"] = round(
        results["incremental_seconds"] / results["full_run_seconds"],
        3,  # type: ignore[operator]
    )
    results["incremental_vs_full_rescore"] = round(
        results["incremental_seconds"] / results["full_rescore_seconds"],
        3,  # type: ignore[operator]
    )
    results["events_after_full_rescore"] = rescore.summary.events
    truth = evaluate.truth_from(base / "partnership" / "truth")
    scores = evaluate.score(
        incremental.assignment.people.rename_columns(["unique_id", "cluster_id"]), truth
    )
    results["incremental_f1"] = round(scores.f1, 4)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

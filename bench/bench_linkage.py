"""Linkage benchmark: the synthetic partnership at several sizes, end to end.

For each size (children in the partnership; people records are about 3.25 per child):

1. generate the partnership (`safeguard.synthetic.generate`) and land its people files as
   Parquet with the ingest pipeline, without the hub (no database: a store that remembers
   nothing). Both are cached under `--cache` and reused by later runs;
2. link in a child process, as `safeguard link --retrain` does (`safeguard.linkage.run.link`:
   prepare, train, score, cluster, write), timing prepare, train and score (the rest is
   clustering, resolving and writing) and its CPU seconds; the parent samples the resident
   memory of the child's whole process tree with psutil and keeps the peak;
3. score the clusters against the truth (`safeguard.linkage.evaluate`): pairwise and B-cubed.

    .venv/bin/python bench/bench_linkage.py                 # 3,000 / 30,000 / 310,000 children
    .venv/bin/python bench/bench_linkage.py --children 30000 --cache /tmp/linkage-bench
    .venv/bin/python bench/bench_linkage.py --children 30000 --profiles full thin

`--profiles thin` links the thin profile instead (`safeguard.synthetic.agencies.THIN_PROFILE`:
the NHS and the schools send names, date of birth, sex and postcode only), cached apart from
the full partnership (`...-thin`); `--profiles full thin` links both, one after the other, and
prints them side by side. Beside the scores, the true pairs are counted by how many of their two
records come from a thin agency (both, one, neither): how many were scored at or above the
lower threshold and how many ended in one cluster, and the false pairs the same way.

About 3,000 / 30,000 / 310,000 children give about 10,000 / 100,000 / 1,000,000 person records
(issue 3's sizes). Figures, not assertions: machines are shared and noisy, so the load average is
recorded with every run. Results go to bench/results/linkage.json (or `--json`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CHILDREN = [3_000, 30_000, 310_000]
PEOPLE = "people"

# Runs in the child process: link as `safeguard link --retrain` does, timing each step by
# wrapping the functions `run.link` calls. Prints one JSON line.
CHILD = r"""
import json, logging, resource, sys, time
from pathlib import Path

import pyarrow.parquet as pq

from safeguard.linkage import model, run
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.records import landed_people

logging.getLogger("splink").setLevel(logging.ERROR)
landing, out, upper, lower = Path(sys.argv[1]), Path(sys.argv[2]), *map(float, sys.argv[3:5])
PEOPLE = "people.parquet"
steps = {}

def timed(name, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            steps[name] = round(steps.get(name, 0) + time.perf_counter() - start, 2)
    return wrapper

for module, name, step in [
    (run, "people_frame", "prepare"),
    (run, "score_all", "score"),
    (model, "train", "train"),
    (model, "save", "save_model"),
]:
    setattr(module, name, timed(step, getattr(module, name)))
files = landed_people(landing)
result = run.link(files, out, LinkageConfig(upper=upper, lower=lower), retrain=True)
pq.write_table(result.assignment.people, out / PEOPLE)  # who is who, as the hub would record it
summary = result.summary
steps["rest"] = round(summary.seconds - sum(v for k, v in steps.items()), 2)
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = round(usage.ru_utime + usage.ru_stime, 1)
print(json.dumps({"summary": summary.__dict__, "steps": steps, "files": len(files), "cpu": cpu}))
"""


class NoStore:
    """A `DeliveryStore` that remembers nothing: ingest lands Parquet and loads nowhere."""

    def loaded(self, checksum: str) -> None:
        return None

    def landed_dirs(self, agency: str) -> list[Path]:
        return []

    def reject(self, source: Any, reports: Any, message: str) -> None:
        raise SystemExit(f"{source.path}: delivery rejected: {message}")

    def load(self, source: Any, landed: Path, files: Any, progress: Any) -> int:
        return 0


PROFILES = ("full", "thin")


def thin_agencies(profile: str) -> tuple[str, ...]:
    """The agencies whose people files are thin in `profile` (none in the full one)."""
    from safeguard.synthetic.agencies import THIN_PROFILE

    return THIN_PROFILE if profile == "thin" else ()


def generate(folder: Path, children: int, seed: int, thin: Sequence[str] = ()) -> float:
    """The partnership in `folder` (cached); seconds taken, 0 when it was there already."""
    if (folder / "truth" / "records.csv").exists():
        return 0.0
    from safeguard.synthetic import generate as synth

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    start = time.perf_counter()
    synth(tmp, children=children, seed=seed, thin=thin)
    tmp.rename(folder)
    return time.perf_counter() - start


def people_only(partnership: Path, into: Path) -> list[Path]:
    """One delivery per agency holding only its people file (linkage reads nothing else), so
    ingest does not validate the events: the manifest is rewritten to list just that file."""
    out = []
    for manifest_path in sorted(partnership.glob("*/manifest.json")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        people = {n: k for n, k in manifest["files"].items() if k == PEOPLE}
        if not people:
            continue
        target = into / manifest_path.parent.name
        target.mkdir(parents=True, exist_ok=True)
        for name in people:  # copied: ingest refuses a delivery's symbolic links
            copy = target / name
            if not copy.exists():
                shutil.copyfile(manifest_path.parent / name, copy)
        manifest["files"] = people
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        out.append(target)
    return out


def land(partnership: Path, landing: Path) -> tuple[float, int]:
    """Validate and land the people files as Parquet under `landing` (cached); seconds taken
    (0 when cached) and rows quarantined."""
    done = landing / ".bench-done"
    if done.exists():
        return 0.0, int(done.read_text())
    from safeguard.ingest.batch import ingest_all

    shutil.rmtree(landing, ignore_errors=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=landing.parent) as tmp:
        deliveries = people_only(partnership, Path(tmp))
        reports = list(ingest_all(deliveries, NoStore(), landing))  # type: ignore[arg-type]
    quarantined = sum(r.quarantined for report in reports for r in report.files)
    seconds = time.perf_counter() - start
    done.write_text(str(quarantined))
    return seconds, quarantined


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 for those already gone)."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def measured(cmd: list[str], env: dict[str, str]) -> tuple[int, str, str, float, int]:
    """Run `cmd` in a child process: its return code, stdout, stderr, wall seconds and the
    peak resident bytes of its process tree (sampled every 50 ms)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        child = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env, text=True)
        process, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            peak = max(peak, tree_rss(process))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        return child.returncode, stdout.read(), stderr.read(), wall, peak


def link(landing: Path, out: Path, upper: float, lower: float, env: dict[str, str]) -> dict:
    """Run the linkage in a child process; its result, wall seconds and peak tree RSS."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", CHILD, str(landing), str(out), str(upper), str(lower)]
    code, text, errors, wall, peak = measured(cmd, env)
    if code != 0:
        raise SystemExit(f"linkage failed ({code}):\n{errors[-4000:]}")
    result = json.loads(text.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 1)
    result["peak_rss_mb"] = round(peak / 2**20)
    return result


# True and false pairs by how many of their two records a thin agency sent (2, 1 or 0): all true
# pairs, those scored at or above the lower threshold, those ending in one cluster; and the
# pairs in one cluster that are two people.
_BY_THIN = """
with r as (
    select c.unique_id, c.cluster_id, t.person_id,
        split_part(c.unique_id, ':', 1) in (select unnest($thin::varchar[])) as thin
    from clusters c join truth t using (unique_id)
),
true_pairs as (
    select a.unique_id as l, b.unique_id as r, a.thin::int + b.thin::int as thin,
        a.cluster_id = b.cluster_id as together
    from r a join r b on a.person_id = b.person_id and a.unique_id < b.unique_id
),
false_pairs as (
    select a.thin::int + b.thin::int as thin, count(*) as n
    from r a join r b on a.cluster_id = b.cluster_id and a.unique_id < b.unique_id
    where a.person_id <> b.person_id group by all
)
select t.thin, count(*) as true_pairs,
    count(s.unique_id_l) as scored, count(*) filter (where together) as found,
    coalesce(any_value(f.n), 0) as false_pairs
from true_pairs t
left join scored s on s.unique_id_l = least(t.l, t.r) and s.unique_id_r = greatest(t.l, t.r)
left join false_pairs f using (thin)
group by t.thin order by t.thin desc
"""


def by_thin(clusters: Any, truth: Any, scored: Any, thin: Sequence[str]) -> dict[str, Any]:
    """`_BY_THIN` as {"2"/"1"/"0": {true_pairs, scored, found, false_pairs}}."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("clusters", clusters)
        con.register("truth", truth)
        con.register("scored", scored)
        rows = con.sql(_BY_THIN, params={"thin": list(thin)}).fetchall()
    finally:
        con.close()
    names = ("true_pairs", "scored", "found", "false_pairs")
    return {str(r[0]): dict(zip(names, map(int, r[1:]), strict=True)) for r in rows}


def evaluate(out: Path, truth: Path, thin: Sequence[str] = ()) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from safeguard.linkage.evaluate import score, truth_from
    from safeguard.linkage.saved import Saved

    people = pq.read_table(out / "people.parquet").rename_columns(["unique_id", "cluster_id"])
    truth_table = truth_from(truth)
    s = score(people, truth_table)
    scored = Saved(out).pairs(["match_probability"])
    return {
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "f1": round(s.f1, 4),
        "bcubed_precision": round(s.bcubed_precision, 4),
        "bcubed_recall": round(s.bcubed_recall, 4),
        "true_pairs": s.true_pairs,
        "predicted_pairs": s.predicted_pairs,
        "scored_pairs": scored.num_rows,
        "thin_agencies": list(thin),
        "pairs_by_thin_records": by_thin(people, truth_table, scored, thin) if thin else None,
    }


def bench(children: int, args: argparse.Namespace, profile: str = "full") -> dict[str, Any]:
    thin = thin_agencies(profile)
    base = args.cache / (f"children-{children}-seed-{args.seed}" + ("-thin" if thin else ""))
    base.mkdir(parents=True, exist_ok=True)
    partnership, landing = base / "partnership", base / "landing"
    synth_seconds = generate(partnership, children, args.seed, thin)
    land_seconds, quarantined = land(partnership, landing)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [str(ROOT / "src"), env.get("PYTHONPATH", "")] if p
    )
    if args.src:
        env["PYTHONPATH"] = os.pathsep.join([str(args.src), env["PYTHONPATH"]])
    load_before = os.getloadavg()[0]
    result = link(landing, base / "linkage", args.upper, args.lower, env)
    row: dict[str, Any] = {
        "profile": profile,
        "children": children,
        "seed": args.seed,
        "records": result["summary"]["records"],
        "quarantined": quarantined,
        "synth_seconds": round(synth_seconds, 1) or None,
        "land_seconds": round(land_seconds, 1) or None,
        "link_seconds": result["summary"]["seconds"],
        "wall_seconds": result["wall_seconds"],
        "cpu_seconds": result["cpu"],
        "steps": result["steps"],
        "peak_rss_mb": result["peak_rss_mb"],
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "people": result["summary"]["people"],
        "linked_pairs": result["summary"]["linked_pairs"],
        "review_pairs": result["summary"]["review_pairs"],
    }
    row.update(evaluate(base / "linkage", partnership / "truth", thin))
    if not args.keep_output:
        shutil.rmtree(base / "linkage", ignore_errors=True)
    return row


def table(rows: Sequence[dict[str, Any]]) -> str:
    head = (
        "profile  children  records    P       R       F1      B3 P    B3 R    "
        "seconds (prepare/train/score)  CPU s  peak MB  load"
    )
    lines = [head]
    for r in rows:
        s = r["steps"]
        lines.append(
            f"{r['profile']:<7}  {r['children']:>8,}  {r['records']:>9,}  {r['precision']:.4f}  "
            f"{r['recall']:.4f}  {r['f1']:.4f}  {r['bcubed_precision']:.4f}  "
            f"{r['bcubed_recall']:.4f}  {r['link_seconds']:>6.1f} ({s.get('prepare', 0):.1f}/"
            f"{s.get('train', 0):.1f}/{s.get('score', 0):.1f}){'':>7}"
            f"{r['cpu_seconds']:>6.0f}  {r['peak_rss_mb']:>7,}  {r['load_before']:.2f}"
        )
    for r in rows:
        if not r.get("pairs_by_thin_records"):
            continue
        lines.append(
            f"{r['profile']} profile, {r['children']:,} children, thin agencies "
            f"{', '.join(r['thin_agencies'])}: true pairs by thin records in the pair "
            "(scored at or above the lower threshold / in one cluster), false pairs"
        )
        for k, c in r["pairs_by_thin_records"].items():
            lines.append(
                f"  {k} thin: {c['true_pairs']:>8,} true, {c['scored']:>8,} scored, "
                f"{c['found']:>8,} found (recall {c['found'] / max(c['true_pairs'], 1):.4f}), "
                f"{c['false_pairs']:,} false"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, nargs="+", default=DEFAULT_CHILDREN)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "safeguard-bench-linkage",
        help="Generated partnerships and landed Parquet are kept here between runs.",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "linkage.json")
    parser.add_argument("--upper", type=float, default=0.99)
    parser.add_argument("--lower", type=float, default=0.5)
    parser.add_argument(
        "--src", type=Path, help="Link with the safeguard package under this folder instead."
    )
    parser.add_argument("--keep-output", action="store_true", help="Keep the linkage folder.")
    parser.add_argument(
        "--profiles",
        nargs="+",
        choices=PROFILES,
        default=["full"],
        help="The full partnership, the thin profile (NHS and schools send thin people files), "
        "or both side by side.",
    )
    args = parser.parse_args()
    rows = []
    for children in args.children:
        for profile in args.profiles:
            rows.append(bench(children, args, profile))
            print(json.dumps(rows[-1]), file=sys.stderr)
    print(f"{os.cpu_count()} cores; load average before each run in the last column")
    print(table(rows))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

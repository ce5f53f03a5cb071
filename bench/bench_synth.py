"""Benchmark the synthetic partnership generator at scale (a script, not a test).

    .venv/bin/python bench/bench_synth.py [children]

Generates `children` (default 100,000) into a temporary folder and prints seconds, total records
and peak memory (resident set size, MB) as JSON.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from safeguard.synthetic import generate


def main() -> None:
    children = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = generate(Path(tmp), children=children, seed=1)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "children": children,
                "seconds": round(seconds, 1),
                "records": summary["total_records"],
                "persons": summary["persons"],
                "victims": summary["victims"],
                "peak_mb": round(peak_kb / 1024),
                "output_mb": round(size / 2**20),
            }
        )
    )


if __name__ == "__main__":
    main()

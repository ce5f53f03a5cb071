"""A real ingest killed inside its load transaction leaves nothing behind; a rerun completes it
once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from safeguard.hub.deliveries.store import PAUSE_ENV
from tests.store_probe import query

ROWS = 30_000


def big_delivery(write_delivery):  # type: ignore[no-untyped-def]
    people = "record_id,forenames,surname,date_of_birth,postcode\n" + "".join(
        f"P{i},Alex,Smith{i % 97},2010-{1 + i % 12:02d}-{1 + i % 28:02d},CW1 {i % 10}AB\n"
        for i in range(ROWS)
    )
    episodes = "record_id,person_id,category,reported_at\n" + "".join(
        f"M{i},P{i},missing,2025-01-{1 + i % 28:02d} 22:00\n" for i in range(0, ROWS, 3)
    )
    return write_delivery(files={"people.csv": people, "missing_episodes.csv": episodes})


def test_killed_ingest_leaves_no_partial_delivery_and_reruns_exactly_once(
    cli, operator_env, write_delivery, tmp_path
):
    folder = big_delivery(write_delivery)
    marker = tmp_path / "paused"
    env = {**operator_env, PAUSE_ENV: str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-m", "safeguard", "ingest", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while not marker.exists():
        assert process.poll() is None, "ingest ended before reaching its load transaction"
        assert time.monotonic() < deadline, "ingest never reached its load transaction"
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert query(operator_env, "SELECT count(*) FROM deliveries_delivery") == [(0,)]
    assert query(operator_env, "SELECT count(*) FROM deliveries_sourcerecord") == [(0,)]
    assert query(operator_env, "SELECT count(*) FROM deliveries_quarantinedrow") == [(0,)]

    rerun = cli(operator_env, "ingest", str(folder), "--json")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    expected = ROWS + len(range(0, ROWS, 3))
    assert query(operator_env, "SELECT count(*) FROM deliveries_sourcerecord") == [(expected,)]
    assert query(
        operator_env, "SELECT count(DISTINCT kind || record_id) FROM deliveries_sourcerecord"
    ) == [(expected,)]
    assert query(operator_env, "SELECT count(*), min(status) FROM deliveries_delivery") == [
        (1, "loaded")
    ]
    landing = operator_env["SAFEGUARD_DATA_DIR"] + "/landing"
    assert len(os.listdir(landing + "/cheshire-police")) == 1
    assert os.listdir(landing + "/.staging") == []

    third = cli(operator_env, "ingest", str(folder))
    assert third.returncode == 0 and "already ingested" in third.stdout
    assert query(operator_env, "SELECT count(*) FROM deliveries_sourcerecord") == [(expected,)]

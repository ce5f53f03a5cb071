"""Running the hub's jobs (django-tasks with its database backend): the worker `safeguard
serve` starts beside the pages, and a one-off run of everything waiting."""

from __future__ import annotations

from django.db.models import Count
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_waiting(worker_id: str = "safeguard-jobs") -> int:
    """Run every job that is waiting, then return how many ran (all of them, in order)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks


def counts() -> dict[str, int]:
    """How many jobs are in each state (queued, running, done, failed)."""
    names = {"READY": "queued", "RUNNING": "running", "SUCCESSFUL": "done", "FAILED": "failed"}
    rows = DBTaskResult.objects.values("status").annotate(n=Count("id"))
    found = {names.get(str(r["status"]), str(r["status"]).lower()): int(r["n"]) for r in rows}
    return {name: found.get(name, 0) for name in names.values()}

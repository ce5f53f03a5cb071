"""`safeguard serve`: the hub's web pages on the configured store, behind waitress (a
production WSGI server; not Django's development server)."""

from __future__ import annotations

import signal
import subprocess
import sys

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    threads: int = typer.Option(8, "--threads", min=1, help="Worker threads."),
    worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="Also run the hub's jobs (people resolved again after a decision) and the clocks' "
        "watch (overdue alerts) beside the pages; --no-worker when `safeguard jobs run "
        "--forever` and `safeguard watch --every 60` run elsewhere.",
    ),
) -> None:
    """Serve the hub. Outside demo mode a real secret key (SAFEGUARD_SECRET_KEY) is required."""
    from safeguard.settings import get_settings

    settings = get_settings()
    if not settings.demo and not settings.secret_key:
        typer.echo(
            "refusing to serve without a secret key: set SAFEGUARD_SECRET_KEY "
            "(or SAFEGUARD_DEMO=true for the demo)",
            err=True,
        )
        raise typer.Exit(2)
    from safeguard.cli.hub import open_store

    open_store()
    from waitress import serve as waitress_serve

    from safeguard.hub.wsgi import application

    beside = _beside() if worker else []
    # stopped by a service manager (SIGTERM) as by Ctrl-C: the processes beside stop too
    signal.signal(signal.SIGTERM, _stopped)
    typer.echo(f"Safeguard hub on http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="safeguard")
    finally:
        for process in beside:
            process.terminate()
        for process in beside:
            process.wait(timeout=30)


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


#: How often the clocks' watch looks for what has run out (seconds).
SWEEP_SECONDS = 60


def _beside() -> list[subprocess.Popen[bytes]]:
    """The jobs worker (`safeguard jobs run --forever`) and the clocks' watch (`safeguard watch
    --every 60`), each in a process of its own with this one's settings."""
    run = [sys.executable, "-m", "safeguard"]
    return [
        subprocess.Popen([*run, "jobs", "run", "--forever"]),
        subprocess.Popen([*run, "watch", "--every", str(SWEEP_SECONDS)]),
    ]

"""`safeguard jobs`: the hub's waiting work (people resolved again after a link decision).
`safeguard serve` runs a worker beside the pages; these run and count jobs without it."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="The hub's jobs: run what is waiting, or count them.", no_args_is_help=True)


@app.command("run")
def run(
    forever: bool = typer.Option(
        False, "--forever", help="Keep running jobs as they arrive (a worker), until stopped."
    ),
) -> None:
    """Run every waiting job, then stop (or, with --forever, keep working as `safeguard serve`'s
    worker does)."""
    from safeguard.cli.hub import open_store

    open_store()
    if forever:
        from django.core.management import call_command

        call_command("db_worker", "--no-startup-delay", verbosity=0)
        return
    from safeguard.hub.jobs import run_waiting

    typer.echo(f"{run_waiting()} job(s) run")


@app.command("list")
def list_jobs(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """How many jobs are queued, running, done and failed."""
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.hub.jobs import counts

    found = counts()
    if as_json:
        typer.echo(json.dumps(found))
        return
    typer.echo(", ".join(f"{n} {state}" for state, n in found.items()))

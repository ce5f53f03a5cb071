"""`safeguard link`: link every ingested person record into people with stable ids."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict

import typer
from rich.console import Console

REFUSALS_SHOWN = 10


def link(
    retrain: bool = typer.Option(
        False, "--retrain", help="Train a new model even if one is saved (links everything)."
    ),
    full: bool = typer.Option(
        False, "--full", help="Score every record again, not only new and changed ones."
    ),
    backend: str = typer.Option(
        "duckdb",
        "--backend",
        help="Where Splink runs: duckdb (embedded) or spark (PySpark; local mode unless a "
        "cluster session is configured). Spark scores every record on each run.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the run's summary as JSON."),
) -> None:
    """Link all ingested person records (Splink on DuckDB) into people: train once without
    labels and reuse the model; score only new and changed records after the first run; link
    above the upper threshold and through "same person" decisions, never against a "different
    people" decision; keep each person's id; list pairs between the thresholds for review."""
    from safeguard.linkage.backend import BackendError, backend_name, spark_available

    try:
        chosen = backend_name(backend)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if chosen == "spark" and (missing := spark_available()) is not None:
        typer.echo(f"the Spark backend cannot start here: {missing}", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.people import services
    from safeguard.settings import get_settings

    console = Console(stderr=True)
    # Splink's training notes (levels too rare to train) are kept in training.json, not printed
    logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        with console.status(f"linking person records on {chosen}", spinner="dots"):
            done = services.link(who, retrain=retrain, full=full, backend=chosen)
    except BackendError as exc:
        typer.echo(f"the Spark backend failed: {exc}", err=True)
        raise typer.Exit(2) from None
    except Refusal as refusal:
        raise refused(refusal, who) from None
    result, run = done.result, done.run
    summary = result.summary
    if as_json:
        out = {**asdict(summary), "run": run.pk, "refusals": [str(r) for r in result.refusals]}
        typer.echo(json.dumps(out, indent=2))
        return
    scored = (
        "no new or changed records"
        if summary.mode == "unchanged"
        else f"scored {summary.scored_records:,} new or changed records"
        if summary.mode == "incremental"
        else f"scored all records ({'trained a new model' if summary.trained else 'saved model'})"
        if summary.mode == "full"
        else "resolved again: another run finished first"
    )
    console.print(
        f"Linked {summary.records:,} person records from {done.files} deliveries into "
        f"{summary.people:,} people in {summary.seconds} s ({scored}): "
        f"{summary.linked_pairs:,} pairs at probability >= {summary.upper}; "
        f"{summary.new_people:,} new people, {summary.retired_people:,} merged into others, "
        f"{summary.events:,} records changed person; "
        f"{summary.review_pairs:,} pairs await review (`safeguard review list`). "
        f"Run {run.pk}, written to {get_settings().linkage_dir}."
    )
    for refused_link in result.refusals[:REFUSALS_SHOWN]:
        console.print(f"[yellow]{refused_link}[/yellow]", highlight=False)
    if len(result.refusals) > REFUSALS_SHOWN:
        console.print(f"... and {len(result.refusals) - REFUSALS_SHOWN:,} more refused links")

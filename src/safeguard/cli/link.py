"""`safeguard link`: link every ingested person record into people."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict

import typer
from rich.console import Console


def link(
    retrain: bool = typer.Option(
        False, "--retrain", help="Train a new model even if one is saved."
    ),
    backend: str = typer.Option(
        "duckdb", "--backend", help="Where Splink runs: duckdb (the Spark backend is to come)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the run's summary as JSON."),
) -> None:
    """Link all ingested person records (Splink on DuckDB): train once without labels, reuse
    the model, link above the upper threshold, list pairs between the thresholds for review."""
    if backend != "duckdb":
        typer.echo(f"backend {backend!r} is not available yet; use duckdb", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.hub.deliveries.store import landed_people_files
    from safeguard.linkage.config import LinkageConfig
    from safeguard.linkage.run import link as run
    from safeguard.settings import get_settings

    settings = get_settings()
    files = landed_people_files()
    if not files:
        typer.echo("no people records ingested yet: run `safeguard ingest` first", err=True)
        raise typer.Exit(2)
    config = LinkageConfig(upper=settings.link_upper, lower=settings.link_lower)
    console = Console(stderr=True)
    # Splink's training notes (levels too rare to train) are kept in training.json, not printed
    logging.getLogger("splink").setLevel(logging.ERROR)
    with console.status("linking person records", spinner="dots"):
        summary = run(files, settings.linkage_dir, config, retrain=retrain)
    if as_json:
        typer.echo(json.dumps(asdict(summary), indent=2))
        return
    console.print(
        f"Linked {summary.records:,} person records from {len(files)} deliveries into "
        f"{summary.people:,} people in {summary.seconds} s "
        f"({'trained a new model' if summary.trained else 'reused the saved model'}): "
        f"{summary.linked_pairs:,} pairs linked at probability >= {summary.upper}, "
        f"{summary.review_pairs:,} pairs for review (>= {summary.lower}). "
        f"Written to {settings.linkage_dir}."
    )

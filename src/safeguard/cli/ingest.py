"""`safeguard ingest`: validate and load deliveries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from safeguard.ingest.report import DeliveryReport, Outcome, exit_code, summary


def _deliveries(paths: list[Path]) -> list[Path]:
    """Each path as given, or, for a folder of delivery folders, each delivery inside it."""
    out: list[Path] = []
    for path in paths:
        inner = (
            sorted(p for p in path.iterdir() if (p / "manifest.json").exists())
            if path.is_dir() and not (path / "manifest.json").exists()
            else []
        )
        out.extend(inner or [path])
    return out


def _print(console: Console, report: DeliveryReport) -> None:
    style = {
        Outcome.LOADED: "green",
        Outcome.ALREADY_INGESTED: "cyan",
        Outcome.REJECTED: "bold red",
    }[report.outcome]
    console.print(f"[{style}]{report.path}[/]: {report.message}")
    if not report.files or report.outcome is Outcome.ALREADY_INGESTED:
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("file", no_wrap=True)
    for column in ("read", "accepted", "quarantined", "new", "updated", "unchanged"):
        table.add_column(column, justify="right", no_wrap=True)
    for f in report.files:
        name = f.path if f.kind and Path(f.path).stem == f.kind else f"{f.path} ({f.kind or '?'})"
        table.add_row(
            name,
            *(f"{v:,}" for v in (f.read, f.accepted, f.quarantined, f.new, f.updated, f.unchanged)),
        )
    console.print(table)
    for f in report.files:
        for text in ([f.error] if f.error else []) + f.warnings:
            console.print(f"  [yellow]{text}[/]")


def ingest(
    paths: list[Path] = typer.Argument(
        ..., help="Delivery folders or .zip files, or a folder holding delivery folders."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Validate deliveries against the contract and load them; bad rows go to quarantine.

    Exit code 0: all loaded; 1: some rows were quarantined; 2: a delivery or file was rejected.
    """
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.deliveries import services
    from safeguard.settings import get_settings

    settings = get_settings()
    # piped output (make demo, CI logs) gets a width that fits the table, not the default 80
    console = Console(stderr=as_json, width=None if sys.stdout.isatty() else 110)
    reports = []
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task("opening deliveries", total=None)

        def step(name: str, rows: int) -> None:
            bar.update(task, description=f"{name}: {rows:,} rows")

        def waiting(name: str) -> None:
            bar.update(task, description=f"{name}: validating and landing")

        try:
            for report in services.take(
                who,
                _deliveries(paths),
                settings.landing_dir,
                chunk_rows=settings.ingest_chunk_rows,
                limits=settings.ingest_limits(),
                progress=step,
                waiting=waiting,
            ):
                reports.append(report)
                if not as_json:
                    _print(console, report)
        except Refusal as refusal:
            raise refused(refusal, who) from None
    # what follows a load (the children's homes follow the homes' deliveries); idempotent, so a
    # rerun after a crash between the load and this step catches up
    reacted = services.react(who)
    homes = reacted["childrens_homes"]
    if as_json:
        typer.echo(json.dumps({**summary(reports), **reacted}, indent=2))
    else:
        totals = summary(reports)["totals"]
        console.print(
            f"[bold]Total[/]: read {totals['read']:,}, accepted "
            f"{totals['accepted']:,}, quarantined {totals['quarantined']:,}"
        )
        if homes["added"] or homes["updated"]:
            console.print(f"Children's homes: {homes['added']} added, {homes['updated']} updated")
    raise typer.Exit(exit_code(reports))

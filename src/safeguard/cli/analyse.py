"""`safeguard analyse`: screen every linked child from the landed records, with evidence."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from safeguard.cli.dates import optional_date

if TYPE_CHECKING:
    from safeguard.intelligence.catalogue import Catalogue
    from safeguard.timescales import Timescales


def load_catalogue() -> Catalogue:
    """The configured screening catalogue, or exit 2 with what is wrong with it."""
    from safeguard.intelligence.catalogue import CatalogueError, load
    from safeguard.settings import get_settings

    try:
        return load(get_settings().screening_catalogue)
    except CatalogueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def load_timescales() -> Timescales:
    """The configured timescales (the one clock), or exit 2 with what is wrong with them."""
    from safeguard.settings import get_settings
    from safeguard.timescales import TimescalesError, load

    try:
        return load(get_settings().timescales)
    except TimescalesError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def analyse(
    as_of: str = typer.Option(None, "--as-of", help="Assessment date (YYYY-MM-DD); default today."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Derive every screening indicator from the landed records and screen every linked child
    (10 to 17) with the configured catalogue: score, proposed band, at risk, referral, and
    the evidence behind each indicator. Outputs go to `$SAFEGUARD_DATA_DIR/intelligence/`."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    day = optional_date(as_of, "--as-of") or dt.datetime.now(dt.UTC).date()
    catalogue, clocks = load_catalogue(), load_timescales()
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services
    from safeguard.settings import get_settings

    try:
        done = services.analyse(who, catalogue, clocks, day, get_settings().intelligence_dir)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    summary = done.analysis.summary
    if as_json:
        typer.echo(json.dumps({**asdict(summary), "run": done.run.pk}, indent=2))
        return
    table = Table(title=f"Screening on {summary.as_of} ({summary.catalogue})", title_justify="left")
    table.add_column("band")
    table.add_column("children", justify="right")
    for band, count in summary.bands.items():
        table.add_row(band, f"{count:,}")
    Console().print(table)
    typer.echo(
        f"{summary.children_screened:,} children screened from {summary.evidence:,} pieces of "
        f"evidence in {summary.seconds} s: {summary.at_risk:,} at risk, {summary.referrals:,} "
        "proposed for referral. A screening proposes; a person confirms."
    )
    found = ", ".join(f"{n:,} {kind}" for kind, n in summary.findings.items())
    alerts = ", ".join(f"{n:,} {kind}" for kind, n in summary.missing_alerts.items()) or "none"
    typer.echo(f"Network findings: {found}. Missing-episode alerts: {alerts}.")
    typer.echo(f"Stored as analysis run {done.run.pk}. See them: safeguard findings list")

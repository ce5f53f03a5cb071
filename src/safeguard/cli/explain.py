"""`safeguard explain`: why the model scores two records as it does."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table


def explain(
    left: str = typer.Argument(..., help="One record (agency:record_id)."),
    right: str = typer.Argument(..., help="The other record."),
    as_json: bool = typer.Option(False, "--json", help="Print the explanation as JSON."),
) -> None:
    """Each comparison's level and match weight for two records of the last linkage run: the
    prior plus the comparisons' weights add up to the pair's match weight. Shows both records'
    details: for those who decide links (audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.people import services

    logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        explanation, records = services.explain_any(who, left, right)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if as_json:
        typer.echo(json.dumps({**asdict(explanation), "records": records}, indent=2))
        return
    console = Console()
    side = Table(title="The records", title_justify="left")
    side.add_column("field")
    side.add_column(records[0]["unique_id"])
    side.add_column(records[1]["unique_id"])
    for key in records[0]:
        if key == "unique_id":
            continue
        a, b = records[0][key], records[1][key]
        if a is not None or b is not None:
            side.add_row(key, "" if a is None else str(a), "" if b is None else str(b))
    console.print(side)
    weights = Table(
        title="Why (match weights, log2 of how much likelier a match)", title_justify="left"
    )
    for column in ("comparison", "level", "weight"):
        weights.add_column(column)
    weights.add_row("prior", "two records picked at random", f"{explanation.prior_weight:+.2f}")
    for part in explanation.comparisons:
        weights.add_row(part.comparison, part.level, f"{part.match_weight:+.2f}")
    weights.add_row("total", "", f"{explanation.match_weight:+.2f}")
    console.print(weights)
    console.print(f"Match probability {explanation.match_probability:.4f}.")

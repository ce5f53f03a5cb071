"""`safeguard synth`: generate a synthetic partnership with its ground truth."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


class Family(StrEnum):
    """Families of planted scenarios (`safeguard.synthetic.families`)."""

    police_led = "police_led"
    council_led = "council_led"


def synth(
    out: Path = typer.Option(..., "--out", help="Folder to write the agencies' deliveries into."),
    children: int = typer.Option(5000, min=10, help="Children in the partnership."),
    years: int = typer.Option(5, min=1, max=20, help="Years of history."),
    seed: int = typer.Option(1, help="Random seed; the same seed gives the same files."),
    family: Family = typer.Option(
        Family.police_led,
        help="How the planted scenarios are written: police_led (the original) or council_led.",
    ),
    thin: list[str] | None = typer.Option(
        None,
        "--thin",
        metavar="AGENCY",
        help="An agency whose people file is thin: names, date of birth, sex and postcode, no "
        "identifier, address, phone or email (repeat for several; the thin profile is "
        "cheshire-nhs and cheshire-schools).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Generate a synthetic Cheshire-like partnership: one delivery per agency plus truth/."""
    from safeguard.synthetic import generate

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task("generating", total=1.0)

        def step(what: str, fraction: float) -> None:
            bar.update(task, description=what, completed=fraction)

        try:
            result = generate(
                out,
                children=children,
                years=years,
                seed=seed,
                family=family.value,
                thin=tuple(thin or ()),
                progress=step,
            )
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2, default=str))
    else:
        console.print(
            f"Wrote the synthetic partnership to {out} ({children:,} children, {years} years, "
            f"seed {seed}, {family.value} family, {result['total_records']:,} records"
            + (f"; thin people files: {', '.join(sorted(set(thin)))}" if thin else "")
            + ")"
        )

"""`safeguard screening`: a child's screening with its evidence, and a practitioner's level."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Screenings: show, confirm.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


@app.command("show")
def show(
    person: int = typer.Argument(..., help="The person's id."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """A child's current screening: score, proposed band, at risk, referral, each scoring
    indicator with the records behind it (those the reader may see), and any practitioner's
    decisions. For a user with need to know of the child; audited."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services

    try:
        s = services.screening(who, person)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if s is None:
        raise _fail(f"person {person} has no current screening (run `safeguard analyse`)")
    decisions = s.decisions
    data = {
        "person": person,
        "assessed_on": s.assessed_on.isoformat(),
        "age": s.age,
        "score": s.score,
        "band_by_score": s.band_by_score,
        "proposed_band": s.band,
        "at_risk": s.at_risk,
        "referral": s.referral,
        "catalogue": s.catalogue,
        "reasons": s.reasons,
        "reasons_withheld": s.withheld,
        "decisions": decisions,
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    console = Console()
    console.print(
        f"Person {person}, {s.age}, on {s.assessed_on}: score {s.score}, proposed "
        f"[bold]{s.band}[/bold]"
        + (", at risk" if s.at_risk else "")
        + (", referral proposed" if s.referral else "")
        + f" ({s.catalogue})"
    )
    table = Table(title="Why", title_justify="left")
    for column in ("indicator", "level", "records", "what matched"):
        table.add_column(column, overflow="fold")
    for r in s.reasons:
        table.add_row(r["code"], r["level"], "\n".join(r["records"]), "\n".join(r["details"]))
    console.print(table)
    for d in decisions:
        console.print(f"{d['at'][:16]} {d['by']}: {d['band']} ({d['reason']})")


@app.command("confirm")
def confirm(
    person: int = typer.Argument(..., help="The person's id."),
    band: str = typer.Option(..., "--band", help="The level you set (a catalogue band)."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the decision)."),
) -> None:
    """Record your level for a child's current screening, with your reasons: kept beside, never
    over, what the screening proposed."""
    from safeguard.cli.analyse import load_catalogue
    from safeguard.cli.hub import caller, refused

    catalogue = load_catalogue()
    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services

    bands = [b.name for b in catalogue.bands]
    try:
        done = services.confirm(who, person, band, reason, bands)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(f"Person {person}: {done.band} (by {done.decided_by}: {done.reason})")


@app.command("record")
def record(
    person: int = typer.Argument(..., help="The person's id."),
    indicator: str = typer.Option(..., "--indicator", help="A catalogue indicator code."),
    seen_on: str = typer.Option(..., "--seen-on", help="When you saw it (YYYY-MM-DD)."),
    note: str = typer.Option(..., "--note", help="What you saw (kept as the evidence)."),
) -> None:
    """Record an indicator you saw yourself. The next `safeguard analyse` counts it beside
    what the agencies' records show, citing you and your note as its evidence."""
    import datetime as dt

    from safeguard.cli.analyse import load_catalogue
    from safeguard.cli.hub import caller, refused

    try:
        day = dt.date.fromisoformat(seen_on)
    except ValueError:
        raise _fail(f"--seen-on {seen_on!r}: give a date as YYYY-MM-DD") from None
    catalogue = load_catalogue()
    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services

    codes = [i.code for i in catalogue.indicators if i.rule != "network"]
    try:
        done = services.record_indicator(who, person, indicator, day, note, codes)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(
        f"Person {person}: {done.code} seen on {done.seen_on} (by {done.recorded_by}). "
        "It counts from the next `safeguard analyse`."
    )

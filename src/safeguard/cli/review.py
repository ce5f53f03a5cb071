"""`safeguard review`: the pairs awaiting a person's decision, and the decisions themselves.

A decision takes effect at once: it is recorded with its audit event, and the job it queues
(the last run's pairs resolved again under every decision, no scoring; people keep their ids)
runs before the command returns.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from safeguard.access.caller import Caller

app = typer.Typer(help="Review uncertain links: list, decide, split.", no_args_is_help=True)


def _caller() -> Caller:
    from safeguard.cli.hub import caller

    logging.getLogger("splink").setLevel(logging.ERROR)
    return caller()


@app.command("list")
def list_pairs(
    limit: int = typer.Option(20, min=1, help="At most this many pairs."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """Pairs between the thresholds, not yet linked and not yet decided, most likely first."""
    who = _caller()
    from safeguard.access.caller import Refusal
    from safeguard.cli.hub import refused
    from safeguard.hub.people import services

    try:
        total, queue, records = services.review_queue(who, limit)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if as_json:
        for row in queue:
            typer.echo(json.dumps(row))
        return
    table = Table(title=f"{total:,} pairs await review", title_justify="left")
    table.add_column("probability")
    for column in ("left", "right"):
        table.add_column(column, overflow="fold")  # ids are typed back in: never cut short
    for row in queue:
        left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
        table.add_row(
            f"{row['match_probability']:.4f}",
            f"{left}\n{records.get(left, '')}",
            f"{right}\n{records.get(right, '')}",
        )
    Console().print(table)
    if queue:
        typer.echo("See why: safeguard explain LEFT RIGHT; decide: safeguard review decide ...")


def _resolved(job: str | None) -> None:
    """Run the relinking job a decision queued, and say what it changed."""
    if job is None:
        typer.echo("It takes effect at the next linkage run (`safeguard link`).")
        return
    from safeguard.hub.jobs import run_waiting
    from safeguard.hub.people.services import job as status

    run_waiting()
    done = status(job)
    if done["status"] != "done":
        typer.echo(f"Resolving people again {done['status']}: see `safeguard jobs list`.", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"People resolved again (run {done['run']}): {done['people']:,} people, "
        f"{done['changed']:,} records changed person."
    )
    for line in [*done["events"], *done["refusals"]]:
        typer.echo(f"  {line}")


@app.command("decide")
def decide(
    left: str = typer.Argument(..., help="One record (agency:record_id)."),
    right: str = typer.Argument(..., help="The other record."),
    same: bool = typer.Option(
        ..., "--same/--different", help="The same person, or different people."
    ),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the decision)."),
) -> None:
    """Decide that two records are the same person (must-link) or different people
    (cannot-link), as the user named with `--as`. Every later run honours it; a decision that
    contradicts another is refused."""
    who = _caller()
    from safeguard.access.caller import Refusal
    from safeguard.cli.hub import refused
    from safeguard.hub.people import services

    try:
        done = services.decide(who, left, right, same, reason)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(f"Recorded decision {done.made[0].pk}.")
    _resolved(done.job)


@app.command("split")
def split(
    person: int = typer.Argument(..., help="The person's id (P123 is 123)."),
    records: list[str] = typer.Argument(..., help="The records to split off (agency:record_id)."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the decision)."),
) -> None:
    """Split records wrongly merged into a person off it: each is decided a different person
    from each of the person's other records, so no later run merges them again."""
    who = _caller()
    from safeguard.access.caller import Refusal
    from safeguard.cli.hub import refused
    from safeguard.hub.people import services

    try:
        done = services.split(who, person, records, reason)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(f"Recorded {len(done.made)} 'different people' decisions.")
    _resolved(done.job)

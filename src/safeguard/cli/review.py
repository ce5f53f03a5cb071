"""`safeguard review`: the pairs awaiting a person's decision, and the decisions themselves.

A decision takes effect at once: the last run's pairs are resolved again under every decision
(no scoring), people keep their ids, and what changed is recorded with the decision as reason.
"""

from __future__ import annotations

import getpass
import json
import logging
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Review uncertain links: list, decide, split.", no_args_is_help=True)

BY_HELP = "Who decides (kept with the decision); defaults to the login name."


def _open() -> None:
    from safeguard.cli.hub import open_store

    open_store()
    logging.getLogger("splink").setLevel(logging.ERROR)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


@app.command("list")
def list_pairs(
    limit: int = typer.Option(20, min=1, help="At most this many pairs."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """Pairs between the thresholds, not yet linked and not yet decided, most likely first."""
    _open()
    from safeguard.hub.people.store import current_people, decisions
    from safeguard.linkage.run import review_pairs
    from safeguard.linkage.saved import Saved
    from safeguard.settings import get_settings

    settings = get_settings()
    saved = Saved(settings.linkage_dir)
    if not saved.linked():
        raise _fail("no linkage run yet: run `safeguard link` first")
    pairs = saved.pairs(["match_probability"])
    queue = review_pairs(pairs, current_people(), decisions(), settings.linkage_config())
    records = _summaries(saved, queue[:limit])
    if as_json:
        for row in queue[:limit]:
            typer.echo(json.dumps(row))
        return
    table = Table(title=f"{len(queue):,} pairs await review", title_justify="left")
    table.add_column("probability")
    for column in ("left", "right"):
        table.add_column(column, overflow="fold")  # ids are typed back in: never cut short
    for row in queue[:limit]:
        left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
        table.add_row(
            f"{row['match_probability']:.4f}",
            f"{left}\n{records.get(left, '')}",
            f"{right}\n{records.get(right, '')}",
        )
    Console().print(table)
    if queue:
        typer.echo("See why: safeguard explain LEFT RIGHT; decide: safeguard review decide ...")


def _summaries(saved: Any, rows: list[dict[str, object]]) -> dict[str, str]:
    """One line per record named in `rows`: name, birth date, postcode."""
    ids = sorted({str(r[k]) for r in rows for k in ("unique_id_l", "unique_id_r")})
    if not ids:
        return {}
    columns = ["forename1", "surname", "dob", "dob_year", "postcode"]
    table = saved.records(columns, ids=ids)
    return {
        r["unique_id"]: " ".join(
            str(v)
            for v in (r["forename1"], r["surname"], r["dob"] or r["dob_year"], r["postcode"])
            if v
        )
        for r in table.to_pylist()
    }


def _relink() -> None:
    from safeguard.hub.people.store import relink_people
    from safeguard.settings import get_settings

    settings = get_settings()
    result, run = relink_people(settings.linkage_dir, settings.linkage_config())
    s = result.summary
    typer.echo(
        f"People resolved again (run {run.pk}): {s.people:,} people, {s.events:,} records "
        f"changed person, {s.review_pairs:,} pairs await review."
    )
    for event in result.assignment.events:
        typer.echo(
            f"  {event.kind}: {', '.join(event.records)} now P{event.person} "
            f"(was P{event.other}): {event.reason}"
        )
    for refusal in result.refusals:
        typer.echo(f"  {refusal}")


@app.command("decide")
def decide(
    left: str = typer.Argument(..., help="One record (agency:record_id)."),
    right: str = typer.Argument(..., help="The other record."),
    same: bool = typer.Option(
        ..., "--same/--different", help="The same person, or different people."
    ),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the decision)."),
    by: str = typer.Option(None, "--by", help=BY_HELP),
) -> None:
    """Decide that two records are the same person (must-link) or different people
    (cannot-link). Every later run honours it; a decision that contradicts another is refused."""
    _open()
    from safeguard.hub.people.store import DecisionRefused
    from safeguard.hub.people.store import decide as store_decide
    from safeguard.linkage.run import NotLinkedYet

    try:
        decision = store_decide(left, right, same, reason, by or getpass.getuser())
        typer.echo(f"Recorded decision {decision.pk}.")
        _relink()
    except (DecisionRefused, NotLinkedYet) as exc:
        raise _fail(str(exc)) from None


@app.command("split")
def split(
    person: int = typer.Argument(..., help="The person's id (P123 is 123)."),
    records: list[str] = typer.Argument(..., help="The records to split off (agency:record_id)."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the decision)."),
    by: str = typer.Option(None, "--by", help=BY_HELP),
) -> None:
    """Split records wrongly merged into a person off it: each is decided a different person
    from each of the person's other records, so no later run merges them again."""
    _open()
    from safeguard.hub.people.store import DecisionRefused
    from safeguard.hub.people.store import split as store_split
    from safeguard.linkage.run import NotLinkedYet

    try:
        made = store_split(person, records, reason, by or getpass.getuser())
        typer.echo(f"Recorded {len(made)} 'different people' decisions.")
        _relink()
    except (DecisionRefused, NotLinkedYet) as exc:
        raise _fail(str(exc)) from None

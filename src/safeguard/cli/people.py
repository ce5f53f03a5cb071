"""`safeguard people`: a person's linked records and the history of their identity."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="Show linked people.", no_args_is_help=True)


@app.command("show")
def show(
    person: str = typer.Argument(
        ..., help="The person's id (123 or P123), or one of their records (agency:record_id)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """A person's records now, and every merge, split and move that touched them, with why
    (for a user with need to know of the person; audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.people import queries, services

    if ":" in person:
        pid = queries.person_of(person.strip())
        if pid is None:
            typer.echo(f"no linked record {person}", err=True)
            raise typer.Exit(2)
    else:
        digits = person.strip().removeprefix("P").removeprefix("p")
        if not digits.isdigit():
            typer.echo(
                f"{person!r} is neither a person id nor a record (agency:record_id)", err=True
            )
            raise typer.Exit(2)
        pid = int(digits)
    try:
        found = services.identity_history(who, pid)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    state = (
        f"merged into P{found['merged_into']}"
        if found["merged_into"]
        else "retired"
        if found["retired"]
        else f"{len(found['records'])} records"
    )
    typer.echo(f"P{pid}: {state}")
    for uid in found["records"]:
        typer.echo(f"  {uid}")
    for e in found["events"]:
        typer.echo(
            f"run {e['run']} {e['at'][:19]} {e['kind']}: {', '.join(e['records'])} "
            f"P{e['other']} -> P{e['person']}: {e['reason']}"
        )

"""`safeguard mace`: MACE meetings from the command line - a user's actions, and the demo's
meetings."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="MACE meetings: actions, the demo's meetings.", no_args_is_help=True)


@app.command("actions")
def actions(
    view: str = typer.Option("mine", "--view", help="mine, open or overdue."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """MACE actions as the actions page lists them: the user's own (open, then recently
    closed), every open one, or the overdue ones, soonest due first (audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.mace import queries, services

    if view not in queries.VIEWS:
        typer.echo(f"--view is one of: {', '.join(queries.VIEWS)}", err=True)
        raise typer.Exit(2)
    try:
        found = services.reads.actions(who, view)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    rows: list[dict[str, object]] = [
        {
            "action": a.action.pk,
            "due": a.action.due_on.isoformat(),
            "standing": a.standing,
            "owner": a.action.owner.username,
            "agency": a.action.agency,
            "what": a.action.what,
            "about": a.title,
            "meeting": a.action.item.meeting_id,
        }
        for a in found
    ]
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    table = Table(title=f"{len(rows)} MACE actions ({view})", title_justify="left")
    for column in ("due", "action", "owner", "what", "where it stands"):
        table.add_column(column, overflow="fold")
    for a in found:
        table.add_row(
            a.action.due_on.isoformat(),
            str(a.action.pk),
            a.action.owner.username,
            a.action.what,
            a.standing,
        )
    Console().print(table)


@app.command("demo")
def demo() -> None:
    """Demo mode only: last month's MACE meeting held (agenda, decisions, actions for the demo
    police officer, social worker and health lead, disruption) and next week's with its agenda
    built, all recorded as the user named with --as (see docs/mace.md)."""
    from safeguard.settings import get_settings

    if not get_settings().demo:
        typer.echo("`mace demo` works in demo mode only (SAFEGUARD_DEMO=true)", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.access.roles import Role
    from safeguard.cli.users import DEMO_USERS
    from safeguard.hub.mace.demo import Owners, seed

    owners = Owners(
        police=DEMO_USERS[Role.POLICE_OFFICER][0],
        social_worker=DEMO_USERS[Role.SOCIAL_WORKER][0],
        health=DEMO_USERS[Role.HEALTH_LEAD][0],
    )
    try:
        done = seed(who, owners)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if done.already:
        typer.echo("MACE demo: there are meetings already; nothing added")
        return
    typer.echo(
        f"MACE demo: meetings {', '.join(map(str, done.meetings))} ({done.items} agenda items); "
        f"{done.decided} decided, {done.actions} actions ({done.overdue} overdue), "
        f"{done.disruptions} disruptions recorded"
    )

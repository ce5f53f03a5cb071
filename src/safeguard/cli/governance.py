"""`safeguard governance`: the review from the command line - the action plan, importing
Ofsted's judgements into the register, and the demo's filled-in review."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="The review against the recommendations: actions, the Ofsted register, the demo.",
    no_args_is_help=True,
)


@app.command("actions")
def actions(
    view: str = typer.Option("mine", "--view", help="mine, open, overdue or closed."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """The action plan as the page lists it: the user's own (open, then recently closed),
    every open one, the overdue ones or the closed ones (audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.governance import queries, services

    if view not in queries.VIEWS:
        typer.echo(f"--view is one of: {', '.join(queries.VIEWS)}", err=True)
        raise typer.Exit(2)
    try:
        found = services.reads.actions(who, view)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    rows = [
        {
            "action": a.action.pk,
            "due": a.action.due_on.isoformat(),
            "standing": a.standing,
            "status": a.action.status,
            "owner": a.action.owner.username,
            "agency": a.action.agency,
            "recommendation": a.action.recommendation,
            "what": a.action.what,
        }
        for a in found
    ]
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    table = Table(title=f"{len(rows)} review actions ({view})", title_justify="left")
    for column in ("due", "action", "owner", "recommendation", "what", "where it stands"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["due"]),
            str(r["action"]),
            str(r["owner"]),
            str(r["recommendation"]),
            str(r["what"]),
            str(r["standing"]),
        )
    Console().print(table)


@app.command("ofsted-import")
def ofsted_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV of judgements."),
    partial: bool = typer.Option(
        False, "--partial", help="Add the rows that are valid even when others are refused."
    ),
) -> None:
    """Add Ofsted's judgements of councils from a CSV in Ofsted's published layout (see
    docs/governance.md for the columns). Every refused row is named with its line and reason;
    the counts reconcile (read = added + held already + refused). A strategic lead's work."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.governance import services

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{file}: cannot read it: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        done = services.import_judgements(who, text, file.name, partial)
    except Refusal as refusal:
        for where, why in refusal.problems.items():
            typer.echo(f"{file.name}: {where}: {why}", err=True)
        if refusal.problems and refusal.rule:
            typer.echo("nothing added (use --partial to add the valid rows)", err=True)
            raise typer.Exit(2) from None
        raise refused(refusal, who) from None
    for line, why in done.refused:
        typer.echo(f"{file.name}: line {line}: refused: {why}", err=True)
    typer.echo(
        f"{file.name}: read {done.read} rows: {done.added} added, {done.already} held already, "
        f"{len(done.refused)} refused"
    )


@app.command("export-ssd")
def export_ssd(
    out: Path = typer.Option(..., "--out", file_okay=False, help="The folder to write into."),
    since: str = typer.Option("", "--since", help="Records from this date (YYYY-MM-DD) on."),
) -> None:
    """The hub's contacts, referrals and missing episodes in the Standard Safeguarding
    Dataset's layout (ssd_contacts.csv, ssd_cin_episodes.csv, ssd_missing.csv), to compare
    with other councils' returns: record by record with the hub's person ids, no names. An
    analyst's work; audited."""
    from safeguard.cli.dates import optional_date
    from safeguard.cli.hub import caller, refused

    start = optional_date(since, "--since")
    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.governance.ssd import MappingError
    from safeguard.hub.governance.services import ssd

    try:
        written = ssd.export(who, out, start)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    except MappingError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    for name, count in written.items():
        typer.echo(f"{out / (name + '.csv')}: {count} rows")


@app.command("demo")
def demo() -> None:
    """Demo mode only: a filled-in review - the demo agency lead's assessments of every
    recommendation (some submitted, challenged and signed off by the user named with --as, a
    strategic lead) and an action plan with actions done, open and overdue."""
    from safeguard.settings import get_settings

    if not get_settings().demo:
        typer.echo("`governance demo` works in demo mode only (SAFEGUARD_DEMO=true)", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.access.roles import Role
    from safeguard.cli.users import DEMO_USERS
    from safeguard.hub.governance.demo import seed

    try:
        done = seed(who, DEMO_USERS[Role.AGENCY_LEAD][0])
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if done.already:
        typer.echo("Governance demo: the review has assessments already; nothing added")
        return
    typer.echo(
        f"Governance demo: {done.assessed} assessments ({done.signed_off} signed off, "
        f"{done.challenged} challenged, {done.submitted} waiting for review); "
        f"{done.actions} actions ({done.overdue} overdue, {done.done} done)"
    )

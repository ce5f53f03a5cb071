"""`safeguard mash`: the MASH front door from the command line - the queue, and the demo's
week of contacts."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="The MASH front door: queue, overdue sweep, demo week.", no_args_is_help=True
)


@app.command("queue")
def queue(
    status: str = typer.Option(
        "open", "--status", help="open, overdue, received, routed, rated, checking, decided, all."
    ),
    rating: str = typer.Option("", "--rating", help="Only red, amber, green, blue or none."),
    area: str = typer.Option("", "--area", help="Only this council area (or unknown)."),
    limit: int = typer.Option(50, "--limit", min=1, max=50, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """The contacts the user may open, overdue and soonest due first, as the queue page shows
    them (audited: the children listed are recorded)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.mash import services
    from safeguard.hub.mash.queries import QueueFilters

    try:
        total, rows = services.queue(who, QueueFilters(status=status, rating=rating, area=area))
    except Refusal as refusal:
        raise refused(refusal, who) from None
    shown = [
        {
            "reference": r.reference,
            "due": r.next_due.isoformat() if r.next_due else None,
            "overdue": r.overdue,
            "child": r.child,
            "person": r.person_id,
            "rating": r.rating,
            "status": r.status,
            "re_referral": r.re_referral,
            "factors": r.factors,
        }
        for r in rows[:limit]
    ]
    if as_json:
        for row in shown:
            typer.echo(json.dumps(row))
        return
    table = Table(title=f"{total:,} contacts ({status})", title_justify="left")
    for column in ("due", "contact", "child", "rating", "where it is", "about"):
        table.add_column(column, overflow="fold")
    for r in rows[:limit]:
        due = ("OVERDUE " if r.overdue else "") + (
            r.next_due.isoformat()[:16] if r.next_due else ""
        )
        table.add_row(
            due, r.reference, r.child, r.rating or "-", r.status_label, "; ".join(r.factors)
        )
    Console().print(table)


@app.command("demo-week")
def demo_week(
    days: int = typer.Option(7, "--days", min=1, max=90, help="How many days to play again."),
    seed: int = typer.Option(1, "--seed", help="Seed for who decides what, and when."),
) -> None:
    """Demo mode only: the synthetic partnership's last week of contacts played again as the
    week just gone, worked by the demo accounts (see docs/mash.md)."""
    from safeguard.settings import get_settings

    if not get_settings().demo:
        typer.echo("`mash demo-week` works in demo mode only (SAFEGUARD_DEMO=true)", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.access.roles import Role
    from safeguard.cli.users import DEMO_USERS
    from safeguard.hub.demo import Cast, seed_week

    name = {role: row[0] for role, row in DEMO_USERS.items()}
    cast = Cast(
        practitioner=name[Role.MASH_PRACTITIONER],
        manager=name[Role.MASH_MANAGER],
        social_worker=name[Role.SOCIAL_WORKER],
        answerers={
            DEMO_USERS[Role.POLICE_OFFICER][1]: name[Role.POLICE_OFFICER],
            DEMO_USERS[Role.HEALTH_LEAD][1]: name[Role.HEALTH_LEAD],
        },
        operator=name[Role.DATA_OPERATOR],
        police=name[Role.POLICE_OFFICER],
        home_staff=name[Role.HOME_STAFF],
        interviewer=name[Role.RHI_WORKER],
    )
    try:
        week = seed_week(cast, days, seed)
    except (LookupError, PermissionError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"Demo week: {week.contacts} contacts ({week.decided} decided, {week.waiting} still "
        f"open, {week.routed} with an allocated team); {week.open_cases} open cases set up"
    )
    typer.echo(f"A public concern's code, to try /report/follow-up/: {week.public_code}")
    typer.echo(
        f"Missing: {week.episodes} episodes at the demo home ({week.away} away now, "
        f"{week.interviews_due} interviews to do, {week.tasks} strategy discussions to hold)"
    )

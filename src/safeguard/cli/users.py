"""`safeguard users`: staff accounts for the hub - add (with an authenticator), list, print the
current one-time code (demo and test only), reset an authenticator, unlock, API tokens.

Keeping accounts is for administrators (`--as ADMIN`) and for the installation (the hub's own
server, with no user named), where the first administrator is made and the last one unlocked;
every change is audited and flagged for review."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from safeguard.access.policy import ROLE_LABELS, Role

app = typer.Typer(help="Staff accounts: add, list, code, unlock.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _demo_only(what: str) -> None:
    from safeguard.settings import get_settings

    if not get_settings().demo:
        raise _fail(f"`users {what}` works in demo mode only (SAFEGUARD_DEMO=true)")


@app.command("add")
def add(
    username: str = typer.Argument(..., help="Sign-in name."),
    agency: str = typer.Option(..., "--agency", help="The user's agency code."),
    role: list[str] = typer.Option(..., "--role", help="A role (repeat for several)."),
    team: str = typer.Option(
        "", "--team", help="The user's team in their agency (made if the agency has none so named)."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (else one is made)."
    ),
    enrol_at_sign_in: bool = typer.Option(
        False,
        "--enrol-at-sign-in",
        help="Make no authenticator: the user sets one up from a QR code when they first sign "
        "in, within SAFEGUARD_ENROL_HOURS.",
    ),
    system: bool = typer.Option(
        False,
        "--system",
        help="An agency system's account for the API: no password and no authenticator, so "
        "nobody signs in as it; the only kind of account that may hold API tokens.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the account as JSON."),
) -> None:
    """Add a staff account with a time-based one-time-code authenticator. Prints the password
    (when made here) and the authenticator's otpauth:// URI to load into an app; or, with
    --enrol-at-sign-in, until when the user may set up their app at sign-in; or, with
    --system, an agency system's account, to be given an API token (`users token`)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.accounts import services
    from safeguard.settings import get_settings

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    hours = get_settings().enrol_hours if enrol_at_sign_in else None
    try:
        added = services.add_user(
            who,
            username,
            agency,
            role,
            team=team,
            password=password,
            enrol_hours=hours,
            system=system,
        )
    except Refusal as refusal:
        raise refused(refusal, who) from None
    shown = {
        "username": username,
        "agency": agency,
        "team": team,
        "roles": role,
        "password": added.password,
        "otpauth": added.otpauth,
        "enrol_until": added.enrol_until.isoformat(timespec="minutes")
        if added.enrol_until
        else None,
    }
    if as_json:
        typer.echo(json.dumps(shown))
        return
    for key, value in shown.items():
        if value is not None:
            typer.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")


@app.command("list")
def list_users() -> None:
    """Every account: agency, team, roles, and whether it is locked."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.accounts import services

    try:
        found = services.account_list(who)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    table = Table(title="Staff accounts", title_justify="left")
    for column in ("username", "agency", "team", "roles", "locked"):
        table.add_column(column)
    for a in found:
        table.add_row(a.username, a.agency, a.team, ", ".join(a.roles), "yes" if a.locked else "")
    Console().print(table)


@app.command("code")
def code(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Print the user's current one-time code. For the demo and tests only: it reads the
    authenticator's secret, which in real use lives only in the user's app."""
    _demo_only("code")
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.hub.accounts.queries import current_code

    found = current_code(username)
    if found is None:
        raise _fail(f"no authenticator for {username!r}")
    typer.echo(found)


@app.command("reset-authenticator")
def reset_authenticator(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Remove the user's authenticator (a lost or new phone) and let them set up a new one from
    a QR code at their next sign-in, within SAFEGUARD_ENROL_HOURS."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.accounts import services
    from safeguard.settings import get_settings

    try:
        until = services.reset_authenticator(who, username, get_settings().enrol_hours)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(
        f"{username}: authenticator removed; they may set up a new one when they sign in, "
        f"until {until:%d %b %Y %H:%M} UTC"
    )


@app.command("unlock")
def unlock(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Unlock an account locked after too many failed sign-ins."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.accounts import services

    try:
        removed = services.unlock(who, username)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(f"{username}: unlocked ({removed} failed attempts cleared)")


#: One demo account per role: (username, agency, team).
DEMO_USERS = {
    Role.MASH_PRACTITIONER: ("mash", "cheshire-east-cs", "MASH"),
    Role.MASH_MANAGER: ("mash-manager", "cheshire-east-cs", "MASH"),
    Role.SOCIAL_WORKER: ("social-worker", "cheshire-west-cs", "Children in Care"),
    Role.POLICE_OFFICER: ("police", "cheshire-police", "Child Exploitation Unit"),
    Role.POLICE_SPOC: ("police-spoc", "cheshire-police", "Missing from Home"),
    Role.HEALTH_LEAD: ("health", "cheshire-nhs", "Safeguarding Children"),
    Role.SCHOOL_DSL: ("school", "cheshire-schools", "Designated Safeguarding Leads"),
    Role.ANALYST: ("analyst", "cheshire-police", "Intelligence Analysis"),
    Role.STRATEGIC_LEAD: ("strategic", "cheshire-east-cs", "Safeguarding Partnership"),
    Role.AGENCY_LEAD: ("agency-lead", "cheshire-police", "Safeguarding"),
    Role.AUDITOR: ("auditor", "cheshire-east-cs", "Information Governance"),
    Role.ADMINISTRATOR: ("admin", "cheshire-east-cs", "Information Governance"),
    Role.DATA_OPERATOR: ("operator", "cheshire-east-cs", "Information Governance"),
    Role.HOME_STAFF: ("home-staff", "childrens-homes", "Residential staff"),
    Role.RHI_WORKER: ("rhi", "return-interviews", "Return home interviews"),
}


@app.command("demo")
def demo(
    quiet: bool = typer.Option(
        False,
        "--quiet",
        help="Make the accounts but print no passwords (run it again to see them).",
    ),
) -> None:
    """Demo mode only: one account per role, each with a new password (printed) and an
    authenticator; run again to reset them. The demo police SPOC becomes the single point of
    contact of every children's home that has none."""
    _demo_only("demo")
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.accounts import services

    try:
        made, homes = services.demo_accounts(who, DEMO_USERS)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if quiet:
        typer.echo(f"{len(made)} demo accounts ready (the data operator is 'operator')")
        return
    table = Table(title="Demo users (one per role)", title_justify="left")
    for column in ("username", "password", "role", "agency", "team"):
        table.add_column(column)
    for u in made:
        table.add_row(u.username, u.password, ROLE_LABELS[u.role], u.agency, u.team)
    Console(width=200).print(table)
    if homes:
        spoc = DEMO_USERS[Role.POLICE_SPOC][0]
        typer.echo(
            f"{spoc} is now the police single point of contact for {homes} "
            + ("home" if homes == 1 else "homes")
        )
    typer.echo("A user's current one-time code: safeguard users code USERNAME (demo mode)")


@app.command("token")
def token(
    username: str = typer.Argument(
        ..., help="The system account the token acts as (`users add NAME --system`)."
    ),
    name: str = typer.Option(..., "--name", help="What the token is for (an agency system)."),
    revoke: bool = typer.Option(
        False, "--revoke", help="Revoke the account's tokens of this name."
    ),
) -> None:
    """Make an API token for a system account (printed once; only its SHA-256 is kept), or
    revoke one. The token acts as the account: its agency and roles decide what the API
    returns. A person's account is refused: a token has no second factor."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.accounts import services

    try:
        if revoke:
            n = services.revoke_token(who, username, name)
            typer.echo(f"{username}: {n} token(s) named {name!r} revoked")
            return
        typer.echo(services.make_token(who, username, name))
    except Refusal as refusal:
        raise refused(refusal, who) from None

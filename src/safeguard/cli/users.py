"""`safeguard users`: staff accounts for the hub - add (with an authenticator), list, print the
current one-time code (demo and test only), unlock after too many failed sign-ins."""

from __future__ import annotations

import getpass
import json
import os
import secrets
import sys

import typer
from rich.console import Console
from rich.table import Table

from safeguard.access.policy import ROLE_LABELS, Decision, Role, roles_problem

app = typer.Typer(help="Staff accounts: add, list, code, unlock.", no_args_is_help=True)


def _open() -> None:
    from safeguard.cli.hub import open_store

    open_store()


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _roles(values: list[str]) -> list[str]:
    problem = roles_problem(values)
    if problem:
        raise _fail(f"roles refused: {problem}")
    return values


def _audit(what: str, target: str) -> None:
    """An account change made here is an audit event like one made in the admin (flagged for
    review); call it inside the change's transaction."""
    from safeguard.hub.audit import store
    from safeguard.hub.audit.models import AuditEvent

    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this process's user
        who = f"uid {os.getuid()}"
    store.record(
        None,
        AuditEvent.Action.ADMINISTER,
        Decision(True, f"command line: {what}"),
        username=f"cli:{who}",
        target=target,
        channel="cli",
        flagged=True,
    )


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
    as_json: bool = typer.Option(False, "--json", help="Print the account as JSON."),
) -> None:
    """Add a staff account with a time-based one-time-code authenticator. Prints the password
    (when made here) and the authenticator's otpauth:// URI to load into an app; or, with
    --enrol-at-sign-in, until when the user may set up their app at sign-in."""
    roles = _roles(role)
    _open()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.hub.accounts.authenticators import open_enrolment
    from safeguard.hub.accounts.models import Team, User
    from safeguard.settings import get_settings

    if User.objects.filter(username=username).exists():
        raise _fail(f"there is already a user {username!r}")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else _made_password()
    user = User(username=username, agency=agency, roles=roles)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _fail("password refused: " + " ".join(exc.messages)) from None
    with transaction.atomic():
        user.team = Team.named(agency, team) if team else None
        user.set_password(password)
        user.save()
        until = open_enrolment(user, get_settings().enrol_hours) if enrol_at_sign_in else None
        device = (
            None
            if enrol_at_sign_in
            else TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        )
        _audit("account added", f"accounts.User {user.pk} ({username}): roles {', '.join(roles)}")
    shown = {
        "username": username,
        "agency": agency,
        "team": team,
        "roles": roles,
        "password": None if password_stdin else password,
        "otpauth": device.config_url if device else None,
        "enrol_until": until.isoformat(timespec="minutes") if until else None,
    }
    if as_json:
        typer.echo(json.dumps(shown))
        return
    for key, value in shown.items():
        if value is not None:
            typer.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")


def _made_password() -> str:
    """20 random characters: long, as NCSC advises, with no composition rules."""
    return secrets.token_urlsafe(15)


@app.command("list")
def list_users() -> None:
    """Every account: agency, team, roles, and whether it is locked."""
    _open()
    from axes.models import AccessAttempt

    from safeguard.hub.accounts.models import User

    locked = set(AccessAttempt.objects.values_list("username", flat=True))
    table = Table(title="Staff accounts", title_justify="left")
    for column in ("username", "agency", "team", "roles", "locked"):
        table.add_column(column)
    for user in User.objects.select_related("team").order_by("username"):
        labels = [ROLE_LABELS.get(Role(r), r) for r in user.roles if r in Role.__members__.values()]
        table.add_row(
            user.username,
            user.agency,
            user.team.name if user.team else "",
            ", ".join(labels),
            "yes" if user.username in locked else "",
        )
    Console().print(table)


@app.command("code")
def code(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Print the user's current one-time code. For the demo and tests only: it reads the
    authenticator's secret, which in real use lives only in the user's app."""
    from safeguard.settings import get_settings

    if not get_settings().demo:
        raise _fail("`users code` works in demo mode only (SAFEGUARD_DEMO=true)")
    _open()
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        raise _fail(f"no authenticator for {username!r}")
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    typer.echo(f"{value:0{device.digits}d}")


@app.command("reset-authenticator")
def reset_authenticator(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Remove the user's authenticator (a lost or new phone) and let them set up a new one from
    a QR code at their next sign-in, within SAFEGUARD_ENROL_HOURS."""
    _open()
    from django.db import transaction

    from safeguard.hub.accounts.authenticators import open_enrolment
    from safeguard.hub.accounts.models import User
    from safeguard.settings import get_settings

    user = User.objects.filter(username=username).first()
    if user is None:
        raise _fail(f"no user {username!r}")
    with transaction.atomic():
        until = open_enrolment(user, get_settings().enrol_hours)
        _audit("authenticator reset", f"accounts.User {user.pk} ({username})")
    typer.echo(
        f"{username}: authenticator removed; they may set up a new one when they sign in, "
        f"until {until:%d %b %Y %H:%M} UTC"
    )


@app.command("unlock")
def unlock(username: str = typer.Argument(..., help="Sign-in name.")) -> None:
    """Unlock an account locked after too many failed sign-ins."""
    _open()
    from axes.utils import reset

    removed = reset(username=username)
    _audit("sign-in lockout cleared", f"accounts.User ({username}): {removed} attempts cleared")
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
    Role.AUDITOR: ("auditor", "cheshire-east-cs", "Information Governance"),
    Role.ADMINISTRATOR: ("admin", "cheshire-east-cs", "Information Governance"),
}


@app.command("demo")
def demo() -> None:
    """Demo mode only: one account per role, each with a new password (printed) and an
    authenticator; run again to reset them. The demo police SPOC becomes the single point of
    contact of every children's home that has none."""
    from safeguard.settings import get_settings

    if not get_settings().demo:
        raise _fail("`users demo` works in demo mode only (SAFEGUARD_DEMO=true)")
    _open()
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.hub.accounts.models import Team, User
    from safeguard.hub.homes.models import ChildrensHome

    table = Table(title="Demo users (one per role)", title_justify="left")
    for column in ("username", "password", "role", "agency", "team"):
        table.add_column(column)
    for role, (username, agency, team) in DEMO_USERS.items():
        password = _made_password()
        with transaction.atomic():
            user, _ = User.objects.get_or_create(username=username)
            user.agency, user.roles = agency, [role.value]
            user.team = Team.named(agency, team)
            user.set_password(password)
            user.save()
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        table.add_row(username, password, ROLE_LABELS[role], agency, team)
    spoc = User.objects.get(username=DEMO_USERS[Role.POLICE_SPOC][0])
    homes = ChildrensHome.objects.filter(police_spoc=None).update(police_spoc=spoc)
    Console(width=200).print(table)
    if homes:
        typer.echo(f"{spoc.username} is now the police single point of contact for {homes} homes")
    typer.echo("A user's current one-time code: safeguard users code USERNAME (demo mode)")


@app.command("token")
def token(
    username: str = typer.Argument(..., help="The service account the token acts as."),
    name: str = typer.Option(..., "--name", help="What the token is for (an agency system)."),
    revoke: bool = typer.Option(
        False, "--revoke", help="Revoke the account's tokens of this name."
    ),
) -> None:
    """Make an API token for an account (printed once; only its SHA-256 is kept), or revoke
    one. The token acts as the account: its agency and roles decide what the API returns."""
    _open()
    from django.db import transaction
    from django.utils import timezone

    from safeguard.hub.accounts.models import ApiToken, User
    from safeguard.hub.api import digest

    user = User.objects.filter(username=username).first()
    if user is None:
        raise _fail(f"no user {username!r}")
    if revoke:
        with transaction.atomic():
            n = ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            _audit("API token revoked", f"accounts.ApiToken of {username}: {name} ({n})")
        typer.echo(f"{username}: {n} token(s) named {name!r} revoked")
        return
    value = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, name=name, digest=digest(value))
        _audit("API token made", f"accounts.ApiToken of {username}: {name}")
    typer.echo(value)

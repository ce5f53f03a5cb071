"""The command line's side of the hub: opening its store (Django set up, migrations applied),
and who is asking. Every command that reads a child or changes the hub acts as a named user -
`safeguard --as USER ...`, or the account in `SAFEGUARD_OPERATOR` - under the same access
policy and audit as the web (channel `cli`). With neither, it acts as the installation (the
hub's own server account), which may keep accounts and nothing else."""

from __future__ import annotations

import getpass
import os
from functools import cache
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from safeguard.access.caller import Caller, Refusal

#: The user named with `--as` (set by the root command).
acting_as: str | None = None


@cache
def open_store() -> None:
    """Set up Django on the configured database and bring its schema up to date (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.hub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def caller() -> Caller:
    """Who this command acts as (see the module's description), or exit 2 naming an account
    that does not exist."""
    open_store()
    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.access.policy import Actor
    from safeguard.hub.accounts.queries import actor_named
    from safeguard.settings import get_settings

    name = acting_as or get_settings().operator
    if not name:
        return Caller(Actor.of_installation(_login()), Channel.CLI)
    actor = actor_named(name)
    if actor is None:
        where = "--as" if acting_as else "SAFEGUARD_OPERATOR"
        typer.echo(f"no active account {name!r} ({where})", err=True)
        raise typer.Exit(2)
    return Caller(actor, Channel.CLI)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this process's user
        return f"uid {os.getuid()}"


#: Exit codes: a rule of the work refused it (2, like any other wrong input), or the access
#: policy did (3).
RULE, POLICY = 2, 3


def refused(refusal: Refusal, caller: Caller | None = None) -> typer.Exit:
    """Say why the hub refused (it has audited the refusal) and the exit to raise."""
    typer.echo(refusal.reason, err=True)
    if not refusal.rule and caller is not None and caller.actor.installation:
        typer.echo(
            "act as a named user: safeguard --as USER ... (or set SAFEGUARD_OPERATOR)", err=True
        )
    return typer.Exit(RULE if refusal.rule else POLICY)

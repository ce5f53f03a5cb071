"""`safeguard watch`: the hub's clocks checked - each app's watch alerts the named owners of
whatever has run out of time (contacts, agency checks, return home interviews, strategy
discussions, homes without a SPOC). `safeguard serve` runs it every minute beside the pages."""

from __future__ import annotations

import json
import time

import typer


def watch(
    every: int = typer.Option(
        0, "--every", min=0, help="Check again every this many seconds, until stopped (0: once)."
    ),
) -> None:
    """Check the clocks once (or every N seconds): each newly overdue thing alerts its named
    owner once per due time, and each first alert is a `clock_overdue` audit event (channel
    job). Emails that could not be sent are tried again."""
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.access.roles import Actor
    from safeguard.hub import reactions

    clocks = Caller(Actor.of_installation("clock watch"), Channel.JOB)
    while True:
        done = reactions.after(reactions.Stage.CLOCKS_CHECKED, clocks)
        if not every:
            typer.echo(json.dumps(done))
            return
        time.sleep(every)

"""`safeguard audit`: who looked at which person, searched, decided or was refused, and why;
`safeguard audit-verify`: is the trail's hash chain intact; `safeguard audit-anchor`: sign its
head outside the database."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table


def audit(
    person: str = typer.Option("", "--person", help="Only events about this person (P123 or 123)."),
    user: str = typer.Option("", "--user", help="Only this user's events."),
    flagged: bool = typer.Option(False, "--flagged", help="Only break-glass views for review."),
    limit: int = typer.Option(200, "--limit", min=1, help="At most this many, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """The audit trail, newest first: for auditors (reading it is itself audited)."""
    digits = person.strip().lstrip("Pp")
    if person and not digits.isdigit():
        typer.echo(f"{person!r} is not a person id (P123 or 123)", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.audit import services
    from safeguard.hub.audit.queries import Filters

    filters = Filters(int(digits) if digits else None, user, flagged, limit=limit)
    try:
        rows = services.trail(who, filters)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    fields = (
        "at",
        "username",
        "agency",
        "action",
        "person_id",
        "target",
        "allowed",
        "reason",
        "why",
        "lawful_basis",
        "flagged",
        "channel",
    )
    if as_json:
        for e in rows:
            typer.echo(json.dumps({f: getattr(e, f) for f in fields}, default=str))
        return
    table = Table(title=f"{len(rows)} audit events, newest first", title_justify="left")
    for column in ("when", "who", "what", "person", "decision", "their reason"):
        table.add_column(column)
    for e in rows:
        table.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            f"{e.username} ({e.agency})" if e.agency else e.username,
            e.action + (" [flagged]" if e.flagged else ""),
            f"P{e.person_id}" if e.person_id else "",
            ("allowed: " if e.allowed else "refused: ") + e.reason,
            e.why,
        )
    Console().print(table)


def verify(
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Check the audit trail's hash chain and its anchors; name the first broken link and exit
    1 when one is broken. For auditors and data operators (the check is itself audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.audit import services

    try:
        verdict = services.verify(who)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if as_json:
        broken = verdict.broken
        typer.echo(
            json.dumps(
                {
                    "ok": verdict.ok,
                    "chained": verdict.chained,
                    "head_seq": verdict.head_seq,
                    "head_hash": verdict.head_hash,
                    "anchors": verdict.anchors,
                    "signatures_checked": verdict.signatures_checked,
                    "not_chained_yet": verdict.unsealed,
                    "broken": broken.__dict__ if broken else None,
                }
            )
        )
    else:
        typer.echo(verdict.line())
    if not verdict.ok:
        raise typer.Exit(1)


def anchor() -> None:
    """Write a signed anchor of the audit trail's head (its last event and hash) to the anchor
    folder, outside the database; refused without an anchor key. The clocks' watch writes one
    daily."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from django.utils import timezone

    from safeguard.access.caller import Refusal
    from safeguard.hub.audit import anchors, services

    try:
        written = services.anchor(who, timezone.now())
    except Refusal as refusal:
        raise refused(refusal, who) from None
    except anchors.NoKey as e:
        typer.echo(f"not anchored: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"anchored event {written.seq} ({written.hash}) in {anchors.folder() / written.name}"
    )

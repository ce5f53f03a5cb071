"""`safeguard findings`: network findings with their evidence, and people's dispositions."""

from __future__ import annotations

import getpass
import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Network findings: list, show, dispose.", no_args_is_help=True)

BY_HELP = "Who decides (kept with the disposition); defaults to the login name."


def _open() -> None:
    from safeguard.cli.hub import open_store

    open_store()


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _row(f: Any) -> dict[str, Any]:
    return {
        "id": f.key,
        "kind": f.kind,
        "status": f.status,
        "active": f.active,
        "summary": f.summary,
        "at_risk_children": f.at_risk_children,
        "strength": f.strength,
        "first_seen": f.first_seen.isoformat() if f.first_seen else None,
        "last_seen": f.last_seen.isoformat() if f.last_seen else None,
        "members": len(f.members),
        "evidence": len(f.evidence),
        "new_members": [m["node"] for m in f.new_members],
    }


@app.command("list")
def list_findings(
    kind: str = typer.Option(None, "--kind", help="Only adult, object, place or community."),
    status: str = typer.Option(
        "open", "--status", help="open, under_investigation, explained, closed, or all."
    ),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """Findings of the latest analysis, most at-risk children and strongest evidence first."""
    _open()
    from safeguard.hub.intelligence.models import Finding

    rows = Finding.objects.filter(active=True)
    if status != "all":
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    found = list(rows.order_by("-at_risk_children", "-strength", "key")[:limit])
    if as_json:
        for f in found:
            typer.echo(json.dumps(_row(f)))
        return
    table = Table(title=f"{rows.count():,} findings ({status})", title_justify="left")
    table.add_column("id", no_wrap=True)  # typed back in: never folded
    for column in ("kind", "status", "at risk", "last seen", "summary"):
        table.add_column(column, overflow="fold")
    for f in found:
        r = _row(f)
        new = f"\nnewly linked: {', '.join(r['new_members'])}" if r["new_members"] else ""
        table.add_row(
            r["id"],
            r["kind"],
            r["status"],
            str(r["at_risk_children"]),
            (r["last_seen"] or "")[:10],
            r["summary"] + new,
        )
    Console().print(table)


@app.command("show")
def show(
    key: str = typer.Argument(..., help="The finding's id (from `findings list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """A finding's members, every evidence edge (record, agency, date, relation, strength),
    and its disposition history."""
    _open()
    from safeguard.hub.intelligence.store import RefusedDecision, finding

    try:
        f = finding(key)
    except RefusedDecision as exc:
        raise _fail(str(exc)) from None
    history = [
        {"status": d.status, "reason": d.reason, "by": d.decided_by, "at": d.decided_at.isoformat()}
        for d in f.dispositions.order_by("pk")
    ]
    if as_json:
        typer.echo(
            json.dumps(
                {**_row(f), "members": f.members, "evidence": f.evidence, "history": history},
                indent=2,
            )
        )
        return
    console = Console()
    console.print(f"[bold]{f.key}[/bold] ({f.kind}, {f.status}): {f.summary}")
    members = Table(title="Members", title_justify="left")
    members.add_column("node")
    members.add_column("role")
    for m in f.members:
        members.add_row(m["node"], m["role"])
    console.print(members)
    edges = Table(title="Evidence", title_justify="left")
    for column in ("date", "agency", "record", "relation", "from", "to", "strength"):
        edges.add_column(column, overflow="fold")
    for e in f.evidence:
        edges.add_row(
            (e["date"] or "")[:16],
            e["agency"],
            f"{e['kind']}:{e['record_id']}",
            e["relation"],
            e["from"],
            e["to"],
            str(e["strength"]),
        )
    console.print(edges)
    for h in history:
        console.print(f"{h['at'][:16]} {h['by']}: {h['status']} ({h['reason']})")


@app.command("dispose")
def dispose(
    key: str = typer.Argument(..., help="The finding's id."),
    status: str = typer.Option(
        ..., "--status", help="open, under_investigation, explained or closed."
    ),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the disposition)."),
    by: str = typer.Option(None, "--by", help=BY_HELP),
) -> None:
    """Set a finding's disposition. Explained and closed findings are no longer listed as
    open, keep their disposition when later runs find them again, and their links stop
    counting as evidence in screening."""
    _open()
    from safeguard.hub.intelligence.store import RefusedDecision
    from safeguard.hub.intelligence.store import dispose as record

    try:
        done = record(key, status, reason, by or getpass.getuser())
    except RefusedDecision as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"{key}: {done.status} (by {done.decided_by}: {done.reason})")

"""`safeguard findings`: network findings with their evidence, and people's dispositions."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Network findings: list, show, dispose.", no_args_is_help=True)

STATUSES = "open, under_investigation, explained or closed"


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
    kind: str = typer.Option(None, "--kind", help="Only adult, group, object, place or community."),
    status: str = typer.Option(
        "open", "--status", help="open, under_investigation, explained, closed, or all."
    ),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """Findings of the latest analysis, most at-risk children and strongest evidence first
    (for those who read intelligence; audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services
    from safeguard.hub.intelligence.queries import FindingFilters

    try:
        total, found = services.findings(who, FindingFilters(kind, status), limit)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    if as_json:
        for f in found:
            typer.echo(json.dumps(_row(f)))
        return
    table = Table(title=f"{total:,} findings ({status})", title_justify="left")
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
    """A finding's members, every evidence edge (record, agency, date, relation, strength)
    the reader may see, and its disposition history (audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services

    try:
        view = services.finding(who, key)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    f, history, evidence = view.finding, view.history, view.evidence
    if as_json:
        shown = {**_row(f), "members": f.members, "evidence": evidence, "history": history}
        typer.echo(json.dumps({**shown, "evidence_withheld": view.withheld}, indent=2))
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
    for e in evidence:
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
    if view.withheld:
        console.print(f"{view.withheld} evidence edges withheld: restricted records")
    for h in history:
        console.print(f"{h['at'][:16]} {h['by']}: {h['status']} ({h['reason']})")


@app.command("dispose")
def dispose(
    key: str = typer.Argument(..., help="The finding's id."),
    status: str = typer.Option(..., "--status", help=STATUSES.capitalize() + "."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the disposition)."),
) -> None:
    """Move a finding to a disposition, through its workflow (who may take each step is the
    transition table's). Explained and closed findings are no longer listed as open, keep
    their disposition when later runs find them again, and their links stop counting as
    evidence in screening."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services

    try:
        done = services.dispose(who, key, status, reason)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    typer.echo(f"{key}: {done.status} (by {done.decided_by}: {done.reason})")

"""`safeguard missing`: the latest analysis's missing-episode alerts, each with its records."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Missing-episode alerts.", no_args_is_help=True)

RECOMMENDATION = "strategy discussion recommended"


@app.command("list")
def list_alerts(
    kind: str = typer.Option(None, "--kind", help="Only repeat, long or rhi_overdue."),
    person: int = typer.Option(None, "--person", help="Only this person's alerts."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """Repeat-missing, long-missing and overdue return-home-interview alerts from the latest
    `safeguard analyse`, newest first, each with the episode records behind it: children the
    user has need to know of (audited)."""
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.intelligence import services
    from safeguard.hub.intelligence.queries import AlertFilters

    try:
        total, rows = services.alerts(who, AlertFilters(kind, person), limit)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    alerts = [
        {
            "person": a.person_id,
            "kind": a.kind,
            "day": a.day.isoformat(),
            "detail": a.detail,
            "records": a.records,
            "recommendation": RECOMMENDATION if a.kind in ("repeat", "long") else "",
        }
        for a in rows
    ]
    if as_json:
        for a in alerts:
            typer.echo(json.dumps(a))
        return
    table = Table(title=f"{total:,} missing-episode alerts", title_justify="left")
    for column in ("person", "kind", "when", "what", "records"):
        table.add_column(column, overflow="fold")
    for a in alerts:
        what = a["detail"] + (f"; {a['recommendation']}" if a["recommendation"] else "")
        table.add_row(str(a["person"]), a["kind"], a["day"][:16], what, "\n".join(a["records"]))
    Console().print(table)

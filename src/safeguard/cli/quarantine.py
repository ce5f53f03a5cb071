"""`safeguard quarantine`: the rows that were not accepted, and why (for data operators, who
fix deliveries with the agencies; audited, as the rows hold what was delivered)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="List and show quarantined rows.", no_args_is_help=True)


def _rows(limit: int, **filters: Any) -> tuple[int, list[Any]]:
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.deliveries import services
    from safeguard.hub.deliveries.queries import QuarantineFilters

    try:
        return services.quarantine(who, QuarantineFilters(**filters), limit)
    except Refusal as refusal:
        raise refused(refusal, who) from None


@app.command("list")
def list_rows(
    delivery: int | None = typer.Option(None, help="Only this delivery (its number)."),
    agency: str | None = typer.Option(None, help="Only this agency's deliveries (its code)."),
    file: str | None = typer.Option(None, help="Only this delivered file name."),
    limit: int = typer.Option(50, min=1, help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """List quarantined rows: where each came from and the first thing wrong with it."""
    total, rows = _rows(limit, delivery=delivery, agency=agency, file=file)
    if as_json:
        for q in rows:
            typer.echo(
                json.dumps(
                    {
                        "id": q.pk,
                        "delivery": q.delivery_id,
                        "agency": q.delivery.agency.code,
                        "file": q.file.name,
                        "row": q.row_number,
                        "problems": q.problems,
                    }
                )
            )
        return
    table = Table(title=f"Quarantined rows ({len(rows)} of {total})")
    for column in ("id", "delivery", "agency", "file", "row", "field", "value", "reason"):
        table.add_column(column, overflow="fold")
    for q in rows:
        more = f" (+{len(q.problems) - 1} more)" if len(q.problems) > 1 else ""
        table.add_row(
            str(q.pk),
            str(q.delivery_id),
            q.delivery.agency.code,
            q.file.name,
            str(q.row_number),
            q.field,
            q.value[:40],
            q.reason + more,
        )
    Console().print(table)


@app.command("show")
def show(row_id: int = typer.Argument(..., help="The quarantined row's id (from `list`).")) -> None:
    """Show one quarantined row: every problem, and the row as it was delivered."""
    _, rows = _rows(1, row_id=row_id)
    if not rows:
        typer.echo(f"no quarantined row {row_id}", err=True)
        raise typer.Exit(2)
    q = rows[0]
    console = Console()
    console.print(
        f"[bold]Row {q.row_number}[/] of {q.file.name}, delivery {q.delivery_id} "
        f"from {q.delivery.agency.name} (extract {q.delivery.extract_date})"
    )
    for p in q.problems:
        console.print(f"  [red]{p['field'] or 'row'}[/]: {p['reason']} (value {p['value']!r})")
    console.print("As delivered:")
    for key, value in q.raw.items():
        console.print(f"  {key} = {value!r}")

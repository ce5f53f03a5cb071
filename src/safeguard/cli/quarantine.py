"""`safeguard quarantine`: the rows that were not accepted, and why."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="List and show quarantined rows.", no_args_is_help=True)


def _rows(delivery: int | None, agency: str | None, file: str | None):  # type: ignore[no-untyped-def]
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.hub.deliveries.models import QuarantinedRow

    rows = QuarantinedRow.objects.select_related("file", "delivery__agency")
    if delivery is not None:
        rows = rows.filter(delivery_id=delivery)
    if agency:
        rows = rows.filter(delivery__agency__code=agency)
    if file:
        rows = rows.filter(file__name=file)
    return rows


@app.command("list")
def list_rows(
    delivery: int | None = typer.Option(None, help="Only this delivery (its number)."),
    agency: str | None = typer.Option(None, help="Only this agency's deliveries (its code)."),
    file: str | None = typer.Option(None, help="Only this delivered file name."),
    limit: int = typer.Option(50, min=1, help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON lines."),
) -> None:
    """List quarantined rows: where each came from and the first thing wrong with it."""
    rows = _rows(delivery, agency, file)
    total = rows.count()
    if as_json:
        for q in rows[:limit]:
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
    table = Table(title=f"Quarantined rows ({min(total, limit)} of {total})")
    for column in ("id", "delivery", "agency", "file", "row", "field", "value", "reason"):
        table.add_column(column, overflow="fold")
    for q in rows[:limit]:
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
    q = _rows(None, None, None).filter(pk=row_id).first()
    if q is None:
        typer.echo(f"no quarantined row {row_id}", err=True)
        raise typer.Exit(2)
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

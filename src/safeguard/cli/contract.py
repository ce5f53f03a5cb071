"""`safeguard contract`: show the agency data contract."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table


def contract(
    markdown: bool = typer.Option(
        False, "--markdown", help="Print the generated Markdown of docs/data-contract.md."
    ),
) -> None:
    """Show the record kinds agencies may deliver, their fields and which are required."""
    if markdown:
        from safeguard.contract.markdown import render_contract

        typer.echo(render_contract(), nl=False)
        return
    from safeguard.contract.kinds import CONTRACT_VERSION, KINDS

    table = Table(title=f"Agency data contract {CONTRACT_VERSION}")
    for column in ("kind", "required fields", "other fields"):
        table.add_column(column)
    for kind in KINDS.values():
        optional = [f.name for f in kind.fields if not f.required]
        table.add_row(kind.name, ", ".join(kind.required), ", ".join(optional))
    Console().print(table)

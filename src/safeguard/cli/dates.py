"""Dates given as options: one way to read them and one way to refuse a bad one."""

from __future__ import annotations

import datetime as dt

import typer


def optional_date(text: str | None, option: str) -> dt.date | None:
    """`text` (YYYY-MM-DD) as a date, None when not given; anything else stops the command with
    exit code 2 and a line naming `option`."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        typer.echo(f"{option}: {text!r} is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from None

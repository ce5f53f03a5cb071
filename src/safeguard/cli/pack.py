"""`safeguard pack`: the strategic group's meeting pack (PDF) from the command line, made as
the named user (a strategic lead) under the same policy and audit as the page's button."""

from __future__ import annotations

from pathlib import Path

import typer

from safeguard.cli.dates import optional_date


def pack(
    meeting: str = typer.Option(..., "--meeting", help="The meeting's date (YYYY-MM-DD)."),
    next_meeting: str = typer.Option(
        None, "--next", help="The next meeting's date (default: three months on)."
    ),
    out: Path = typer.Option(
        None, "--out", dir_okay=False, help="Also write the PDF to this file."
    ),
) -> None:
    """Make the meeting pack for the Multi-Agency Strategic Group: the agenda, the data set's
    KPIs with charts and trends (12 months to the meeting), the review's standing, actions due
    and overdue, exceptions and the yearly report, counts under 5 suppressed and no child
    named. Kept in the hub with its SHA-256 (listed at /governance/packs/) and audited."""
    when, following = optional_date(meeting, "--meeting"), optional_date(next_meeting, "--next")
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.governance.services import pack as packs

    try:
        made = packs.make(who, when, following)
    except Refusal as refusal:
        for field, why in refusal.problems.items():
            typer.echo(f"--{'next' if field == 'next_meeting' else field}: {why}", err=True)
        raise refused(refusal, who) from None
    if out is not None:
        out.write_bytes(bytes(made.pdf))
    where = f", written to {out}" if out else ""
    typer.echo(
        f"Meeting pack {made.pk} for {made.meeting_on.isoformat()} (figures to "
        f"{made.figures_to.isoformat()}, next meeting {made.next_meeting_on.isoformat()}): "
        f"{made.size:,} bytes, sha256 {made.sha256}{where}"
    )

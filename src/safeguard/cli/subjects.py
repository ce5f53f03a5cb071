"""`safeguard subject-access` and `safeguard retention`: data subjects' rights and retention
(docs/security.md). Thin adapters over `safeguard.hub.subjects.services`."""

from __future__ import annotations

from pathlib import Path

import typer


def subject_access(
    person: str = typer.Argument(..., help="The person (P123 or 123)."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="The folder to write into."),
) -> None:
    """Everything the hub holds about one person, for their subject access request: every
    agency's records, the hub's casework and decisions, and who viewed their record (as role
    and agency), with other people redacted. Written as JSON and a readable HTML copy. An
    auditor's work; each export is audited and flagged for review."""
    digits = person.strip().lstrip("Pp")
    if not digits.isdigit():
        typer.echo(f"{person!r} is not a person id (P123 or 123)", err=True)
        raise typer.Exit(2)
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.hub.subjects import services

    try:
        written, counts = services.subject_access(who, int(digits), out)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    for name, count in counts.items():
        typer.echo(f"{name}: {count}")
    for path in written:
        typer.echo(str(path))


def retention(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List what is past retention (counts only); remove nothing."
    ),
    today: str = typer.Option(
        "", "--today", help="Judge as on this date (YYYY-MM-DD), for a rehearsal; default today."
    ),
) -> None:
    """Remove the records past the retention schedule (SAFEGUARD_RETENTION, or the default),
    in one transaction, keeping those of a person under a legal hold and the whole audit
    trail; print counts by record type (no personal data). A data operator's work; audited."""
    from safeguard.cli.dates import optional_date

    day = optional_date(today, "--today")
    from safeguard.cli.hub import caller, refused

    who = caller()
    from safeguard.access.caller import Refusal
    from safeguard.governance.retention import ScheduleError
    from safeguard.hub.subjects import services

    try:
        done = services.retention(who, apply=not dry_run, today=day)
    except Refusal as refusal:
        raise refused(refusal, who) from None
    except ScheduleError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    verb = "removed" if done.applied else "past retention"
    typer.echo(f"schedule: {done.schedule}")
    for kind, t in sorted(done.tallies.items()):
        typer.echo(f"{kind}: {t.past} {verb}, {t.held} held, {t.kept} kept")
    what = "removed" if done.applied else "to remove"
    typer.echo(f"agency record versions {what}: {done.versions}")
    if done.applied:
        typer.echo(f"rows removed from the landed deliveries: {done.landed}")
    if done.applied and done.versions:
        typer.echo("Run `safeguard analyse` so screenings and findings no longer cite them.")

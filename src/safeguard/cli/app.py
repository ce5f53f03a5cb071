"""`safeguard`: the command line. Each command is documented in docs/cli.md (a test checks)."""

from __future__ import annotations

import typer

from safeguard.cli import (
    analyse,
    audit,
    backup,
    contract,
    evaluate,
    explain,
    findings,
    governance,
    hub,
    ingest,
    jobs,
    link,
    link_files,
    mace,
    mash,
    missing,
    pack,
    people,
    quarantine,
    review,
    screening,
    serve,
    subjects,
    synth,
    users,
    watch,
)

app = typer.Typer(
    name="safeguard",
    help="Safeguard: the multi-agency safeguarding hub. Synthetic data only in demos and tests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    as_user: str = typer.Option(
        None,
        "--as",
        help="Act as this user (their agency and roles decide what the hub allows; audited as "
        "theirs). Default: the account in SAFEGUARD_OPERATOR.",
    ),
) -> None:
    """Safeguard: the multi-agency safeguarding hub. Synthetic data only in demos and tests."""
    hub.acting_as = as_user


app.command("synth")(synth.synth)
app.command("ingest")(ingest.ingest)
app.add_typer(quarantine.app, name="quarantine")
app.command("contract")(contract.contract)
app.command("link")(link.link)
app.command("link-files")(link_files.link_files)
app.add_typer(review.app, name="review")
app.command("explain")(explain.explain)
app.add_typer(people.app, name="people")
app.command("analyse")(analyse.analyse)
app.add_typer(findings.app, name="findings")
app.add_typer(screening.app, name="screening")
app.add_typer(missing.app, name="missing")
app.add_typer(evaluate.app, name="evaluate")
app.add_typer(users.app, name="users")
app.command("audit")(audit.audit)
app.command("audit-verify")(audit.verify)
app.command("audit-anchor")(audit.anchor)
app.command("serve")(serve.serve)
app.add_typer(jobs.app, name="jobs")
app.add_typer(mash.app, name="mash")
app.add_typer(mace.app, name="mace")
app.add_typer(governance.app, name="governance")
app.command("pack")(pack.pack)
app.command("watch")(watch.watch)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("subject-access")(subjects.subject_access)
app.command("retention")(subjects.retention)


def main() -> None:
    from safeguard.settings import settings_or_exit

    settings_or_exit()  # a wrong setting stops here with one line, before any command runs
    app()

"""`safeguard link-files`: deduplicate one CSV file of people or link two, outside the hub."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

SHOWN = 20  # left-out rows listed one by one; the rest are counted


def link_files(
    files: list[Path] = typer.Argument(
        ..., help="One CSV file to deduplicate, or two to link (UTF-8, with a header row)."
    ),
    id_column: str = typer.Option(
        ..., "--id", help="The column holding each record's id (written to the outputs)."
    ),
    mapping: list[str] | None = typer.Option(
        None,
        "--map",
        help="SOURCE_COLUMN=field: read a column as a people field or as `identifier` (repeat "
        "for each column; several columns onto forenames, surname, other_names, address or town "
        "are joined in order). Columns already named as fields need none.",
    ),
    out: Path = typer.Option(..., "--out", help="Folder for pairs.csv and clusters.csv."),
    upper: float = typer.Option(
        0.99, "--upper", help="Cluster records joined by pairs at or above this probability."
    ),
    lower: float = typer.Option(
        0.5, "--lower", help="Keep pairs in pairs.csv at or above this probability."
    ),
    twins_not_a_concern: bool = typer.Option(
        False,
        "--twins-not-a-concern",
        help="Only for files known to hold no twins and no parent and child named alike (or "
        "where joining them does no harm): records with no identifier are no longer kept apart "
        "when only the first name, or only the birth date, disagrees outright.",
    ),
    explain_model: bool = typer.Option(
        False,
        "--explain-model",
        help="Print what the model learnt: the prior, and each comparison's levels with their "
        "m, u and match weight.",
    ),
) -> None:
    """Deduplicate one file of person records or link two, with a model trained on them.

    Writes pairs.csv (id_l, id_r, match_probability) and clusters.csv (id, cluster_id). Rows
    without a usable id are listed and left out; values that fail their check are listed and
    blanked. With --explain-model, the model's prior and levels (m, u, match weight) are
    printed. Exit code 2: an input that cannot be used (nothing is written).
    """
    from pydantic import ValidationError

    from safeguard.linkage.config import LinkageConfig
    from safeguard.linkage.files import LinkFilesError, link_files, parse_mapping

    try:
        config = LinkageConfig(upper=upper, lower=lower)
    except ValidationError as exc:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        typer.echo(f"error: thresholds: {problems}", err=True)
        raise typer.Exit(2) from None
    # Splink's training notes (levels too rare to train on a small file) are not for the user
    logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        result = link_files(
            files,
            id_column,
            out,
            parse_mapping(mapping or []),
            config,
            twins_apart=not twins_not_a_concern,
        )
    except LinkFilesError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for item in result.left_out[:SHOWN]:
        typer.echo(f"left out: {item}", err=True)
    if len(result.left_out) > SHOWN:
        typer.echo(f"left out: ... and {len(result.left_out) - SHOWN:,} more rows", err=True)
    for blank in result.blanked[:SHOWN]:
        typer.echo(f"blanked: {blank}", err=True)
    if len(result.blanked) > SHOWN:
        typer.echo(f"blanked: ... and {len(result.blanked) - SHOWN:,} more values", err=True)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    if explain_model:
        from safeguard.linkage.explain import describe_model

        typer.echo("\n".join(describe_model(result.model)))
    typer.echo(
        f"Read {result.records:,} records from {len(files)} file(s), left out "
        f"{len(result.left_out):,}, blanked {len(result.blanked):,} values; "
        f"{result.pairs:,} pairs at probability >= {config.lower}, "
        f"{result.clusters:,} clusters at >= {config.upper}, in {result.seconds} s. "
        f"Written to {out}.",
        err=True,
    )

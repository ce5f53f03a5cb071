"""`safeguard evaluate`: measure the hub's results against the synthetic ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Measure results against the synthetic truth.", no_args_is_help=True)


@app.command("linkage")
def linkage(
    truth: Path = typer.Option(
        ..., "--truth", help="The partnership's truth/ folder (or its parent)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: int = typer.Option(10, "--errors", min=0, help="How many of the worst errors to list."),
) -> None:
    """Pairwise precision, recall and F1 and B-cubed scores of the last `safeguard link` run."""
    from safeguard.linkage.evaluate import score, truth_from, worst_errors

    clusters = _people().rename_columns(["unique_id", "cluster_id"])
    try:
        gold = truth_from(truth)
    except FileNotFoundError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    s = score(clusters, gold)
    worst = worst_errors(clusters, gold, errors).to_pylist()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "records": s.records,
                    "pairwise": {
                        "precision": s.precision,
                        "recall": s.recall,
                        "f1": s.f1,
                        "true_pairs": s.true_pairs,
                        "predicted_pairs": s.predicted_pairs,
                        "correct_pairs": s.correct_pairs,
                    },
                    "bcubed": {"precision": s.bcubed_precision, "recall": s.bcubed_recall},
                    "worst_errors": worst,
                },
                indent=2,
            )
        )
        return
    console = Console()
    console.print(
        f"{s.records:,} records: pairwise precision {s.precision:.4f}, recall "
        f"{s.recall:.4f}, F1 {s.f1:.4f}; B-cubed precision {s.bcubed_precision:.4f}, "
        f"recall {s.bcubed_recall:.4f}"
    )
    table = Table(title="Worst errors")
    for column in ("error", "records", "parts", "records involved"):
        table.add_column(column)
    for e in worst:
        table.add_row(e["error"], str(e["records"]), str(e["parts"]), ", ".join(e["unique_ids"]))
    console.print(table)


def _people() -> pa.Table:
    """The hub's record of who is who (each linked record's person), or exit 2 saying what to
    run. Synthetic partnerships only: the truth says who is really who."""
    from safeguard.cli.hub import open_store

    open_store()
    from safeguard.hub.people.queries import current_people

    people = current_people()
    if not people.num_rows:
        typer.echo("no linkage results yet: run `safeguard link` first", err=True)
        raise typer.Exit(2)
    return people


def _truth_folder(path: Path) -> Path:
    return path / "truth" if (path / "truth").is_dir() else path


@app.command("intelligence")
def intelligence(
    truth: Path = typer.Option(
        ..., "--truth", help="The partnership's truth/ folder (or its parent)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Victims identified (recall, precision), trap children flagged, lead time and flag rates
    by sex and ethnicity: joined up (linked people) beside the siloed baseline (each agency's
    own records, the best agency reported)."""
    from safeguard.cli.analyse import load_catalogue
    from safeguard.intelligence.evaluate import TruthError, evaluate

    catalogue = load_catalogue()
    people = _people()
    from safeguard.hub.deliveries.queries import loaded_files

    try:
        figures = evaluate(loaded_files(), people, _truth_folder(truth), catalogue)
    except TruthError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(figures, indent=2, default=str))
        return
    table = Table(title=f"Victims identified ({figures['victims']} planted)", title_justify="left")
    table.add_column("measure")
    table.add_column("joined up", justify="right")
    table.add_column(f"siloed (best: {figures['siloed']['agency']})", justify="right")
    for key in (
        "victim_recall",
        "victim_precision",
        "flagged",
        "trap_false_flags",
        "median_lead_time_days",
        "network_recall",
        "networks_found",
        "trap_adults_in_findings",
    ):
        table.add_row(key, str(figures["joined_up"][key]), str(figures["siloed"][key]))
    paired = figures["joined_up"]["against_siloed"]
    everyone = paired["median_days_to_flag_all_victims"]
    table.add_row(
        "median days to flag, all victims",
        str(everyone["joined_up"]),
        str(everyone["best_agency"]),
    )
    Console().print(table)
    best = paired["best_agency"]
    Console().print(
        f"Victim by victim against the best agency: {best['victims_both']} flagged by both, "
        f"{best['flagged_earlier']} of them earlier joined up (median "
        f"{best['median_days_earlier']} days earlier); {best['victims_joined_only']} flagged "
        f"only joined up, {best['victims_siloed_only']} only by the agency."
    )

"""A small seeded partnership, landed as Parquet through ingest, and a model trained on it once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import typer

from safeguard.cli.link_files import link_files as link_files_command
from safeguard.ingest.pipeline import prepare
from safeguard.ingest.source import open_delivery
from safeguard.linkage import model, predict
from safeguard.linkage.records import PeopleFile, people_frame
from safeguard.synthetic import generate


@dataclass
class Linked:
    people: pa.Table
    truth: pa.Table
    folder: Path
    prediction: predict.Prediction
    report: model.TrainingReport


def _land(partnership: Path, landing: Path) -> list[PeopleFile]:
    files = []
    for delivery in sorted(p.parent for p in partnership.glob("*/manifest.json")):
        prepared = prepare(open_delivery(delivery), landing, [], 50_000)
        assert prepared.landed is not None and prepared.files is not None
        agency = prepared.source.manifest.agency
        for landed in prepared.files:
            if landed.source.kind == "people":
                files.append(PeopleFile(agency, 1, prepared.landed / landed.parquet))
    return files


@dataclass
class Landed:
    files: list[PeopleFile]
    truth: pa.Table


@pytest.fixture(scope="session")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Landed:
    """The people files of a 1,000-child partnership, landed once for the session."""
    root = tmp_path_factory.mktemp("linkage")
    generate(root / "p", children=1000, seed=7)
    files = _land(root / "p", root / "landing")
    truth = duckdb.sql(
        f"select agency || ':' || record_id as unique_id, person_id "
        f"from read_csv('{root / 'p' / 'truth' / 'records.csv'}') where kind = 'people'"
    ).to_arrow_table()
    return Landed(files, truth)


@pytest.fixture(scope="session")
def linked(landed: Landed, tmp_path_factory: pytest.TempPathFactory) -> Linked:
    root = tmp_path_factory.mktemp("linked")
    people = people_frame(landed.files)
    truth = landed.truth
    linker, report = model.train(people)
    model.save(linker, report, root / "model")
    return Linked(people, truth, root / "model", predict.predict(linker), report)


def link_files_app() -> typer.Typer:
    """`safeguard link-files` alone, as a Typer app for CliRunner."""
    app = typer.Typer()
    app.command("link-files")(link_files_command)

    @app.command("unused")
    def _unused() -> None:  # two commands, so the app takes the command name as Click does
        """Not used."""

    return app

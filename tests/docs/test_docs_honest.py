"""Docs that tests keep honest: every command, option and setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from safeguard.cli.app import app
from safeguard.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _commands(group, prefix: str = "safeguard"):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_command_and_option_is_in_cli_md() -> None:
    text = (DOCS / "cli.md").read_text()
    commands = list(_commands(typer.main.get_command(app)))  # type: ignore[arg-type]
    assert len(commands) >= 5
    for name, command in commands:
        heading = f"### `{name}`"
        assert heading in text, f"docs/cli.md has no section {heading}"
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                assert any(f"`{opt}" in section for opt in param.opts), (
                    f"docs/cli.md: {name} does not document {param.opts[0]}"
                )


def test_every_setting_is_in_configuration_md() -> None:
    text = (DOCS / "configuration.md").read_text()
    for name, field in Settings.model_fields.items():
        variable = field.validation_alias or f"SAFEGUARD_{name.upper()}"
        assert f"`{variable}`" in text, f"docs/configuration.md does not document {variable}"


def test_every_audit_event_is_in_hub_md() -> None:
    from safeguard.access.events import EVENTS

    text = (DOCS / "hub.md").read_text()
    section = text.split("### Every event", 1)[1].split("\n## ", 1)[0]
    for name, kind in EVENTS.items():
        assert f"| `{name}` |" in section, f"docs/hub.md does not list the audit event {name}"
        assert kind.label in section, f"docs/hub.md: {name}'s label differs from the code's"


def test_every_role_is_in_hub_md() -> None:
    from safeguard.access.policy import ROLE_LABELS

    text = (DOCS / "hub.md").read_text()
    for label in ROLE_LABELS.values():
        assert label.lower() in text.lower(), f"docs/hub.md does not name the role {label}"


def test_every_stage_reaction_is_in_architecture_md() -> None:
    import django

    django.setup()
    from safeguard.hub import reactions

    text = (DOCS / "architecture.md").read_text()
    for stage, names in reactions.registered().items():
        assert stage.value in text, f"docs/architecture.md does not name the stage {stage.value}"
        for name in names:
            assert f"`{name}`" in text, f"docs/architecture.md does not list the reaction {name}"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert (
        first_block and "make demo" in first_block.group(1) and "make test" in first_block.group(1)
    )
    for link in re.findall(r"\]\((docs/[^)]+|bench/[^)]+)\)", readme):
        assert (DOCS.parent / link).exists(), f"README links to missing {link}"


def test_every_clock_and_its_default_is_in_timescales_md() -> None:
    from safeguard import timescales

    text = (DOCS / "timescales.md").read_text()
    for clock in timescales.load().clocks.values():
        basis = "local practice" if clock.local else "statutory"
        row = f"| `{clock.name}` | {clock.label} | {clock.describe()} | {basis} |"
        assert row in text, f"docs/timescales.md does not show the clock: {row}"


def test_the_worked_deadlines_in_timescales_md_hold() -> None:
    import datetime as dt

    from safeguard import timescales

    clocks, at = timescales.load(), dt.datetime
    red, decision = clocks.clock("mash_red"), clocks.clock("referral_decision")
    assert timescales.due(red, at(2026, 12, 4, 15)) == at(2026, 12, 7, 11)  # Friday to Monday
    assert timescales.due(red, at(2026, 8, 28, 15)) == at(2026, 9, 1, 11)  # bank holiday Monday
    assert timescales.due(decision, at(2026, 12, 7, 10)) == at(2026, 12, 9)  # end of Tuesday
    assert timescales.due(decision, at(2026, 12, 5, 10)) == at(
        2026, 12, 8
    )  # Saturday: Monday's end
    rhi = clocks.clock("return_home_interview")
    assert timescales.due(rhi, at(2026, 10, 24, 12)) == at(2026, 10, 27, 11)  # clocks go back
    text = (DOCS / "timescales.md").read_text()
    assert "due at 11:00 on" in text and "Tuesday 11:00 by the wall clock" in text

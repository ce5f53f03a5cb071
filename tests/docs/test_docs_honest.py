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


def test_readme_opens_with_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert (
        first_block and "make demo" in first_block.group(1) and "make test" in first_block.group(1)
    )
    for link in re.findall(r"\]\((docs/[^)]+|bench/[^)]+)\)", readme):
        assert (DOCS.parent / link).exists(), f"README links to missing {link}"

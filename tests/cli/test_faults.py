"""Faults and misconfiguration: a hostile delivery through the real command leaves the store as it
was; a wrong setting stops every entry point with one line naming it, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from safeguard.settings import Settings, get_settings, settings_or_exit, variable
from tests.conftest import MANIFEST
from tests.store_probe import query

# a value of the wrong type for every type a setting may have
WRONG: dict[Any, str] = {
    int: "many",
    float: "many",
    bool: "maybe",
    list[str]: '["unclosed"',
}
# types any text is a value of: there is no wrong value to give them
FREE_TEXT = {str, Path, str | None, Path | None, SecretStr, SecretStr | None}


def test_a_hostile_zip_through_the_command_leaves_the_store_untouched(
    cli, operator_env, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(MANIFEST))
        z.writestr("people.csv", b"record_id\n" + b"P" * (12 * 2**20))
    done = cli(operator_env, "ingest", str(bomb), "--json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["totals"] == {"read": 0, "accepted": 0, "quarantined": 0}
    (delivery,) = report["deliveries"]
    assert delivery["outcome"] == "rejected" and "zip bomb" in delivery["message"]
    for table in ("deliveries_delivery", "deliveries_sourcerecord", "deliveries_quarantinedrow"):
        assert query(operator_env, f"SELECT count(*) FROM {table}") == [(0,)], table
    landing = Path(operator_env["SAFEGUARD_DATA_DIR"]) / "landing"
    assert not landing.exists() or not [p for p in landing.rglob("*") if p.is_file()]


def _wrong_values() -> list[tuple[str, str]]:
    cases = []
    for name, field in Settings.model_fields.items():
        if field.annotation in FREE_TEXT:
            continue
        assert field.annotation in WRONG, f"give settings of type {field.annotation} a bad value"
        cases.append((name, WRONG[field.annotation]))
    return cases


@pytest.mark.parametrize(("name", "value"), [*_wrong_values(), ("link_upper", "2")])
def test_a_wrong_setting_stops_start_up_with_one_line_naming_it(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable(name), value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            settings_or_exit()
    finally:
        get_settings.cache_clear()
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"safeguard: misconfigured: {variable(name)}: ")
    assert value not in lines[0].removeprefix(f"safeguard: misconfigured: {variable(name)}")


def test_every_setting_with_a_type_is_tried() -> None:
    tried = {name for name, _ in _wrong_values()}
    assert {"ingest_max_columns", "allowed_hosts", "demo", "link_lower"} <= tried


@pytest.mark.parametrize(
    ("command", "variable_name", "value"),
    [
        ([sys.executable, "-m", "safeguard", "serve"], "SAFEGUARD_ALLOWED_HOSTS", "[hub"),
        ([sys.executable, "-c", "import safeguard.hub.wsgi"], "SAFEGUARD_IDLE_MINUTES", "ten"),
    ],
)
def test_the_command_and_the_web_server_stop_without_a_traceback(
    command: list[str], variable_name: str, value: str, tmp_path: Path
) -> None:
    env = {**os.environ, variable_name: value, "SAFEGUARD_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and variable_name in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""

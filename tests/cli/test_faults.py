"""Faults and misconfiguration: a hostile delivery through the real command leaves the store as it
was; the hub killed during a web write keeps all of it or none, and the same form sent again lands
once; a wrong setting stops every entry point with one line naming it, never a traceback."""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import IPvAnyNetwork, SecretStr

from safeguard.settings import Settings, get_settings, settings_or_exit, variable
from tests.browser.helpers import free_port
from tests.conftest import MANIFEST
from tests.store_probe import query

# a value of the wrong type for every type a setting may have
WRONG: dict[Any, str] = {
    int: "many",
    float: "many",
    bool: "maybe",
    list[str]: '["unclosed"',
    list[IPvAnyNetwork]: '["not-an-address"]',
}
# types any text is a value of: there is no wrong value to give them
FREE_TEXT = {str, Path, str | None, Path | None, SecretStr, SecretStr | None}


def _bomb(folder: Path) -> Path:
    bomb = folder / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(MANIFEST))
        z.writestr("people.csv", b"record_id\n" + b"P" * (12 * 2**20))
    return bomb


class Served:
    """`safeguard serve` on a free port, and a client of its public report form."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "safeguard", "serve", "--no-worker", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with self.opener.open(self.url("/healthz"), timeout=2):
                    return
            except OSError:
                assert self.process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def form(self) -> dict[str, str]:
        with self.opener.open(self.url("/report/"), timeout=30) as r:
            page = r.read().decode()
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', page))
        return {**fields, "what": "A man waits outside the school in a car.", "tell": "no"}

    def post(self, data: dict[str, str]) -> int:
        request = urllib.request.Request(
            self.url("/report/"),
            urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.url("/report/")},
        )
        try:
            with self.opener.open(request, timeout=60) as r:
                return int(r.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            return 0  # the server died under it

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def _concerns(env: dict[str, str]) -> tuple[int, int]:
    stored = query(env, "SELECT count(*) FROM concerns_concern")[0][0]
    audited = query(env, "SELECT count(*) FROM audit_auditevent WHERE action = 'concern_reported'")
    return int(stored), int(audited[0][0])


def test_a_hostile_zip_and_a_killed_web_write_leave_the_store_whole(
    cli, cli_env, tmp_path: Path
) -> None:
    """One store: a zip bomb through `safeguard ingest` changes nothing; the hub killed while a
    form is posted keeps the whole write or none of it, and the same form sent again after a
    restart lands once. (`bench/bench_faults.py` kills link, analyse and web writes 20 times.)"""
    added = cli(
        cli_env, "users", "add", "op", "--agency", "cheshire-police", "--role", "data_operator"
    )
    assert added.returncode == 0, added.stderr
    done = cli({**cli_env, "SAFEGUARD_OPERATOR": "op"}, "ingest", str(_bomb(tmp_path)), "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["totals"] == {"read": 0, "accepted": 0, "quarantined": 0}
    (delivery,) = report["deliveries"]
    assert delivery["outcome"] == "rejected" and "zip bomb" in delivery["message"]
    for table in ("deliveries_delivery", "deliveries_sourcerecord", "deliveries_quarantinedrow"):
        assert query(cli_env, f"SELECT count(*) FROM {table}") == [(0,)], table
    landing = Path(cli_env["SAFEGUARD_DATA_DIR"]) / "landing"
    assert not landing.exists() or not [p for p in landing.rglob("*") if p.is_file()]

    env = {**cli_env, "SAFEGUARD_DEMO": "true", "SAFEGUARD_PUBLIC_REPORTS_PER_HOUR": "1000"}
    hub = Served(env)
    data = hub.form()
    answers: list[int] = []
    poster = threading.Thread(target=lambda: answers.append(hub.post(data)))
    poster.start()
    time.sleep(random.uniform(0, 0.3))
    hub.kill()
    poster.join()
    stored, audited = _concerns(env)
    assert stored == audited and stored in (0, 1)  # all of the write or none of it
    hub = Served(env)
    try:
        again = hub.post({**data, "csrfmiddlewaretoken": hub.form()["csrfmiddlewaretoken"]})
    finally:
        hub.kill()
    assert again == (400 if stored else 200)  # sent twice: "we already have this report"
    assert _concerns(env) == (1, 1)


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

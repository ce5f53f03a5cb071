"""`safeguard pack`: the meeting pack made as a named strategic lead (kept, written with
--out, hashed), a bad date refused as a rule of the work (exit 2) and anyone else
refused by the policy (exit 3)."""

from __future__ import annotations

import hashlib
import re


def test_the_meeting_pack_from_the_command_line(cli, cli_env, tmp_path):
    demo = {**cli_env, "SAFEGUARD_DEMO": "true"}
    assert cli(demo, "users", "demo", "--quiet").returncode == 0
    out = tmp_path / "pack.pdf"
    made = cli(demo, "--as", "strategic", "pack", "--meeting", "2026-11-30", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert "figures to 2026-11-30, next meeting 2027-02-28" in made.stdout
    digest = re.search(r"sha256 ([0-9a-f]{64})", made.stdout).group(1)
    assert out.read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest

    wrong = cli(
        demo, "--as", "strategic", "pack", "--meeting", "2026-11-30", "--next", "2026-11-01"
    )
    assert wrong.returncode == 2 and "--next: The next meeting must be after" in wrong.stderr
    assert cli(demo, "--as", "strategic", "pack", "--meeting", "30/11").returncode == 2
    assert cli(demo, "--as", "auditor", "pack", "--meeting", "2026-11-30").returncode == 3

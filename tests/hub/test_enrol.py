"""Setting up an authenticator at sign-in: only inside a window an administrator opened, only
with the app's current code, and audited."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import User
from safeguard.hub.accounts.services import open_enrolment
from safeguard.hub.audit.models import AuditEvent
from tests.hub.conftest import PASSWORD, password_step

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{value:06d}"


def _newcomer(hours: int | None = 72) -> User:
    user = User(username="newcomer", agency="cheshire-police", roles=["police_officer"])
    user.set_password(PASSWORD)
    user.save()
    if hours is not None:
        open_enrolment(user, hours)
    return user


def test_a_new_user_sets_up_their_app_from_the_qr_code_and_is_signed_in() -> None:
    user = _newcomer()
    client = password_step(user)
    step = client.get("/accounts/verify/")
    assert step.status_code == 302 and step["Location"].startswith("/accounts/enrol/")
    page = client.get("/accounts/enrol/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Set up your authenticator app" in text
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert client.get("/accounts/enrol/").status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1  # the same device on every visit

    wrong = client.post("/accounts/enrol/", {"otp_token": _code(device, offset=-5)})
    assert wrong.status_code == 200 and "The code is wrong" in wrong.content.decode()
    assert client.get("/").status_code == 302  # not signed in yet
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()

    done = client.post("/accounts/enrol/", {"otp_token": _code(device)})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    user.refresh_from_db()
    assert device.confirmed and user.enrol_until is None
    events = AuditEvent.objects.filter(username="newcomer").order_by("pk")
    assert [(e.action, e.allowed) for e in events] == [
        ("refused", False),
        ("signed_in", True),
    ]
    assert "set up an authenticator" in events[1].reason
    # the window closed: a second device cannot be added
    again = password_step(user).get("/accounts/enrol/")
    assert again.status_code == 302 and again["Location"].startswith("/accounts/verify/")


@pytest.mark.parametrize("hours", [None, -1])
def test_without_an_open_window_there_is_no_way_to_add_a_device(hours: int | None) -> None:
    user = _newcomer(None)
    if hours is not None:
        user.enrol_until = timezone.now() + dt.timedelta(hours=hours)
        user.save()
    client = password_step(user)
    page = client.get("/accounts/verify/")
    assert page.status_code == 200
    assert "No authenticator is registered" in page.content.decode()
    refused = client.get("/accounts/enrol/")
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/verify/")
    assert client.post("/accounts/enrol/", {"otp_token": "123456"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_an_administrator_resets_a_lost_authenticator(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    officer = make_user("officer", "police_officer")
    admin = sign_in(make_user("admin", "administrator"))
    done = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_authenticator", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert "may set up a new authenticator" in done.content.decode()
    officer.refresh_from_db()
    assert officer.enrol_until is not None and officer.enrol_until > timezone.now()
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_the_cli_adds_an_account_to_set_up_at_sign_in_and_resets_one(
    cli: Any, cli_env: Any
) -> None:
    added = cli(
        cli_env,
        "users",
        "add",
        "pc2",
        "--agency",
        "cheshire-police",
        "--role",
        "police_officer",
        "--enrol-at-sign-in",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    shown = json.loads(added.stdout)
    assert shown["otpauth"] is None and shown["enrol_until"]
    demo_env = {**cli_env, "SAFEGUARD_DEMO": "true"}
    assert cli(demo_env, "users", "code", "pc2").returncode == 2  # no authenticator yet

    cli(cli_env, "users", "add", "pc3", "--agency", "cheshire-police", "--role", "police_officer")
    assert cli(demo_env, "users", "code", "pc3").returncode == 0
    reset = cli(cli_env, "users", "reset-authenticator", "pc3")
    assert reset.returncode == 0 and "authenticator removed" in reset.stdout
    assert cli(demo_env, "users", "code", "pc3").returncode == 2
    assert cli(cli_env, "users", "reset-authenticator", "nobody").returncode == 2
    refused = cli(cli_env, "audit", "--flagged", "--json")  # the installation reads no audit
    assert refused.returncode == 3 and "--as USER" in refused.stderr
    cli(cli_env, "users", "add", "aud", "--agency", "cheshire-police", "--role", "auditor")
    trail = cli(cli_env, "--as", "aud", "audit", "--flagged", "--json")
    done = [json.loads(line) for line in trail.stdout.splitlines()]
    changes = [e["target"] for e in done if e["action"] == "administered"]
    assert any(" (pc2) added" in t for t in changes) and any(
        "pc3): authenticator reset" in t for t in changes
    )
    assert all(e["username"].startswith("installation:") for e in done), done
    assert all(e["channel"] == "cli" and e["flagged"] for e in done)
    both = cli(
        cli_env,
        "users",
        "add",
        "x1",
        "--agency",
        "a",
        "--role",
        "administrator",
        "--role",
        "mash_practitioner",
    )
    assert both.returncode == 2 and "separation of duties" in both.stderr


def test_a_reset_signs_the_user_out_everywhere(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    officer = make_user("officer", "police_officer")
    signed_in = sign_in(officer)  # e.g. on a lost laptop
    half = password_step(officer)  # password only, before the reset
    assert signed_in.get("/").status_code == 200
    open_enrolment(officer, 72)
    gone = signed_in.get("/")
    assert gone.status_code == 302 and gone["Location"].startswith("/accounts/login/")
    stale = half.get("/accounts/enrol/")
    assert stale.status_code == 302 and stale["Location"] == "/accounts/login/"
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_confirming_one_device_removes_any_other_begun_in_another_tab() -> None:
    user = _newcomer()
    client = password_step(user)
    assert client.get("/accounts/enrol/").status_code == 200
    shown = TOTPDevice.objects.get(user=user)
    stray = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    assert client.get("/accounts/enrol/").status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 2  # the first is shown again
    done = client.post("/accounts/enrol/", {"otp_token": _code(shown)})
    assert done.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [shown]
    assert not TOTPDevice.objects.filter(pk=stray.pk).exists()

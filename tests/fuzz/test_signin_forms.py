"""Hostile values in the sign-in forms, which `test_forms.py` leaves out because they change the
session its other posts use: the password step (each field in turn), the code step, setting up
an authenticator, and the one field a button sends (`next`, marking an alert read). Each from a
session of its own. Whatever the value: never a server error, never shown as markup, nobody
signed in by it, no account or authenticator changed, and `next` never leads off the hub."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import User
from safeguard.hub.accounts.services import open_enrolment
from tests.fuzz import hostile
from tests.hub.conftest import PASSWORD, current_code, password_step

pytestmark = pytest.mark.django_db


def _account(username: str, confirmed: bool = True) -> User:
    user = User(username=username, agency="cheshire-police", roles=["mash_practitioner"])
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=confirmed)
    return user


def _held(response: Any) -> None:
    assert response.status_code < 500, response.status_code
    assert not [m for m in hostile.RAW_MARKUP if m in response.content.decode(errors="replace")]


def _signed_in(client: Client) -> bool:
    home = client.get("/")
    return home.status_code == 200


def _state(user: User) -> tuple[Any, ...]:
    user.refresh_from_db()
    devices = TOTPDevice.objects.filter(user=user).values_list("key", "confirmed")
    return user.password, user.enrol_until, user.is_active, sorted(devices)


def test_hostile_values_in_the_sign_in_forms() -> None:
    for turn, value in enumerate(hostile.VALUES):
        _fuzz(turn, value)


def _fuzz(turn: int, value: str) -> None:
    """Every sign-in form given `value`, by accounts of this turn's own (a lockout from the
    turns before does not hide what the forms do)."""
    user = _account(f"fuzz-staff-{turn}")
    newcomer = _account(f"fuzz-newcomer-{turn}", confirmed=False)
    open_enrolment(newcomer, 72)
    before = _state(user), _state(newcomer)

    for field in ("username", "password"):
        client = Client()
        data = {"username": user.username, "password": PASSWORD, field: value}
        _held(client.post("/accounts/login/", data))
        _held(client.get("/accounts/verify/"))
        assert not _signed_in(client), field
    _held(Client().post("/accounts/login/", {"username": user.username, "password": value}))

    client = password_step(user)
    _held(client.post("/accounts/verify/", {"otp_token": value}))
    assert not _signed_in(client)

    enrolling = password_step(newcomer)
    _held(enrolling.get("/accounts/enrol/"))
    _held(enrolling.post("/accounts/enrol/", {"otp_token": value}))
    assert not _signed_in(enrolling)
    assert (_state(user), _state(newcomer))[0] == before[0]
    assert (
        _state(newcomer)[:3] == before[1][:3]
    )  # the device made on the first visit stays unconfirmed
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()

    # and once signed in: the button that marks an alert read sends `next`
    client = password_step(user)
    assert client.post("/accounts/verify/", {"otp_token": current_code(user)}).status_code == 302
    read = client.post("/alerts/1/read/", {"next": value})
    _held(read)
    assert read.status_code in (302, 400, 404)  # 400: a NUL is refused before the view
    assert read.get("Location", "/").startswith("/") and not read.get("Location", "/").startswith(
        "//"
    )

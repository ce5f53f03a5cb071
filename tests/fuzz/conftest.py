"""The hub's small fixtures (the mini hub and its MASH) for the fuzzing tests, and staff made
without hashing a password (the fuzzing signs them in directly: it is not testing sign-in)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import ApiToken, User
from safeguard.hub.accounts.services import digest
from tests.hub.conftest import _fresh_cache, mini_hub, mini_mash, system_account

__all__ = ["_fresh_cache", "mini_hub", "mini_mash"]


def staff(username: str, role: str, agency: str = "cheshire-police") -> User:
    """A user with one role and a confirmed authenticator, and no password."""
    user = User.objects.create(username=username, agency=agency, roles=[role])
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


@pytest.fixture
def system_token(db: Any) -> Callable[[str], str]:
    """A live API token for a new account with `role` (a police system by default)."""

    def make(role: str = "police_officer") -> str:
        token = secrets.token_urlsafe(16)
        user = system_account(f"system-{secrets.token_hex(3)}", role)
        ApiToken.objects.create(user=user, name="fuzz", digest=digest(token))
        return token

    return make

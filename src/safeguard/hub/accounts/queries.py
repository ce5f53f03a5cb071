"""Reading accounts: a user as the policy sees them, the account list, and a demo user's
current one-time code."""

from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.db.models import Exists, OuterRef
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access.policy import ROLE_LABELS, Actor, Role
from safeguard.hub.accounts.models import User


def actor_named(username: str) -> Actor | None:
    """An active account as the policy sees it away from the web (the command line on the
    hub's server, or a job on the user's behalf), or None when there is none."""
    user = User.objects.filter(username=username, is_active=True).first()
    return user.actor(verified=True) if user is not None else None


@dataclass(frozen=True)
class Account:
    username: str
    agency: str
    team: str
    roles: list[str]
    locked: bool


def accounts() -> list[Account]:
    """Every account with its agency, team, roles (as labels) and whether it is locked."""
    locked = AccessAttempt.objects.filter(username=OuterRef("username"))
    rows = User.objects.select_related("team").annotate(locked=Exists(locked)).order_by("username")
    return [
        Account(
            u.username,
            u.agency,
            u.team.name if u.team else "",
            [ROLE_LABELS.get(Role(r), r) for r in u.roles if r in Role.__members__.values()],
            bool(u.locked),
        )
        for u in rows
    ]


def current_code(username: str) -> str | None:
    """The user's current one-time code (demo and tests only: it reads the authenticator's
    secret, which in real use lives only in the user's app)."""
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"

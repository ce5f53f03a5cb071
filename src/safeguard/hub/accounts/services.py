"""Accounts, one function per action: signing in and out (audited), setting up an
authenticator within the window an administrator opened, and keeping accounts (add, reset an
authenticator, unlock, API tokens, the demo's accounts). Keeping accounts is for administrators
and for the hub's own server on its command line (`policy.keep_accounts`); every change is an
audit event flagged for review, written in the change's transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import NoReturn

import django_otp
from axes.utils import reset as clear_lockout
from django.contrib.auth import logout as django_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import policy
from safeguard.access.caller import Caller, Refusal, RuleBroken
from safeguard.access.events import Administered, Channel, Refused, SignedIn, SignedOut
from safeguard.access.policy import Actor, Decision, Role
from safeguard.hub.accounts.models import ApiToken, Team, User
from safeguard.hub.accounts.queries import Account, accounts
from safeguard.hub.audit import services as audit
from safeguard.hub.homes.models import ChildrensHome

__all__ = ["Refusal"]

NAME = "authenticator"


# --- signing in and out ---


def _web(request: HttpRequest) -> Actor | None:
    user = request.user
    return user.signed_in_actor() if user.is_authenticated else None


#: The session key holding when its sign-in was completed (seconds since the epoch), from which
#: the hub's absolute session limit is counted.
SIGNED_IN_AT = "_signed_in_at"


def signed_in(request: HttpRequest, device: Device, how: str) -> None:
    """The one-time code proved `device`: the session is verified, under a new key (a session
    key learnt before the code is worth nothing after it), and that is audited."""
    with transaction.atomic():
        django_otp.login(request, device)
        request.session.cycle_key()
        request.session[SIGNED_IN_AT] = int(time.time())
        audit.write(_web(request), SignedIn(how), Decision(True, how), Channel.WEB)


def refused_sign_in(request: HttpRequest, why: str) -> None:
    with transaction.atomic():
        audit.write(
            _web(request), Refused("sign in", request.path), Decision(False, why), Channel.WEB
        )


def signed_out(request: HttpRequest) -> None:
    """End the session (a half-signed-in one too); audited when someone was signed in."""
    actor = _web(request)
    if actor is not None:
        with transaction.atomic():
            audit.write(actor, SignedOut(), Decision(True, "signed out"), Channel.WEB)
    django_logout(request)


# --- authenticators ---


def open_enrolment(user: User, hours: int) -> dt.datetime:
    """Remove the user's authenticators and let them set up a new one at sign-in, for
    `hours`. The caller audits it (`reset_authenticator`, or the admin site's own log)."""
    until = timezone.now() + dt.timedelta(hours=hours)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        user.enrol_until = until
        user.save(update_fields=["enrol_until"])
    return until


def pending(user: User) -> TOTPDevice:
    """The authenticator being set up: the same one on every visit and in every tab (the
    user's row is locked while it is found or made), until it is confirmed."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        return device or TOTPDevice.objects.create(user=user, name=NAME, confirmed=False)


def confirm(user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the device if `token` is its current code; the window then closes."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # any other device begun and never confirmed had its secret shown: it goes
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        user.enrol_until = None
        user.save(update_fields=["enrol_until"])
    return True


# --- keeping accounts ---


def _keeping(caller: Caller, attempted: str) -> Decision:
    return audit.check(caller, policy.keep_accounts(caller.actor), Refused(attempted))


def _kept(caller: Caller, allowed: Decision, change: str) -> None:
    """Inside the change's transaction: the audit event of an account change."""
    audit.write(caller.actor, Administered(change, accounts=True), allowed, caller.channel)


def _broken(caller: Caller, attempted: str, why: str) -> NoReturn:
    audit.refuse(caller, Refused(attempted), Decision(False, why), rule=True)


def account_list(caller: Caller) -> list[Account]:
    """Every account, for those who keep them."""
    _keeping(caller, "list accounts")
    return accounts()


@dataclass(frozen=True)
class Added:
    user: User
    password: str | None
    otpauth: str | None
    enrol_until: dt.datetime | None


def add_user(
    caller: Caller,
    username: str,
    agency: str,
    roles: list[str],
    *,
    team: str = "",
    password: str | None = None,
    enrol_hours: int | None = None,
    system: bool = False,
) -> Added:
    """Add a staff account (a password made here unless given) with an authenticator - or,
    with `enrol_hours`, a window to set one up at first sign-in; or, with `system`, an
    agency system's account: no password and no authenticator, so nobody signs in as it, and
    only it may hold API tokens (`make_token`)."""
    attempted = f"add account {username}"
    allowed = _keeping(caller, attempted)
    problem = policy.roles_problem(roles)
    conflicting = system and (password is not None or enrol_hours is not None)
    made_password = password is None and not system
    password = password if password is not None else secrets.token_urlsafe(15)
    user = User(username=username, agency=agency, roles=roles)
    try:
        if problem:
            raise RuleBroken(f"roles refused: {problem}")
        if User.objects.filter(username=username).exists():
            raise RuleBroken(f"there is already a user {username!r}")
        if conflicting:
            raise RuleBroken("a system account has no password and no authenticator to set up")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise RuleBroken("password refused: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            user.team = Team.named(agency, team) if team else None
            if system:
                user.set_unusable_password()
            else:
                user.set_password(password)
            user.save()
            until = open_enrolment(user, enrol_hours) if enrol_hours else None
            device = (
                None
                if enrol_hours or system
                else TOTPDevice.objects.create(user=user, name=NAME, confirmed=True)
            )
            _kept(
                caller,
                allowed,
                f"accounts.User {user.pk} ({username}) added: roles {', '.join(roles)}"
                + (" (a system account)" if system else ""),
            )
    except RuleBroken as broken:
        _broken(caller, attempted, str(broken))
    return Added(
        user, password if made_password else None, device.config_url if device else None, until
    )


def _user(caller: Caller, attempted: str, username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        _broken(caller, attempted, f"no user {username!r}")
    assert user is not None
    return user


def reset_authenticator(caller: Caller, username: str, hours: int) -> dt.datetime:
    """Remove the user's authenticator (a lost phone) and let them set up a new one from a
    QR code at their next sign-in, within `hours`."""
    attempted = f"reset authenticator of {username}"
    allowed = _keeping(caller, attempted)
    user = _user(caller, attempted, username)
    with transaction.atomic():
        until = open_enrolment(user, hours)
        _kept(caller, allowed, f"accounts.User {user.pk} ({username}): authenticator reset")
    return until


def unlock(caller: Caller, username: str) -> int:
    """Unlock an account locked after too many failed sign-ins; how many attempts cleared."""
    allowed = _keeping(caller, f"unlock {username}")
    with transaction.atomic():
        removed = int(clear_lockout(username=username))
        _kept(
            caller,
            allowed,
            f"accounts.User ({username}): sign-in lockout cleared, {removed} attempts",
        )
    return removed


def digest(token: str) -> str:
    """What is kept of an API token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_user(token: str) -> User | None:
    """The active account a live API token acts as (None: no such token), noting its use."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None or row.user.has_usable_password():
        return None  # a token a person's account holds (made before the rule) acts as nobody
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user


def is_system(user: User) -> bool:
    """An agency system's account: no password and no authenticator, so no person signs in as
    it (`add_user(system=True)`). Only such an account holds API tokens: a token has no second
    factor, so a person's account with one would reach the hub on a single factor."""
    return not user.has_usable_password() and not TOTPDevice.objects.filter(user=user).exists()


def make_token(caller: Caller, username: str, name: str) -> str:
    """A new API token for a system account (returned once; only its SHA-256 is kept)."""
    attempted = f"make API token for {username}"
    allowed = _keeping(caller, attempted)
    user = _user(caller, attempted, username)
    if not is_system(user):
        _broken(
            caller,
            attempted,
            f"{username} is a person's account (a password and a code): API tokens are for "
            "system accounts (`safeguard users add NAME --system`)",
        )
    value = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, name=name, digest=digest(value))
        _kept(caller, allowed, f"accounts.ApiToken of {username}: {name} made")
    return value


def revoke_token(caller: Caller, username: str, name: str) -> int:
    """Revoke the account's live tokens called `name`; how many."""
    attempted = f"revoke API tokens of {username}"
    allowed = _keeping(caller, attempted)
    user = _user(caller, attempted, username)
    with transaction.atomic():
        n = ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _kept(caller, allowed, f"accounts.ApiToken of {username}: {name} revoked ({n})")
    return n


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    agency: str
    team: str


def demo_accounts(
    caller: Caller, users: dict[Role, tuple[str, str, str]]
) -> tuple[list[DemoUser], int]:
    """Demo mode only (the caller checks): one account per role in `users`, each with a new
    password and an authenticator; the demo police SPOC becomes the single point of contact of
    every children's home that has none but the last (a gap for the coverage report to show),
    and the demo home staff work in the first. Returns the accounts and how many homes got the
    SPOC."""
    allowed = _keeping(caller, "reset the demo accounts")
    made = []
    with transaction.atomic():
        for role, (username, agency, team) in users.items():
            password = secrets.token_urlsafe(15)
            user, _ = User.objects.get_or_create(username=username)
            user.agency, user.roles = agency, [role.value]
            user.team = Team.named(agency, team)
            user.set_password(password)
            user.save()
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name=NAME, confirmed=True)
            made.append(DemoUser(username, password, role, agency, team))
        spoc = users.get(Role.POLICE_SPOC)
        everyone = list(ChildrensHome.objects.order_by("name"))
        gap = everyone[-1].pk if len(everyone) > 1 else 0
        homes = (
            ChildrensHome.objects.filter(police_spoc=None)
            .exclude(pk=gap)
            .update(police_spoc=User.objects.get(username=spoc[0]))
            if spoc
            else 0
        )
        staff = users.get(Role.HOME_STAFF)
        if staff and everyone:
            everyone[0].staff.add(User.objects.get(username=staff[0]))
        _kept(caller, allowed, f"demo accounts reset: {', '.join(u.username for u in made)}")
    return made, homes

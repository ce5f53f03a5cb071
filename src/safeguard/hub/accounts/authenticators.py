"""Setting up a user's authenticator at sign-in. An administrator opens a window for it (a new
account, or a lost phone); within it, after their password, the user scans a QR code and
proves the app works by entering its current code. Outside the window there is no way to
register a device, so a stolen password alone never buys the second factor."""

from __future__ import annotations

import base64
import datetime as dt

import segno
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import User

NAME = "authenticator"


def open_enrolment(user: User, hours: int) -> dt.datetime:
    """Remove the user's authenticators and let them set up a new one at sign-in, for `hours`."""
    until = timezone.now() + dt.timedelta(hours=hours)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        user.enrol_until = until
        user.save(update_fields=["enrol_until"])
    return until


def may_enrol(user: User) -> bool:
    """Is the user's window open, and have they no confirmed authenticator?"""
    if user.enrol_until is None or user.enrol_until <= timezone.now():
        return False
    return not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no image request)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def key_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps set up by typing."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

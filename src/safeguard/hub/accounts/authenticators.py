"""Setting up a user's authenticator at sign-in: whether the window an administrator opened is
open, and the QR code and key the page shows. (Opening the window, the pending device and its
confirmation are `safeguard.hub.accounts.services`.) Outside the window there is no way to
register a device, so a stolen password alone never buys the second factor."""

from __future__ import annotations

import base64

import segno
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.hub.accounts.models import User


def may_enrol(user: User) -> bool:
    """Is the user's window open, and have they no confirmed authenticator?"""
    if user.enrol_until is None or user.enrol_until <= timezone.now():
        return False
    return not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no script, no image request)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))


def key_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps set up by typing."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

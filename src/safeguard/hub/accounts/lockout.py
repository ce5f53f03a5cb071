"""Lockout after failed sign-ins, by account and by source. django-axes locks an account after
`AXES_FAILURE_LIMIT` failures in a row, wherever they come from, until an administrator
unlocks it. One address guessing at many accounts (a few tries each) is stopped here: once it
has `LOCKOUT_SOURCE_FAILURES` failures, to any accounts, within `LOCKOUT_SOURCE_MINUTES`, it
may not sign in at all until enough of them are older than that. The address limit is the
higher one, because a whole office may share one address; and it clears itself, so an office
is never shut out for good by someone else's guesses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def source_failures(address: str | None) -> int:
    """Failed sign-ins from `address` whose latest try is within the source window. (axes
    keeps one row per account, address and browser, with its count and latest try.)"""
    if not address:
        return 0
    since = timezone.now() - dt.timedelta(minutes=settings.LOCKOUT_SOURCE_MINUTES)
    rows = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return int(rows.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes is untyped
    """axes's check of the account, then the check of the address; either refuses with axes's
    own locked page (and axes records the refused try)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().authenticate(request, username, password, **kwargs)
        assert request is not None  # axes has refused a call without one
        if source_failures(get_client_ip_address(request)) >= settings.LOCKOUT_SOURCE_FAILURES:
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("too many failed sign-ins from this address")

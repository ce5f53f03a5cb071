"""Raising alerts to named owners, and marking them read.

`tell` is called inside the transaction of the change that needs someone: it records one alert
per owner (never twice for the same thing) and, once that transaction commits, emails each
new one through Django's mail settings (the console in demo mode). An email that cannot be
sent leaves the alert on the owner's page, unmarked as emailed, and is tried again by the
next sweep (`resend`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.hub.accounts.models import User
from safeguard.hub.alerts.models import Alert
from safeguard.settings import get_settings

log = logging.getLogger(__name__)


def tell(owners: Iterable[User], kind: str, key: str, message: str, url: str) -> list[str]:
    """Alert each of `owners` (once per `kind` and `key`); who was newly told, by username."""
    if not connection.in_atomic_block:
        raise RuntimeError("alerts are raised inside the transaction of what raises them")
    now = timezone.now()
    people = {u.pk: u for u in owners if u.is_active}
    known = set(
        Alert.objects.filter(owner_id__in=people, kind=kind, key=key).values_list(
            "owner_id", flat=True
        )
    )
    new = [
        Alert(owner=u, kind=kind, key=key, message=message[:300], url=url, created_at=now)
        for pk, u in people.items()
        if pk not in known
    ]
    ids = [a.pk for a in Alert.objects.bulk_create(new)]
    if ids:
        transaction.on_commit(lambda: _email(ids))
    return sorted(a.owner.username for a in new)


def _email(ids: list[int]) -> None:
    """Email each alert (after the change that raised it committed); mark those sent."""
    base = get_settings().base_url.rstrip("/")
    for alert in Alert.objects.filter(pk__in=ids, emailed_at=None).select_related("owner"):
        if not alert.owner.email:
            continue
        try:
            send_mail(
                f"Safeguard: {alert.message}"[:150],
                f"{alert.message}\n\nOpen it in Safeguard: {base}{alert.url}\n\n"
                "This email names no child. Sign in to see the details.",
                None,
                [alert.owner.email],
            )
        except OSError:
            log.warning("alert %s: email not sent; it is on the owner's page", alert.pk)
            continue
        with transaction.atomic():
            Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())


def resend() -> int:
    """Email the alerts not yet emailed (a mail server that was down); how many were tried."""
    ids = list(
        Alert.objects.filter(emailed_at=None, owner__is_active=True)
        .exclude(owner__email="")
        .values_list("pk", flat=True)[:500]
    )
    _email(ids)
    return len(ids)


def mark_read(caller: Caller, alert_id: int) -> bool:
    """Mark one of the caller's own alerts read; False when it is not theirs."""
    with transaction.atomic():
        done = (
            Alert.objects.visible_to(caller.actor)
            .filter(pk=alert_id, read_at=None)
            .update(read_at=timezone.now())
        )
    return bool(done)

"""Rate limits for the public's pages, without tracking anyone: each source (its address) is
kept only as a keyed hash, in the cache, for the hour it counts; nothing reaches the database
or a log. Over the limit, the page says so plainly."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from safeguard.hub.web import client
from safeguard.settings import get_settings

HOUR = 3600


def _key(request: HttpRequest, what: str) -> str:
    hour = int(time.time() // HOUR)
    source = client.address(request)
    keyed = hmac.new(settings.SECRET_KEY.encode(), f"{source}:{hour}".encode(), hashlib.sha256)
    return f"sg-limit:{what}:{keyed.hexdigest()[:32]}"


def spend(request: HttpRequest, what: str) -> bool:
    """Count one use of `what` by this request's source; False when over the hour's limit."""
    key = _key(request, what)
    cache.add(key, 0, HOUR)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        used = 1
    return used <= get_settings().public_reports_per_hour

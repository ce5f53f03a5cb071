"""Where a request comes from: the one place the hub reads a client's network address (the
sign-in lockout by source, through django-axes, and the public pages' rate limits).

By default that is the connection's own address; a client's `X-Forwarded-For` is not believed,
since anyone can send one. Behind reverse proxies (`SAFEGUARD_TRUSTED_PROXIES`), a request whose
connection comes from a trusted proxy is taken to come from the nearest address in its
`X-Forwarded-For` (read from the right, the end each proxy appends to) that is not itself a
trusted proxy; what a client wrote further left is never reached. A header that holds anything
but addresses there gives the proxy's own address, so a mangled header cannot choose one."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from django.http import HttpRequest

from safeguard.settings import get_settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def address(request: HttpRequest) -> str:
    """The client's address for `request` (the module's description); "" when unknown."""
    connection = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = get_settings().trusted_proxies
    if not proxies or not _within(_parsed(connection), proxies):
        return connection
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        parsed = _parsed(hop)
        if parsed is None:
            return connection
        if not _within(parsed, proxies):
            return str(parsed)
    return connection


def _parsed(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(found: Address | None, networks: Sequence[Network]) -> bool:
    return found is not None and any(found in n for n in networks)  # never across versions

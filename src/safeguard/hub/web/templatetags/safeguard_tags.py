"""Small template filters for the hub's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def percent(value: float | None) -> str:
    """A probability as a percentage people read at a glance: 99.7%, or 99.99% near certain."""
    if value is None:
        return "–"
    places = 2 if 0.999 <= value < 1 else 1
    return f"{value * 100:.{places}f}%"


@register.filter
def humanise(code: str | None) -> str:
    """A code as words: `not_at_risk` -> `Not at risk`."""
    return (code or "").replace("_", " ").capitalize()

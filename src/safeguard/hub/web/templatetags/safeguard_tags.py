"""Small template filters for the hub's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

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


@register.filter
def is_chosen(value: Any, chosen: Any) -> bool:
    """Whether a radio or checkbox `value` is chosen: equal to `chosen`, or in it (a list)."""
    if chosen is None:
        return False
    if isinstance(chosen, (list, tuple, set, frozenset)):
        return str(value) in {str(c) for c in chosen}
    return str(value) == str(chosen)


@register.filter
def first_error(errors: Any, name: str) -> str:
    """The first error a form has for field `name` ("" if none)."""
    found = (errors or {}).get(name)
    return str(found[0]) if found else ""


@register.filter
def error_list(form: Any) -> list[tuple[str, str]]:
    """A form's errors as (field id, message) pairs, for the error summary."""
    if form is None or not getattr(form, "errors", None):
        return []
    return [
        (name if name != "__all__" else "main-content", str(messages[0]))
        for name, messages in form.errors.items()
    ]


@register.filter
def when(moment: Any) -> str:
    """A time as people read it in a queue: "Mon 7 Dec 14:30"; a clock due at midnight is
    due at the end of the day before: "end of Mon 7 Dec"."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    if local.time() == dt.time(0, 0):
        day = local - dt.timedelta(days=1)
        return f"end of {day:%a} {day.day} {day:%b}"
    return f"{local:%a} {local.day} {local:%b %H:%M}"


@register.filter
def rating_tag(rating: str) -> str:
    """The GOV.UK tag colour for a RAG/BRAG rating."""
    return {
        "red": "govuk-tag--red",
        "amber": "govuk-tag--orange",
        "green": "govuk-tag--green",
        "blue": "govuk-tag--blue",
    }.get(rating or "", "govuk-tag--grey")


@register.filter
def attr_label(item: Any) -> str:
    """An item's `label` ("" when there is none)."""
    return str(getattr(item, "label", "") or "")


@register.filter
def field_value(form: Any, name: str) -> Any:
    """The value a form's field `name` holds (bound or initial), for fields named at run time."""
    try:
        return form[name].value()
    except KeyError:
        return None


@register.filter
def getlist(data: Any, key: str) -> list[str]:
    """Every value sent for `key` (a form's checkboxes), or none."""
    return list(data.getlist(key)) if hasattr(data, "getlist") else []


@register.filter
def standing_tag(standing: str) -> str:
    """The GOV.UK tag colour for where a clock stands."""
    return {
        "overdue": "govuk-tag--red",
        "done_late": "govuk-tag--orange",
        "done_on_time": "govuk-tag--green",
        "due": "govuk-tag--blue",
    }.get(standing or "", "govuk-tag--grey")


@register.filter
def state_label(state: str) -> str:
    """A contact's state in words."""
    from safeguard.casework.contact import STATE_LABELS

    return STATE_LABELS.get(state, state)


@register.filter
def grade_tag(grade: str) -> str:
    """The GOV.UK tag colour for a police risk grade."""
    return {
        "high": "govuk-tag--red",
        "medium": "govuk-tag--orange",
        "low": "govuk-tag--yellow",
        "no_apparent_risk": "govuk-tag--grey",
    }.get(grade or "", "govuk-tag--grey")


@register.filter
def hours_since(start: Any, end: Any = None) -> str:
    """How long from `start` to `end` (or now), in hours or days."""
    if not start:
        return ""
    seconds = ((end or timezone.now()) - start).total_seconds()
    hours = seconds / 3600
    return f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.1f} days"


@register.filter
def share(figure: Any, n: int) -> str:
    """`n` as a share of a figure's returns."""
    return str(figure.share(n))

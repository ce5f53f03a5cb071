"""The answers any JSON API call may give besides its own, so that the OpenAPI description
names every status a caller can meet: no live token (401), a request that does not fit the
call's description (422, django-ninja's list of what did not fit and where), and one holding a
character the hub cannot keep (400, `web.characters`)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class Unauthorized(Schema):
    detail: str


class Refused(Schema):
    detail: str
    problems: dict[str, str] = Field(default_factory=dict)


class Misfit(Schema):
    type: str
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    detail: list[Misfit]


def answers(own: dict[int, Any]) -> dict[int, Any]:
    """A call's own answers by status, with those every call may give."""
    return {400: Refused, **own, 401: Unauthorized, 422: Invalid}

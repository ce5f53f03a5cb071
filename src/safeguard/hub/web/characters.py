"""The one place where characters the hub cannot keep are refused: a NUL character (PostgreSQL
text refuses it) or half of a UTF-16 surrogate pair (no UTF-8 can hold it), anywhere in a
request's path, query, form fields or JSON body. The request is answered 400 after the access
policy has decided the route and before its view runs, so nothing is half-kept and no page or
API call meets them. Uploaded files are not read here: their contents are a delivery's, checked
by the ingest."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

#: What a refused request is told (no value is repeated back).
REASON = "What was sent holds a character the hub cannot keep (a NUL or a broken character)"


def unkeepable(text: str) -> bool:
    """Whether `text` holds a NUL or a lone surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _sent(request: HttpRequest) -> Iterator[str]:
    yield request.path
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in data.lists():
            yield key
            yield from values
    if request.content_type == "application/json" and request.body:
        try:
            yield from _strings(json.loads(request.body))
        except ValueError:
            return  # not JSON: the view refuses it


class CharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not any(unkeepable(text) for text in _sent(request)):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": REASON, "problems": {}}, status=400)
        return render(request, "web/unkeepable.html", {"reason": REASON}, status=400)

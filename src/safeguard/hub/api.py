"""The JSON API for agency systems (django-ninja; OpenAPI page at `/api/docs`).

A system presents a token (`Authorization: Bearer ...`, made by `safeguard users token`) that
acts as a service account with an agency and roles. Every call goes through the same services
as the pages - the same access policy, the same audit events, marked `channel = api`. Each app
adds its endpoints as a router (`<app>/api.py`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from safeguard.hub.accounts.services import token_user
from safeguard.hub.mash.api import router as mash
from safeguard.hub.people.api import router as people


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return token_user(token)


api = NinjaAPI(
    title="Safeguard",
    version="1",
    description="Person lookup and MASH contacts for agency systems, under the hub's access "
    "policy and audit.",
    urls_namespace="api",
    auth=TokenAuth(),
)
api.add_router("/people", people)
api.add_router("/contacts", mash)

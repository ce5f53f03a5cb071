"""The JSON API for agency systems (django-ninja; OpenAPI page at `/api/docs`).

A system presents a token (`Authorization: Bearer ...`, made by `safeguard users token`) that
acts as a service account with an agency and roles. Every call goes through the same access
policy as the pages and is audited the same way, marked `channel = api`. Submitting contacts
and missing episodes comes with their issues.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.security import HttpBearer

from safeguard.access import policy
from safeguard.hub.accounts.models import ApiToken
from safeguard.hub.audit import store as audit
from safeguard.hub.intelligence.models import MissingAlert, Screening
from safeguard.hub.people import chronology, search
from safeguard.hub.people.models import Person, SearchEntry


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return row.user


api = NinjaAPI(
    title="Safeguard",
    version="1",
    description="Person lookup for agency systems, under the hub's access policy and audit.",
    urls_namespace="api",
    auth=TokenAuth(),
)


class Problem(Schema):
    detail: str


class Match(Schema):
    person_id: int
    restricted: bool
    name: str | None
    date_of_birth: str | None
    postcode: str | None
    agencies: list[str]
    matched_on: list[str]


class Found(Schema):
    query: str
    problems: list[str]
    results: list[Match]


class Record(Schema):
    agency: str
    record_id: str
    name: str | None
    date_of_birth: str | None
    postcode: str | None


class Flags(Schema):
    screening_band: str | None
    at_risk: bool
    referral: bool
    assessed_on: str | None
    missing_alerts: list[str]


class PersonOut(Schema):
    person_id: int
    why_allowed: str
    lawful_basis: str
    records: list[Record]
    flags: Flags


def _actor(request: HttpRequest) -> policy.Actor:
    return request.auth.actor(verified=True)  # type: ignore[attr-defined, no-any-return]


@api.get(
    "/people",
    response={200: Found, 403: Problem},
    url_name="people_search",
    summary="Find people",
)
def find_people(request: HttpRequest, q: str) -> Status[Any]:
    """Name, date of birth, NHS number or postcode, in any order: as the search page. People
    the token's account has no need to know are returned as restricted, without details."""
    actor = _actor(request)
    may = policy.act(actor, policy.Action.SEARCH_PEOPLE)
    if not may:
        audit.searched(actor, q, [], channel="api", refused=may)
        return Status(403, {"detail": may.reason})
    query, results = search.scoped(actor, q)
    audit.searched(actor, q, [r["person_id"] for r in results if r["visible"]], channel="api")
    return Status(
        200,
        {
            "query": q,
            "problems": query.problems,
            "results": [
                {
                    "person_id": r["person_id"],
                    "restricted": not r["visible"],
                    "name": r["name"] or None,
                    "date_of_birth": r["dob"] or None,
                    "postcode": r["postcode"] or None,
                    "agencies": r["agencies"],
                    "matched_on": r["why"],
                }
                for r in results
            ],
        },
    )


@api.get(
    "/people/{person_id}",
    response={200: PersonOut, 403: Problem, 404: Problem},
    url_name="person",
    summary="One person",
)
def get_person(request: HttpRequest, person_id: int) -> Status[dict[str, Any]]:
    """A person's linked records and current flags, when the account has need to know."""
    actor = _actor(request)
    found = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    if found is None:
        return Status(404, {"detail": f"no person P{person_id}"})
    mine = chronology.records_of(person_id)
    decision = policy.person(actor, chronology.holders(mine))
    audit.viewed(actor, person_id, decision, f"api /people/{person_id}", channel="api")
    if not decision:
        return Status(403, {"detail": decision.reason})
    entries = {e.unique_id: e for e in SearchEntry.objects.filter(person_id=person_id)}
    screening = Screening.objects.filter(person_id=person_id, current=True).first()
    alerts = MissingAlert.objects.filter(person_id=person_id, current=True)
    records = []
    for r in mine:
        e = entries.get(r.unique_id)
        records.append(
            {
                "agency": r.agency,
                "record_id": r.record_id,
                "name": e.display_name if e else None,
                "date_of_birth": (e.dob or None) if e else None,
                "postcode": (e.postcode or None) if e else None,
            }
        )
    return Status(
        200,
        {
            "person_id": person_id,
            "why_allowed": decision.reason,
            "lawful_basis": decision.basis,
            "records": records,
            "flags": {
                "screening_band": screening.band if screening else None,
                "at_risk": bool(screening and screening.at_risk),
                "referral": bool(screening and screening.referral),
                "assessed_on": screening.assessed_on.isoformat() if screening else None,
                "missing_alerts": [f"{a.kind}: {a.detail}" for a in alerts],
            },
        },
    )

"""The people endpoints of the JSON API: find people, and one person's dossier (their linked
records and current flags), through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from safeguard.access.caller import Refusal
from safeguard.access.events import Searched, ViewedPerson
from safeguard.hub.people import queries, services
from safeguard.hub.web.adapter import api_caller, marks
from safeguard.hub.web.answers import answers

router = Router()


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


class Indicator(Schema):
    code: str
    level: str
    records: list[str]


class Flags(Schema):
    screening_band: str | None
    at_risk: bool
    referral: bool
    assessed_on: str | None
    indicators: list[Indicator]
    indicators_withheld: int
    missing_alerts: list[str]


class PersonOut(Schema):
    person_id: int
    why_allowed: str
    lawful_basis: str
    records: list[Record]
    flags: Flags


@router.get(
    "",
    response=answers({200: Found, 403: Problem}),
    url_name="people_search",
    summary="Find people",
)
@marks(GET=Searched)
def find_people(request: HttpRequest, q: str) -> Status[Any]:
    """Name, date of birth, NHS number or postcode, in any order: as the search page. People
    the token's account has no need to know are returned as restricted, without details."""
    try:
        query, results = services.find(api_caller(request), q)
    except Refusal as refusal:
        return Status(403, {"detail": refusal.reason})
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


@router.get(
    "/{person_id}",
    response=answers({200: PersonOut, 403: Problem, 404: Problem}),
    url_name="person",
    summary="One person",
)
@marks(GET=ViewedPerson)
def get_person(request: HttpRequest, person_id: int) -> Status[dict[str, Any]]:
    """A person's linked records and current flags (the screening's indicators redacted as
    on the person page), when the account has need to know."""
    exists, merged_into = queries.where(person_id)
    if not exists or merged_into is not None:
        return Status(404, {"detail": f"no person P{person_id}"})
    try:
        d = services.open_person(api_caller(request), person_id, f"api /people/{person_id}")
    except Refusal as refusal:
        return Status(403, {"detail": refusal.reason})
    s = d.screening
    records = [
        {
            "agency": r.agency,
            "record_id": r.record_id,
            "name": e.display_name if e else None,
            "date_of_birth": (e.dob or None) if e else None,
            "postcode": (e.postcode or None) if e else None,
        }
        for r in d.records
        for e in [d.names.get(r.unique_id)]
    ]
    return Status(
        200,
        {
            "person_id": person_id,
            "why_allowed": d.decision.reason,
            "lawful_basis": d.decision.basis,
            "records": records,
            "flags": {
                "screening_band": s.band if s else None,
                "at_risk": bool(s and s.at_risk),
                "referral": bool(s and s.referral),
                "assessed_on": s.assessed_on.isoformat() if s else None,
                "indicators": [
                    {"code": r["code"], "level": r["level"], "records": r.get("records") or []}
                    for r in (s.reasons if s else [])
                ],
                "indicators_withheld": s.withheld if s else 0,
                "missing_alerts": [f"{a.kind}: {a.detail}" for a in d.alerts],
            },
        },
    )

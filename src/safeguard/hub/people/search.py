"""Finding a person from what a practitioner types: a name, a date of birth, an NHS number, a
postcode, in any order and mix.

The query is read with the contract's own normalisers (an NHS number must pass its check digit,
a postcode must be a UK postcode) and the linkage's name handling (a forename matches its
nickname group: Katie finds Kate and Katherine; a date of birth also matches with day and month
swapped). Candidates come from indexed columns of `SearchEntry`; each is scored, and people are
ranked by their best record. The caller applies the access policy to the people returned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from django.db.models import Q

from safeguard.access import policy
from safeguard.contract import identifiers
from safeguard.hub.people.models import PersonRecord, SearchEntry
from safeguard.linkage.records import nickname_groups

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
CANDIDATES = 2000


@dataclass
class Query:
    """What the typed text asks for."""

    text: str
    forename: str = ""
    surname: str = ""
    dob: str = ""
    nhs_number: str = ""
    postcode: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.forename or self.surname or self.dob or self.nhs_number or self.postcode)


@dataclass
class Match:
    person_id: int
    score: float
    entry: SearchEntry
    why: list[str]
    agencies: set[str]


@cache
def _groups() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, group in nickname_groups():
        out.setdefault(name, set()).add(group)
    return out


def parse(text: str) -> Query:
    """Read `text` into its parts; anything that looks like an identifier but fails its rule
    is reported in `problems`."""
    q = Query(text=text.strip())
    rest = q.text
    for m in re.finditer(r"\d[\d ]{8,11}\d", rest):
        checked = identifiers.nhs_number(m.group())
        if checked.value:
            q.nhs_number = checked.value
            rest = rest.replace(m.group(), " ")
            break
        if len(re.sub(r"\D", "", m.group())) == 10:
            q.problems.append(f"{m.group()!r}: {checked.problem}")
            rest = rest.replace(m.group(), " ")
    for token in rest.split():
        d = _DATE.match(token)
        if d:
            day, month, year = (d[1], d[2], d[3]) if d[1] else (d[6], d[5], d[4])
            try:
                q.dob = dt.date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                q.problems.append(f"{token!r} is not a date")
            rest = rest.replace(token, " ")
    pc = re.search(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b", rest)
    if pc:
        checked = identifiers.postcode(pc.group())
        if checked.value:
            q.postcode = checked.value
            rest = rest.replace(pc.group(), " ")
    words = [w.lower() for w in _WORD.findall(rest)]
    if len(words) == 1:
        q.surname = words[0]
    elif words:
        q.forename, q.surname = words[0], words[-1]
    return q


def find(q: Query, limit: int = 20) -> list[Match]:
    """The people best matching `q`, best first (at most `limit`), each with every agency
    holding records of them."""
    if q.empty:
        return []
    rows = list(SearchEntry.objects.filter(_candidates(q))[:CANDIDATES])
    best: dict[int, Match] = {}
    for row in rows:
        score, why = _score(q, row)
        if score > 0 and (row.person_id not in best or score > best[row.person_id].score):
            best[row.person_id] = Match(row.person_id, score, row, why, set())
    chosen = sorted(best.values(), key=lambda m: (-m.score, m.person_id))[:limit]
    holders = PersonRecord.objects.filter(person_id__in=[m.person_id for m in chosen])
    for pid, agency in holders.values_list("person_id", "agency"):
        best[pid].agencies.add(agency)
    return chosen


def _candidates(q: Query) -> Q:
    """Records worth scoring, each branch served by an index. With a date of birth or an NHS
    number those select; the name then adds only exact surnames with the forename's nickname
    group (a mistyped date). With a name alone, the surname and its first letters do."""
    wanted = Q()
    if q.nhs_number:
        wanted |= Q(nhs_number=q.nhs_number)
    if q.dob:
        wanted |= Q(dob=q.dob) | Q(dob_swapped=q.dob)
    if q.surname and (q.dob or q.nhs_number):
        groups = _groups().get(q.forename, {q.forename}) if q.forename else set()
        wanted |= Q(surname=q.surname, forename_key__in=groups) if groups else Q(surname=q.surname)
    elif q.surname:
        # a prefix as a range, so the surname index serves it (LIKE would not, on SQLite)
        prefix = q.surname[:4]
        wanted |= Q(surname=q.surname) | Q(surname__gte=prefix, surname__lt=prefix + "\uffff")
    if q.forename and not q.surname:
        wanted |= Q(forename=q.forename)
    if q.postcode and not (q.surname or q.dob or q.nhs_number):
        wanted |= Q(postcode=q.postcode)
    return wanted


def _score(q: Query, row: SearchEntry) -> tuple[float, list[str]]:
    """Points for each part of the query the record agrees with; a part given but contradicted
    (another NHS number, another date of birth) rules the record out."""
    score, why = 0.0, list[str]()
    if q.nhs_number:
        if row.nhs_number == q.nhs_number:
            score, why = score + 10, [*why, "NHS number"]
        elif row.nhs_number:
            return 0.0, []
    if q.dob:
        if row.dob == q.dob:
            score, why = score + 4, [*why, "date of birth"]
        elif row.dob_swapped == q.dob:
            score, why = score + 2.5, [*why, "date of birth, day and month swapped"]
        elif row.dob:
            return 0.0, []
    if q.surname:
        similar = SequenceMatcher(None, q.surname, row.surname).ratio() if row.surname else 0
        if similar >= 0.8:
            score, why = (
                score + 4 * similar,
                [*why, "surname" if similar == 1 else "surname, close"],
            )
        elif not q.forename and row.forename == q.surname:
            score, why = score + 3, [*why, "forename"]
        elif not (q.nhs_number or q.dob):
            return 0.0, []
    if q.forename:
        groups = _groups().get(q.forename, {q.forename})
        if row.forename == q.forename:
            score, why = score + 3, [*why, "forename"]
        elif row.forename_key in groups or row.forename in groups:
            score, why = score + 2.5, [*why, "forename, nickname"]
        elif SequenceMatcher(None, q.forename, row.forename).ratio() >= 0.8:
            score, why = score + 2, [*why, "forename, close"]
    if q.postcode and row.postcode == q.postcode:
        score, why = score + 2, [*why, "postcode"]
    return score, why


def scoped(
    actor: policy.Actor, text: str, glass: Callable[[int], bool] = lambda _: False
) -> tuple[Query, list[dict[str, Any]]]:
    """Search as `actor`: each person found, with details only where the access policy allows
    (`glass(person_id)`: a live break-glass grant). Others are listed as restricted, without
    name, date of birth or postcode. The caller audits the search."""
    query = parse(text)
    results = []
    for m in find(query):
        decision = policy.person(actor, m.agencies, glass(m.person_id))
        results.append(
            {
                "person_id": m.person_id,
                "visible": decision.allowed,
                "name": m.entry.display_name if decision else "",
                "dob": m.entry.dob if decision else "",
                "postcode": m.entry.postcode if decision else "",
                "agencies": sorted(m.agencies) if decision else [],
                "why": m.why if decision else [],
            }
        )
    return query, results

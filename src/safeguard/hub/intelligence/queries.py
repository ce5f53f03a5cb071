"""Reading intelligence: a child's screening (its reasons redacted for the reader), their
missing-episode alerts and open findings, the findings and alerts lists, and what an analysis
needs from the hub (settled findings, practitioners' recorded indicators).

The scoping queries: `Finding.objects.visible_to(actor)` (intelligence readers) and
`Screening`/`MissingAlert` `.objects.visible_to(actor)` (need to know of the person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from django.db.models import Exists, F, OuterRef

from safeguard.access import policy, redact
from safeguard.access.policy import Actor, intelligence
from safeguard.casework import finding as disposition
from safeguard.hub import evidence
from safeguard.hub.deliveries.queries import cited_details
from safeguard.hub.intelligence.models import (
    Finding,
    MissingAlert,
    RecordedIndicator,
    Screening,
    ScreeningDecision,
)
from safeguard.hub.people.models import PersonRecord, SearchEntry


def redacted(
    reader: Actor, items: list[dict[str, Any]], cites: Any
) -> redact.Redacted[dict[str, Any]]:
    """`items` (screening reasons, evidence edges) without those resting on a record `reader`
    may not see in full (see `safeguard.access.redact`)."""
    cited = {c for i in items for c in cites(i)}
    return redact.redact(reader, items, cites, cited_details(redact.needing_details(cited)))


@dataclass(frozen=True)
class ScreeningView:
    """A child's current screening as one reader may see it."""

    person_id: int
    assessed_on: dt.date
    age: int
    score: int
    band_by_score: str
    band: str
    at_risk: bool
    referral: bool
    catalogue: str
    reasons: list[dict[str, Any]]
    withheld: int
    decisions: list[dict[str, Any]] = field(default_factory=list)


def screening_of(person_id: int, reader: Actor) -> ScreeningView | None:
    """The person's current screening, redacted for `reader` (None if not screened)."""
    s = Screening.objects.filter(person_id=person_id, current=True).first()
    if s is None:
        return None
    shown = redacted(reader, list(s.reasons or []), redact.reason_records)
    decisions = [
        {"band": d.band, "reason": d.reason, "by": d.decided_by, "at": d.decided_at.isoformat()}
        for d in s.decisions.order_by("pk")
    ]
    return ScreeningView(
        person_id,
        s.assessed_on,
        s.age,
        s.score,
        s.band_by_score,
        s.band,
        s.at_risk,
        s.referral,
        s.catalogue,
        shown.kept,
        shown.withheld,
        decisions,
    )


def alerts_of(person_id: int) -> list[MissingAlert]:
    return list(MissingAlert.objects.filter(person_id=person_id, current=True))


def findings_of(person_id: int, reader: Actor) -> list[Finding] | None:
    """Open findings the person is in; None when `reader` may not read intelligence."""
    if not intelligence(reader):
        return None
    node = f"P:{person_id}"
    live = (
        Finding.objects.visible_to(reader)
        .filter(active=True)
        .exclude(status=disposition.CLOSED)
        .filter(members__icontains=f'"{node}"')  # narrows in SQL; the exact check follows
    )
    return [f for f in live if any(m.get("node") == node for m in f.members)]


@dataclass(frozen=True)
class FindingView:
    """A finding with its evidence as one reader may see it, and its disposition history."""

    finding: Finding
    evidence: list[dict[str, Any]]
    withheld: int
    history: list[dict[str, Any]]

    @property
    def people(self) -> tuple[int, ...]:
        nodes = (str(m.get("node", "")) for m in self.finding.members)
        return tuple(int(n[2:]) for n in nodes if n.startswith("P:") and n[2:].isdigit())


def finding_view(reader: Actor, found: Finding) -> FindingView:
    shown = redacted(reader, list(found.evidence or []), redact.edge_record)
    history = [
        {"status": d.status, "reason": d.reason, "by": d.decided_by, "at": d.decided_at.isoformat()}
        for d in found.dispositions.order_by("pk")
    ]
    return FindingView(found, shown.kept, shown.withheld, history)


@dataclass(frozen=True)
class FindingFilters:
    kind: str | None = None
    status: str = disposition.OPEN  # or "all"

    def describe(self) -> str:
        return f"findings ({self.status}{', ' + self.kind if self.kind else ''})"


def findings(reader: Actor, filters: FindingFilters) -> Any:
    """The latest analysis's findings `reader` may see, most at-risk children and strongest
    evidence first."""
    rows = Finding.objects.visible_to(reader).filter(active=True)
    if filters.status != "all":
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.order_by("-at_risk_children", "-strength", "key")


#: Children a screening queue page shows.
PAGE = 50
#: The screening queue's views: proposed at risk and not decided yet; decided; referral proposed
#: (a young child with a significant sign) without being at risk.
QUEUE_VIEWS = ("to_decide", "decided", "referral")


@dataclass(frozen=True)
class QueueLine:
    """A child in the screening queue."""

    person_id: int
    name: str
    band: str
    score: int
    age: int
    assessed_on: dt.date
    latest_evidence: dt.datetime | None
    signs: list[str]
    decided: str


def screening_queue(reader: Actor, view: str, page: int) -> tuple[int, list[QueueLine]]:
    """Children proposed at risk (or for referral) whom `reader` has need to know of, the
    newest evidence first: how many, and one page of them."""
    decided = Exists(ScreeningDecision.objects.filter(screening=OuterRef("pk")))
    rows = Screening.objects.visible_to(reader).filter(current=True).annotate(decided=decided)
    if view == "decided":
        rows = rows.filter(decided=True)
    elif view == "referral":
        rows = rows.filter(referral=True, at_risk=False, decided=False)
    else:
        rows = rows.filter(at_risk=True, decided=False)
    total = rows.count()
    ordered = rows.order_by(F("latest_evidence").desc(nulls_last=True), "person_id")
    shown = list(
        ordered.only(
            "pk", "person_id", "band", "score", "age", "assessed_on", "latest_evidence", "reasons"
        )[(page - 1) * PAGE : page * PAGE]
    )
    names = SearchEntry.objects.names([s.person_id for s in shown])
    last = dict(
        ScreeningDecision.objects.filter(screening__in=shown)
        .order_by("screening_id", "pk")
        .values_list("screening_id", "band")
    )
    return total, [
        QueueLine(
            s.person_id,
            names.get(s.person_id, f"Person {s.person_id}"),
            s.band,
            s.score,
            s.age,
            s.assessed_on,
            s.latest_evidence,
            sorted(
                {str(r.get("code")) for r in s.reasons or [] if r.get("level") != "vulnerability"}
            ),
            last.get(s.pk, ""),
        )
        for s in shown
    ]


def name_of(person: int) -> str:
    return SearchEntry.objects.names([person]).get(person, f"Person {person}")


def node_names(reader: Actor, nodes: list[str]) -> dict[str, str]:
    """What a finding's nodes are called on its page: people by name where `reader` has need
    to know of them (else by number), vehicles, phones and places as written."""
    people = [int(n[2:]) for n in nodes if n.startswith("P:") and n[2:].isdigit()]
    held: dict[int, set[str]] = {}
    for person, agency in PersonRecord.objects.filter(person_id__in=people).values_list(
        "person_id", "agency"
    ):
        held.setdefault(person, set()).add(agency)
    known = [p for p in people if policy.person(reader, held.get(p, set()))]
    names = SearchEntry.objects.names(known)
    out = {}
    for n in nodes:
        if n.startswith("P:") and n[2:].isdigit():
            out[n] = names.get(int(n[2:]), f"Person {n[2:]}")
        else:
            kind = {"V:": "Vehicle", "T:": "Phone", "L:": "Place", "N:": "Nickname"}.get(n[:2], "")
            out[n] = f"{kind} {n[2:]}".strip()
    return out


@dataclass(frozen=True)
class AlertFilters:
    kind: str | None = None
    person: int | None = None

    def describe(self) -> str:
        parts = [self.kind or "", f"P{self.person}" if self.person is not None else ""]
        return "missing alerts" + "".join(f" {p}" for p in parts if p)


def alerts(reader: Actor, filters: AlertFilters) -> Any:
    """The current missing-episode alerts about people `reader` has need to know of."""
    rows = MissingAlert.objects.visible_to(reader).filter(current=True)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.person is not None:
        rows = rows.filter(person_id=filters.person)
    return rows.order_by("-day", "person_id")


def counts(reader: Actor) -> dict[str, int]:
    """For the reader's own page: children proposed at risk, and open findings."""
    return {
        "at_risk": Screening.objects.visible_to(reader).filter(current=True, at_risk=True).count(),
        "open_findings": Finding.objects.visible_to(reader)
        .filter(active=True, status=disposition.OPEN)
        .count(),
    }


def settled_findings() -> frozenset[str]:
    """Ids of findings people have explained or closed: they stop counting as evidence."""
    rows = Finding.objects.filter(status__in=disposition.SETTLED)
    return frozenset(rows.values_list("key", flat=True))


def _first_records(people: set[int]) -> dict[int, str]:
    """Each person's first record (`unique_id`), which the hub's own evidence is cited on."""
    return dict(  # later pairs overwrite earlier ones
        PersonRecord.objects.filter(person_id__in=people)
        .order_by("-unique_id")
        .values_list("person_id", "unique_id")
    )


def recorded_text() -> pa.Table:
    """The hub's own free text (`safeguard.hub.evidence.written`: what a return home interview
    heard, ...) as `text.HUB_TEXTS` rows, each about one of the person's records, from the
    hub (`agency` "hub"), for the screening's lexicons to read."""
    written = evidence.written()
    first = _first_records({w[0] for w in written})
    rows = [
        (first[person], when, "hub", kind, record_id, name, body)
        for person, when, kind, record_id, name, body in written
        if person in first and body.strip()
    ]
    names = ["subject", "occurred", "agency", "kind", "record_id", "field", "body"]
    return pa.table(
        {n: [row[i] for row in rows] for i, n in enumerate(names)},
        schema=pa.schema(
            [(n, pa.timestamp("us") if n == "occurred" else pa.string()) for n in names]
        ),
    )


def recorded_evidence(levels: Mapping[str, str]) -> pa.Table:
    """The hub's own evidence as evidence rows (`indicators.COLUMNS`), each about one of the
    person's records, from the hub (`agency` "hub"): practitioners' recorded indicators (kind
    "practitioner") and every other registered source (`safeguard.hub.evidence`: the signs a
    return home interview saw, ...). `levels` gives each catalogue code's level (codes no
    longer in the catalogue are left out)."""
    recorded: list[evidence.Row] = [
        (
            r.person_id,
            r.code,
            dt.datetime.combine(r.seen_on, dt.time()),
            "practitioner",
            str(r.pk),
            f"recorded by {r.recorded_by}: {r.note}",
        )
        for r in RecordedIndicator.objects.order_by("pk")
    ] + evidence.gathered()
    first = _first_records({r[0] for r in recorded})
    rows = [
        (first[person], code, levels[code], seen, "hub", kind, record_id, detail)
        for person, code, seen, kind, record_id, detail in recorded
        if code in levels and person in first
    ]
    names = ["subject", "code", "level", "occurred", "agency", "kind", "record_id", "detail"]
    return pa.table(
        {n: [row[i] for row in rows] for i, n in enumerate(names)},
        schema=pa.schema(
            [(n, pa.timestamp("us") if n == "occurred" else pa.string()) for n in names]
        ),
    )

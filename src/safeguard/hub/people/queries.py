"""Reading people: the typed read model of one person (`Dossier`, what the person page and
the API show, built once), their identity history, and what linkage needs from the hub (the
current decisions and who is who).

The one scoping query is `Person.objects.visible_to(actor)`; a dossier is only built after the
policy allowed the view (`services.open_person`), and everything in it is redacted for its
reader: restricted records' details withheld, screening indicators resting on them left out,
findings for those who read intelligence only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyarrow as pa
from django.db.models import Max, Q

from safeguard.access import policy
from safeguard.access.policy import Actor, Decision
from safeguard.hub.intelligence import queries as intelligence
from safeguard.hub.people import chronology, review
from safeguard.hub.people.models import (
    IdentityEvent,
    LinkDecision,
    LinkRun,
    Person,
    PersonRecord,
    SearchEntry,
)
from safeguard.linkage import identity

BATCH = 5_000


def where(person_id: int) -> tuple[bool, int | None]:
    """Whether the person exists, and who they were merged into (None if nobody)."""
    row = Person.objects.filter(pk=person_id).values_list("merged_into_id").first()
    return (False, None) if row is None else (True, row[0])


def records_of(person_id: int) -> list[PersonRecord]:
    """The person's agency records, by agency and id."""
    return list(PersonRecord.objects.filter(person_id=person_id).order_by("agency", "record_id"))


def holders(records: list[PersonRecord]) -> set[str]:
    """The agencies holding these records: what need to know follows."""
    return {r.agency for r in records}


def person_of(unique_id: str) -> int | None:
    """The person a record belongs to now, if it has been linked."""
    row = PersonRecord.objects.filter(unique_id=unique_id).values_list("person_id").first()
    return None if row is None else int(row[0])


@dataclass
class Dossier:
    """One person as `reader` may see them. The cheap parts are read at once; the chronology,
    links and history when first asked for (the API does not ask)."""

    person_id: int
    reader: Actor
    decision: Decision
    records: list[PersonRecord]
    names: dict[str, SearchEntry] = field(default_factory=dict)

    @property
    def agencies(self) -> list[str]:
        return sorted(holders(self.records))

    @property
    def title(self) -> str:
        names = [e.display_name for e in self.names.values()]
        return max(set(names), key=names.count) if names else "(no name recorded)"

    @property
    def may_decide(self) -> bool:
        return bool(policy.act(self.reader, policy.Action.DECIDE_LINK))

    @property
    def can_split(self) -> bool:
        return self.may_decide and len(self.records) > 1

    @cached_property
    def screening(self) -> intelligence.ScreeningView | None:
        return intelligence.screening_of(self.person_id, self.reader)

    @cached_property
    def alerts(self) -> list[Any]:
        return intelligence.alerts_of(self.person_id)

    @cached_property
    def findings(self) -> list[Any] | None:
        """Open findings the person is in; None when the reader may not read intelligence."""
        return intelligence.findings_of(self.person_id, self.reader)

    @cached_property
    def chronology(self) -> list[chronology.Entry]:
        return chronology.entries(self.records, self.reader)

    @cached_property
    def links(self) -> dict[str, Any]:
        return review.links_of([r.unique_id for r in self.records], pending=self.may_decide)

    @cached_property
    def history(self) -> dict[str, Any]:
        return identity_history(self.person_id)


def dossier(
    reader: Actor, person_id: int, decision: Decision, records: list[PersonRecord]
) -> Dossier:
    """The dossier of a person the policy let `reader` see (`decision`)."""
    names = {e.unique_id: e for e in SearchEntry.objects.filter(person_id=person_id)}
    return Dossier(person_id, reader, decision, records, names)


def identity_history(person: int) -> dict[str, Any]:
    """A person's records and every event that changed them."""
    row = Person.objects.filter(pk=person).first()
    if row is None:
        raise KeyError(f"no person P{person}")
    records = list(
        PersonRecord.objects.filter(person_id=person)
        .order_by("unique_id")
        .values_list("unique_id", flat=True)
    )
    events = [
        {
            "run": e.run_id,
            "at": e.run.finished_at.isoformat(),
            "kind": e.kind,
            "person": e.person_id,
            "other": e.other_id,
            "records": e.records,
            "reason": e.reason,
        }
        for e in IdentityEvent.objects.filter(Q(person_id=person) | Q(other_id=person))
        .select_related("run")
        .order_by("pk")
    ]
    return {
        "person": person,
        "retired": row.retired_run_id is not None,
        "merged_into": row.merged_into_id,
        "records": records,
        "events": events,
    }


# --- what linkage needs from the hub: decisions, and who is who ---


def decisions() -> list[identity.Decision]:
    """Every current decision (a later decision on a pair supersedes the earlier)."""
    rows = LinkDecision.objects.filter(current=True).order_by("pk")
    return [identity.Decision(r.left, r.right, r.same, r.reason, r.decided_by, r.pk) for r in rows]


def current_people() -> pa.Table:
    """Each linked record's person now (`unique_id`, `person_id`): the hub's record of who is
    who, which linkage keeps and intelligence reads."""
    rows = list(PersonRecord.objects.values_list("unique_id", "person_id").iterator(BATCH))
    return pa.table(
        {
            "unique_id": pa.array([r[0] for r in rows], pa.string()),
            "person_id": pa.array([r[1] for r in rows], pa.int64()),
        }
    )


def former_people() -> pa.Table:
    """For each record ever merged away from a person, that (now retired) person: the last
    merge wins. Linkage gives the id back if the records are split off again."""
    last: dict[str, int] = {}
    for other, records in (
        IdentityEvent.objects.filter(kind=IdentityEvent.Kind.MERGED)
        .order_by("pk")
        .values_list("other_id", "records")
    ):
        for uid in records:
            last[uid] = other
    return pa.table(
        {
            "unique_id": pa.array(list(last), pa.string()),
            "person_id": pa.array(list(last.values()), pa.int64()),
        }
    )


def next_person_id() -> int:
    """The next unused person id (ids are never reused, retired people included)."""
    top = Person.objects.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def last_run() -> int:
    """The latest linkage run's id (0 before the first): a run that finds another finished
    after it began resolves again rather than overwrite it."""
    return int(LinkRun.objects.aggregate(top=Max("pk"))["top"] or 0)


def memberships(unique_ids: set[str]) -> tuple[set[str], dict[str, int]]:
    """Which of `unique_ids` are linked, and every record of their people with its person:
    what the link-decision rules (`safeguard.linkage.decisions`) check against."""
    linked = set(
        PersonRecord.objects.filter(unique_id__in=unique_ids).values_list("unique_id", flat=True)
    )
    people = dict(
        PersonRecord.objects.filter(
            person_id__in=PersonRecord.objects.filter(unique_id__in=unique_ids).values("person_id")
        ).values_list("unique_id", "person_id")
    )
    return linked, people


def members(person: int) -> set[str]:
    return set(PersonRecord.objects.filter(person_id=person).values_list("unique_id", flat=True))

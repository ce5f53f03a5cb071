"""The hub's side of intelligence: an analysis run's results in, findings and decisions out.

`record_analysis` stores one run in one transaction: the run, each child's screening (the
earlier ones stay, no longer current), every finding (matched by its stable id, keeping its
disposition) and the missing-episode alerts. `dispose` and `confirm` store people's decisions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from safeguard.hub.intelligence.models import (
    AnalysisRun,
    Finding,
    FindingDisposition,
    MissingAlert,
    RecordedIndicator,
    Screening,
    ScreeningDecision,
)
from safeguard.hub.people.models import Person, PersonRecord
from safeguard.intelligence.analysis import Analysis

BATCH = 5_000
#: Dispositions that stop a finding re-flagging: it is no longer listed as needing attention,
#: and its links no longer count as evidence in screening.
SETTLED = (Finding.Status.EXPLAINED, Finding.Status.CLOSED)


class RefusedDecision(ValueError):
    """A decision that cannot be recorded as asked; the message says why."""


def settled_findings() -> set[str]:
    """Ids of findings people have explained or closed."""
    return set(Finding.objects.filter(status__in=SETTLED).values_list("key", flat=True))


def _when(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@transaction.atomic
def record_analysis(analysis: Analysis, started: dt.datetime) -> AnalysisRun:
    """Store one analysis run (see the module's description)."""
    s = analysis.summary
    run = AnalysisRun.objects.create(
        started_at=started,
        as_of=dt.date.fromisoformat(s.as_of),
        catalogue=s.catalogue,
        summary=asdict(s),
    )
    known = set(Person.objects.values_list("pk", flat=True))
    Screening.objects.filter(current=True).update(current=False)
    Screening.objects.bulk_create(
        (
            Screening(
                run=run,
                person_id=int(row["person_id"]),
                assessed_on=row["assessed_on"],
                age=row["age"],
                score=row["score"],
                band_by_score=row["band_by_score"],
                band=row["band"],
                at_risk=bool(row["at_risk"]),
                referral=bool(row["referral"]),
                disclosed=bool(row["disclosed"]),
                reasons=_plain(row["reasons"] or []),
                catalogue=row["catalogue"],
            )
            for row in analysis.screenings.to_pylist()
            if int(row["person_id"]) in known
        ),
        batch_size=BATCH,
    )
    existing = {f.key: f for f in Finding.objects.all()}
    Finding.objects.filter(active=True).update(active=False)
    for found in analysis.findings:
        fields = {
            "kind": found.kind,
            "anchor": found.anchor,
            "summary": found.summary,
            "at_risk_children": found.at_risk_children,
            "strength": found.strength,
            "first_seen": _when(found.first_seen),
            "last_seen": _when(found.last_seen),
            "members": found.members,
            "evidence": found.evidence,
            "last_run": run,
            "active": True,
        }
        if found.id in existing:
            before = {m["node"] for m in existing[found.id].members}
            fresh = [m for m in found.members if m["node"] not in before]
            Finding.objects.filter(pk=existing[found.id].pk).update(new_members=fresh, **fields)
        else:
            Finding.objects.create(key=found.id, first_run=run, **fields)
    MissingAlert.objects.filter(current=True).update(current=False)
    MissingAlert.objects.bulk_create(
        (
            MissingAlert(
                run=run,
                person_id=int(row["key"]),
                kind=row["kind"],
                day=timezone.make_aware(row["day"]),
                detail=row["detail"],
                records=row["records"],
            )
            for row in analysis.alerts.to_pylist()
            if int(row["key"]) in known
        ),
        batch_size=BATCH,
    )
    return run


def _plain(value: Any) -> Any:
    """JSON-ready: dates and times as ISO text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def finding(key: str) -> Finding:
    """A finding by its id, or RefusedDecision saying there is none."""
    found = Finding.objects.filter(key=key).first()
    if found is None:
        raise RefusedDecision(f"no finding {key!r} (ids are listed by `safeguard findings list`)")
    return found


@transaction.atomic
def dispose(key: str, status: str, reason: str, by: str) -> FindingDisposition:
    """Set a finding's disposition, with the reason kept beside who and when."""
    if status not in Finding.Status.values:
        raise RefusedDecision(
            f"{status!r} is not a disposition ({', '.join(Finding.Status.values)})"
        )
    if not reason.strip():
        raise RefusedDecision("give a reason: it is kept with the disposition")
    if not by.strip():
        raise RefusedDecision("say who decides: it is kept with the disposition")
    found = finding(key)
    found.status = status
    found.save(update_fields=["status"])
    return FindingDisposition.objects.create(
        finding=found, status=status, reason=reason.strip(), decided_by=by.strip()
    )


@transaction.atomic
def confirm(person: int, band: str, reason: str, by: str, bands: list[str]) -> ScreeningDecision:
    """Record a practitioner's level for a child's current screening."""
    if band not in bands:
        raise RefusedDecision(f"{band!r} is not a band ({', '.join(bands)})")
    if not reason.strip():
        raise RefusedDecision("give a reason: it is kept with the decision")
    if not by.strip():
        raise RefusedDecision("say who decides: it is kept with the decision")
    screening = Screening.objects.filter(person_id=person, current=True).first()
    if screening is None:
        raise RefusedDecision(f"person {person} has no current screening (run `safeguard analyse`)")
    return ScreeningDecision.objects.create(
        screening=screening, band=band, reason=reason.strip(), decided_by=by.strip()
    )


@transaction.atomic
def record_indicator(
    person: int, code: str, seen_on: dt.date, note: str, by: str, codes: list[str]
) -> RecordedIndicator:
    """Record an indicator a practitioner saw (one of the catalogue's `codes`)."""
    if code not in codes:
        raise RefusedDecision(f"{code!r} is not an indicator of the catalogue ({', '.join(codes)})")
    if seen_on > timezone.localdate():
        raise RefusedDecision(f"{seen_on}: an indicator cannot be seen in the future")
    if not note.strip():
        raise RefusedDecision("say what you saw: it is kept as the evidence")
    if not by.strip():
        raise RefusedDecision("say who records it: it is kept with the evidence")
    if not Person.objects.filter(pk=person, retired_run__isnull=True).exists():
        raise RefusedDecision(f"no current person {person} (see `safeguard people show`)")
    return RecordedIndicator.objects.create(
        person_id=person, code=code, seen_on=seen_on, note=note.strip(), recorded_by=by.strip()
    )


def recorded_evidence(levels: Mapping[str, str]) -> pa.Table:
    """Practitioners' indicators as evidence rows (`indicators.COLUMNS`), each about one of the
    person's records, from the hub (`agency` "hub", `kind` "practitioner"); `levels` gives each
    catalogue code's level (codes no longer in the catalogue are left out)."""
    recorded = list(RecordedIndicator.objects.order_by("pk"))
    people = {r.person_id for r in recorded}
    first = dict(  # the person's first record; later pairs overwrite earlier ones
        PersonRecord.objects.filter(person_id__in=people)
        .order_by("-unique_id")
        .values_list("person_id", "unique_id")
    )
    rows = [
        (
            first[r.person_id],
            r.code,
            levels[r.code],
            dt.datetime.combine(r.seen_on, dt.time()),
            "hub",
            "practitioner",
            str(r.pk),
            f"recorded by {r.recorded_by}: {r.note}",
        )
        for r in recorded
        if r.code in levels and r.person_id in first
    ]
    names = ["subject", "code", "level", "occurred", "agency", "kind", "record_id", "detail"]
    return pa.table(
        {n: [row[i] for row in rows] for i, n in enumerate(names)},
        schema=pa.schema(
            [(n, pa.timestamp("us") if n == "occurred" else pa.string()) for n in names]
        ),
    )

"""How an analysis run is written to the hub: the run, each child's screening (the earlier
ones stay, no longer current), every finding (matched by its stable id, keeping its
disposition) and the missing-episode alerts. The transaction is the caller's
(`safeguard.hub.intelligence.services.analyse`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safeguard.hub.intelligence.models import AnalysisRun, Finding, MissingAlert, Screening

if TYPE_CHECKING:  # the analysis imports igraph and matplotlib, which only `analyse` needs
    from safeguard.intelligence.analysis import Analysis

BATCH = 5_000


def _when(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def _latest(reasons: list[dict[str, Any]]) -> dt.datetime | None:
    """The newest `last_seen` among a screening's reasons (aware), or None."""
    seen = [r["last_seen"] for r in reasons if r.get("last_seen")]
    if not seen:
        return None
    newest = max(seen)
    if isinstance(newest, str):
        newest = dt.datetime.fromisoformat(newest)
    return timezone.make_aware(newest) if timezone.is_naive(newest) else newest


def record_analysis(analysis: Analysis, started: dt.datetime) -> AnalysisRun:
    """Store one analysis run (see the module's description); inside a transaction."""
    s = analysis.summary
    run = AnalysisRun.objects.create(
        started_at=started,
        as_of=dt.date.fromisoformat(s.as_of),
        catalogue=s.catalogue,
        summary=asdict(s),
    )
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
                latest_evidence=_latest(row["reasons"] or []),
            )
            for row in analysis.screenings.to_pylist()
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

"""Intelligence in the hub, one function per action: record an analysis (a stage), dispose of
a finding (through its state machine), confirm a child's screening level, record an indicator
seen at first hand, and the audited reads (a finding, a screening, the lists).

Each asks the access policy, changes state and writes its typed audit event in one
transaction; a refusal is audited and raised (`safeguard.access.caller.Refusal`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from django.db import transaction
from django.utils import timezone

from safeguard.access import policy
from safeguard.access.caller import Caller, Refusal, RuleBroken
from safeguard.access.events import (
    AnalysisRecorded,
    FindingDisposed,
    IndicatorRecorded,
    Refused,
    ScreeningConfirmed,
    ViewedFinding,
    ViewedList,
    ViewedPerson,
)
from safeguard.access.policy import Action, Decision
from safeguard.casework import finding as disposition
from safeguard.hub import reactions
from safeguard.hub.audit import services as audit
from safeguard.hub.deliveries.queries import loaded_files
from safeguard.hub.homes import queries as homes
from safeguard.hub.intelligence import queries
from safeguard.hub.intelligence.models import (
    AnalysisRun,
    Finding,
    FindingDisposition,
    MissingAlert,
    RecordedIndicator,
    Screening,
    ScreeningDecision,
)
from safeguard.hub.intelligence.store import record_analysis
from safeguard.hub.people import queries as people
from safeguard.hub.people.models import Person
from safeguard.intelligence.catalogue import Catalogue
from safeguard.timescales import Timescales

if TYPE_CHECKING:  # the analysis imports igraph and matplotlib: only `analyse` pays for them
    from safeguard.intelligence.analysis import Analysis

__all__ = ["Refusal"]


@dataclass(frozen=True)
class Recorded:
    """An analysis and where the hub keeps it, with what its reactions did."""

    analysis: Analysis
    run: AnalysisRun
    reacted: dict[str, dict[str, Any]]


def analyse(
    caller: Caller, catalogue: Catalogue, clocks: Timescales, as_of: dt.date, out: Path
) -> Recorded:
    """Screen every linked child on `as_of` from the loaded deliveries and the hub's record of
    who is who (missing children's interviews timed on `clocks`), and record the run with its
    audit event in one transaction. The files it writes are published into `out` only once the
    run is recorded."""
    allowed = audit.check(
        caller, policy.act(caller.actor, Action.RUN_STAGE), Refused("analyse", str(as_of))
    )
    started, linked = timezone.now(), people.last_run()
    who = people.current_people()
    if not who.num_rows:
        _broken(caller, "analyse", "no linkage results yet: run `safeguard link` first")
    levels = {i.code: i.level for i in catalogue.indicators}
    _recover(out)
    staged = out.with_name(out.name + ".next")
    shutil.rmtree(staged, ignore_errors=True)
    from safeguard.intelligence.analysis import analyse as run_analysis

    analysis = run_analysis(
        loaded_files(),
        who,
        staged,
        catalogue,
        clocks,
        as_of,
        queries.settled_findings(),
        queries.recorded_evidence(levels),
        queries.recorded_text(),
        homes.professionals_table(),
    )
    try:
        with transaction.atomic():
            if people.last_run() != linked:
                raise RuleBroken("people were linked again while the analysis ran: run it again")
            run = record_analysis(analysis, started)
            s = analysis.summary
            event = AnalysisRecorded(run.pk, s.as_of, s.children_screened, s.at_risk)
            audit.write(caller.actor, event, allowed, caller.channel)
    except RuleBroken as broken:
        shutil.rmtree(staged, ignore_errors=True)
        _broken(caller, "analyse", str(broken))
    _publish(staged, out)
    return Recorded(analysis, run, reactions.after(reactions.Stage.ANALYSIS_RECORDED, caller))


def _recover(out: Path) -> None:
    """Put the last run's files back if a run was killed between the two renames of `_publish`
    (the run it was publishing is recorded; the next run publishes afresh)."""
    old = out.with_name(out.name + ".old")
    if not out.exists() and old.exists():
        old.rename(out)


def _publish(staged: Path, out: Path) -> None:
    """Put a recorded run's files in place of the last one's."""
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staged.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _broken(caller: Caller, attempted: str, why: str, person: int | None = None) -> NoReturn:
    audit.refuse(caller, Refused(attempted, person=person), Decision(False, why), rule=True)


def _holders(person: int) -> set[str]:
    return people.holders(people.records_of(person))


def dispose(caller: Caller, key: str, status: str, reason: str) -> FindingDisposition:
    """Move a finding to `status` through its state machine (`safeguard.casework.finding`),
    with the reason kept beside who and when."""
    attempted = f"dispose finding {key} as {status}"
    audit.check(caller, policy.act(caller.actor, Action.VIEW_FINDINGS), Refused(attempted))
    try:
        with transaction.atomic():
            found = Finding.objects.visible_to(caller.actor).filter(key=key).first()
            if found is None:
                raise RuleBroken(
                    f"no finding {key!r} (ids are listed by `safeguard findings list`)"
                )
            if not status:
                raise RuleBroken("choose what happens to the finding")
            if not reason.strip():
                raise RuleBroken("give a reason: it is kept with the disposition")
            move = disposition.MACHINE.towards(found.status, status)
            if move is None:
                raise RuleBroken(
                    f"a finding {found.status.replace('_', ' ')} cannot become "
                    f"{status.replace('_', ' ')}"
                )
            allowed = policy.step(
                caller.actor, Action.DISPOSE_FINDING, found.status, move.action, reason
            )
            if not allowed:
                raise _Denied(allowed)
            found.status = status
            found.save(update_fields=["status"])
            done = FindingDisposition.objects.create(
                finding=found,
                status=status,
                reason=reason.strip(),
                decided_by=caller.actor.username,
            )
            event = FindingDisposed(key, move.action, status, reason.strip())
            audit.write(caller.actor, event, allowed, caller.channel)
            return done
    except _Denied as denied:
        audit.refuse(caller, Refused(attempted, why=reason), denied.decision)
    except RuleBroken as broken:
        _broken(caller, attempted, str(broken))


class _Denied(Exception):
    def __init__(self, decision: Decision) -> None:
        self.decision = decision


def _checked(caller: Caller, action: Action, person: int, attempted: str) -> Decision:
    """May `caller` take `action` on the child `person`? A refusal is audited and raised."""
    return audit.check(
        caller,
        policy.on_person(caller.actor, action, _holders(person), caller.glassed(person)),
        Refused(attempted, person=person),
    )


def confirm(
    caller: Caller, person: int, band: str, reason: str, bands: list[str]
) -> ScreeningDecision:
    """Record a practitioner's level for a child's current screening, kept beside (never
    over) what the screening proposed."""
    attempted = f"confirm screening of P{person}"
    allowed = _checked(caller, Action.CONFIRM_SCREENING, person, attempted)
    try:
        with transaction.atomic():
            if band not in bands:
                raise RuleBroken(f"{band!r} is not a band ({', '.join(bands)})")
            if not reason.strip():
                raise RuleBroken("give a reason: it is kept with the decision")
            screening = Screening.objects.filter(person_id=person, current=True).first()
            if screening is None:
                raise RuleBroken(
                    f"person {person} has no current screening (run `safeguard analyse`)"
                )
            done = ScreeningDecision.objects.create(
                screening=screening,
                band=band,
                reason=reason.strip(),
                decided_by=caller.actor.username,
            )
            audit.write(
                caller.actor,
                ScreeningConfirmed(person, band, reason.strip()),
                allowed,
                caller.channel,
            )
            return done
    except RuleBroken as broken:
        _broken(caller, attempted, str(broken), person)


def record_indicator(
    caller: Caller, person: int, code: str, seen_on: dt.date | None, note: str, codes: list[str]
) -> RecordedIndicator:
    """Record an indicator (one of the catalogue's `codes`) a practitioner saw: every later
    screening counts it, citing them and their note as its evidence."""
    attempted = f"record indicator {code} for P{person}"
    allowed = _checked(caller, Action.RECORD_INDICATOR, person, attempted)
    try:
        with transaction.atomic():
            if code not in codes:
                raise RuleBroken(
                    f"{code!r} is not an indicator of the catalogue ({', '.join(codes)})"
                )
            if seen_on is None:
                raise RuleBroken("say when you saw it, like 6/12/2026")
            if seen_on > timezone.localdate():
                raise RuleBroken(f"{seen_on}: an indicator cannot be seen in the future")
            if not note.strip():
                raise RuleBroken("say what you saw: it is kept as the evidence")
            if not Person.objects.filter(pk=person, retired_run__isnull=True).exists():
                raise RuleBroken(f"no current person {person} (see `safeguard people show`)")
            done = RecordedIndicator.objects.create(
                person_id=person,
                code=code,
                seen_on=seen_on,
                note=note.strip(),
                recorded_by=caller.actor.username,
            )
            event = IndicatorRecorded(person, code, seen_on.isoformat(), note.strip())
            audit.write(caller.actor, event, allowed, caller.channel)
            return done
    except RuleBroken as broken:
        _broken(caller, attempted, str(broken), person)


def finding(caller: Caller, key: str) -> queries.FindingView:
    """A finding with its evidence (redacted for the reader) and its disposition history."""
    allowed = audit.check(
        caller, policy.act(caller.actor, Action.VIEW_FINDINGS), Refused("view finding", key)
    )
    found = Finding.objects.visible_to(caller.actor).filter(key=key).first()
    if found is None:
        _broken(
            caller,
            "view finding",
            f"no finding {key!r} (ids are listed by `safeguard findings list`)",
        )
    view = queries.finding_view(caller.actor, found)
    audit.seen(caller, ViewedFinding(key, view.people), allowed)
    return view


def screening(caller: Caller, person: int) -> queries.ScreeningView | None:
    """A child's current screening with the records behind it, for someone with need to know."""
    allowed = audit.check(
        caller,
        policy.person(caller.actor, _holders(person), caller.glassed(person)),
        Refused("view screening", person=person),
    )
    audit.seen(caller, ViewedPerson(person, "screening"), allowed)
    return queries.screening_of(person, caller.actor)


def findings(
    caller: Caller, filters: queries.FindingFilters, limit: int
) -> tuple[int, list[Finding]]:
    """The latest findings as `filters` ask (at most `limit`), and how many there are."""
    allowed = audit.check(
        caller, policy.act(caller.actor, Action.VIEW_FINDINGS), Refused("list", filters.describe())
    )
    rows = queries.findings(caller.actor, filters)
    shown = list(rows[:limit])
    named = sorted({p for f in shown for p in queries.finding_view(caller.actor, f).people})
    audit.seen(caller, ViewedList(filters.describe(), tuple(named)), allowed)
    return rows.count(), shown


def screening_queue(caller: Caller, view: str, page: int) -> tuple[int, list[queries.QueueLine]]:
    """Children proposed at risk and not decided (or decided, or proposed for referral) whom
    the caller has need to know of, newest evidence first; the list is audited."""
    label = f"screening queue ({view}, page {page})"
    allowed = audit.check(
        caller, policy.act(caller.actor, Action.CONFIRM_SCREENING), Refused("list", label)
    )
    total, lines = queries.screening_queue(caller.actor, view, page)
    audit.seen(caller, ViewedList(label, tuple(line.person_id for line in lines)), allowed)
    return total, lines


def alerts(
    caller: Caller, filters: queries.AlertFilters, limit: int
) -> tuple[int, list[MissingAlert]]:
    """Missing-episode alerts about children the caller has need to know of."""
    allowed = audit.check(
        caller, policy.act(caller.actor, Action.VIEW_PERSON), Refused("list", filters.describe())
    )
    rows = queries.alerts(caller.actor, filters)
    shown = list(rows[:limit])
    named = tuple(sorted({a.person_id for a in shown}))
    audit.seen(caller, ViewedList(filters.describe(), named), allowed)
    return rows.count(), shown

"""Reading missing children, each reading audited before anything is shown: the queue, an
episode, a child's pattern, the provider's interviews and one interview, the strategy
discussions, and the figures by area and month (counts: no child is named)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import Refused, ViewedEpisode, ViewedList
from safeguard.access.policy import Action, Decision, act
from safeguard.hub.audit import services as audit
from safeguard.hub.missing import queries
from safeguard.hub.missing.models import Episode, Interview, StrategyTask


def queue(caller: Caller, view: str, page: int = 1) -> tuple[int, list[queries.Line]]:
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_EPISODES), Refused("list", f"missing {view}")
    )
    total, rows = queries.queue(caller.actor, view, timezone.now(), page)
    named = tuple(sorted({r.person_id for r in rows if r.person_id}))
    audit.seen(caller, ViewedList(f"missing episodes: {view} page {page}", named), allowed)
    return total, rows


def episode(caller: Caller, episode_id: int) -> queries.EpisodeView:
    refused = Refused("view an episode", f"episode {episode_id}")
    allowed = audit.check(caller, act(caller.actor, Action.VIEW_EPISODES), refused)
    found = queries.visible_episode(caller.actor, episode_id)
    if found is None:
        why = Decision(False, f"no episode {episode_id} that you may see")
        audit.refuse(caller, refused, why, rule=True)
    audit.seen(caller, ViewedEpisode(found.pk, found.person_id), allowed)
    return queries.episode_view(caller.actor, found, timezone.now())


def pattern(caller: Caller, person: int) -> list[Episode]:
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_EPISODES), Refused("view a pattern", f"P{person}")
    )
    found = queries.pattern(caller.actor, person)
    audit.seen(caller, ViewedList("missing pattern", (person,) if found else ()), allowed)
    return found


def interviews(caller: Caller, status: str) -> list[Interview]:
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_INTERVIEWS), Refused("list", "interviews")
    )
    found = queries.interviews(caller.actor, status, timezone.now())
    named = tuple(sorted({i.episode.person_id for i in found if i.episode.person_id}))
    audit.seen(caller, ViewedList(f"return home interviews: {status}", named), allowed)
    return found


def interview(caller: Caller, interview_id: int) -> Interview:
    refused = Refused("view an interview", f"interview {interview_id}")
    allowed = audit.check(caller, act(caller.actor, Action.VIEW_INTERVIEWS), refused)
    found = queries.visible_interview(caller.actor, interview_id)
    if found is None:
        why = Decision(False, f"no interview {interview_id} for your agency")
        audit.refuse(caller, refused, why, rule=True)
    audit.seen(caller, ViewedEpisode(found.episode_id, found.episode.person_id), allowed)
    return found


def tasks(caller: Caller) -> list[StrategyTask]:
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_EPISODES), Refused("list", "strategy tasks")
    )
    found = queries.tasks(caller.actor)
    named = tuple(sorted({t.person_id for t in found}))
    audit.seen(caller, ViewedList("strategy discussions", named), allowed)
    return found


def task(caller: Caller, task_id: int) -> StrategyTask:
    refused = Refused("view a strategy task", f"task {task_id}")
    allowed = audit.check(caller, act(caller.actor, Action.VIEW_EPISODES), refused)
    found = queries.visible_task(caller.actor, task_id)
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no task {task_id}"), rule=True)
    audit.seen(caller, ViewedEpisode(found.episode_id, found.person_id), allowed)
    return found


def figures(caller: Caller, months: int = 12) -> list[queries.Figure]:
    """Counts by council area and month: read by those who answer for the system (no child
    named, so no child is recorded as seen)."""
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_MISSING_FIGURES), Refused("list", "figures")
    )
    since = timezone.now() - dt.timedelta(days=31 * months)
    audit.seen(caller, ViewedList("missing figures by area and month"), allowed)
    return queries.figures(since)

"""Reading missing children: the episodes queue (away now first, then returns whose interview
is due), one episode with its interview, tasks and reports, a child's pattern (every episode
with where they were found), the provider's interviews to do, and the figures the strategic
group asks for: interviews offered, accepted and done within 72 hours, by council area and
month. Reads only: the services ask the policy and audit first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import timezone

from safeguard.access.policy import Actor, Role
from safeguard.casework import episode as episodes
from safeguard.casework import rhi, strategy
from safeguard.hub import clocks
from safeguard.hub.homes.queries import lives_at_home_of
from safeguard.hub.mash.models import AREAS
from safeguard.hub.missing.models import Episode, Interview, Profile, Sighting, StrategyTask
from safeguard.hub.people.models import PersonRecord, SearchEntry
from safeguard.intelligence.catalogue import load as load_catalogue
from safeguard.settings import get_settings

AREA_LABELS = dict(AREAS)


def name_of(person: int | None) -> str:
    """A person's name as an agency holds it (for lists), "" when unknown."""
    if person is None:
        return ""
    return SearchEntry.objects.names([person]).get(person) or f"P{person}"


def same_episode(
    person: int, started: dt.datetime, returned: dt.datetime | None, slack: dt.timedelta
) -> Episode | None:
    """The hub's episode of this child covering the same time, if there is one."""
    for found in Episode.objects.filter(person_id=person).exclude(status=episodes.CANCELLED):
        if episodes.same_episode((found.started_at, found.returned_at), (started, returned), slack):
            return found
    return None


@lru_cache(maxsize=1)
def signs() -> dict[str, str]:
    """What an interviewer may record as seen: the screening catalogue's moderate and
    significant indicators (its code and label), as practitioners record them."""
    catalogue = load_catalogue(get_settings().screening_catalogue)
    return {
        i.code: i.label
        for i in catalogue.indicators
        if i.level in ("moderate", "significant") and not i.code.endswith(("_contact", "_flag"))
    }


@dataclass(frozen=True)
class Line:
    """An episode as a queue line."""

    pk: int
    child: str
    person_id: int | None
    kind: str
    status: str
    grade: str
    home: str
    started_at: dt.datetime
    returned_at: dt.datetime | None
    interview: str
    interview_due: dt.datetime | None
    overdue: bool


PAGE = 50


def queue(actor: Actor, view: str, now: dt.datetime, page: int = 1) -> tuple[int, list[Line]]:
    """A page of the episodes `actor` may see: `away` (away now, longest first), `interviews`
    (returned, interview not yet done, soonest due first) or `recent` (the last 30 days, newest
    first); and how many there are in all."""
    qs = Episode.objects.visible_to(actor).select_related("home", "interview")
    if view == "away":
        qs = qs.filter(status=episodes.AWAY).order_by("started_at")
    elif view == "interviews":
        qs = qs.filter(status=episodes.RETURNED, interview__status__in=rhi.OPEN).order_by(
            "interview__due_at"
        )
    else:
        qs = qs.filter(started_at__gte=now - dt.timedelta(days=30)).order_by("-started_at")
    start = (max(page, 1) - 1) * PAGE
    return qs.count(), [_line(e, now) for e in qs[start : start + PAGE]]


def _line(e: Episode, now: dt.datetime) -> Line:
    interview = getattr(e, "interview", None)
    return Line(
        pk=e.pk,
        child=e.child_name or "Not named",
        person_id=e.person_id,
        kind=e.kind,
        status=e.status,
        grade=e.grade,
        home=e.home.name if e.home else "",
        started_at=e.started_at,
        returned_at=e.returned_at,
        interview=interview.status if interview else "",
        interview_due=interview.due_at if interview else None,
        overdue=bool(interview and interview.status in rhi.OPEN and interview.due_at < now),
    )


@dataclass
class EpisodeView:
    episode: Episode
    steps: list[Any]
    interview: Interview | None
    tasks: list[StrategyTask]
    reports: list[str]
    part_two: Sighting | None
    profile: Profile | None
    actions: list[str]
    interview_standing: str


def episode_view(actor: Actor, found: Episode, now: dt.datetime) -> EpisodeView:
    interview = Interview.objects.filter(episode=found).first()
    profile = (
        Profile.objects.visible_to(actor).filter(person_id=found.person_id).first()
        if found.person_id
        else None
    )
    return EpisodeView(
        episode=found,
        steps=list(found.steps.all()),
        interview=interview,
        tasks=list(found.tasks.all()),
        reports=list(found.reports.values_list("record", flat=True)),
        part_two=Sighting.objects.filter(episode=found).first(),
        profile=profile,
        actions=[t.action for t in episodes.MACHINE.actions(found.status, actor.roles)],
        interview_standing=clocks.standing(
            interview.due_at if interview else None,
            (interview.done_at or interview.offered_at) if interview else None,
            now,
        ),
    )


def visible_episode(actor: Actor, episode_id: int) -> Episode | None:
    return (
        Episode.objects.visible_to(actor)
        .select_related("home", "home__police_spoc")
        .filter(pk=episode_id)
        .first()
    )


def pattern(actor: Actor, person: int) -> list[Episode]:
    """Every episode of the child `actor` may see, newest first, with where they were found."""
    return list(
        Episode.objects.visible_to(actor)
        .filter(person_id=person)
        .select_related("home", "interview")
        .order_by("-started_at")
    )


def interviews(actor: Actor, status: str, now: dt.datetime) -> list[Interview]:
    """The provider's interviews: open ones soonest due first, or closed ones newest first."""
    qs = Interview.objects.visible_to(actor).select_related("episode", "episode__home")
    if status == "open":
        return list(qs.filter(status__in=rhi.OPEN).order_by("due_at")[:200])
    return list(qs.exclude(status__in=rhi.OPEN).order_by("-due_at")[:200])


def visible_interview(actor: Actor, interview_id: int) -> Interview | None:
    return (
        Interview.objects.visible_to(actor)
        .select_related("episode", "episode__home")
        .filter(pk=interview_id)
        .first()
    )


def tasks(actor: Actor) -> list[StrategyTask]:
    """Strategy discussions to hold, soonest due first."""
    return list(
        StrategyTask.objects.visible_to(actor)
        .filter(status=strategy.OPEN)
        .select_related("episode")
        .order_by("due_at")
    )


def visible_task(actor: Actor, task_id: int) -> StrategyTask | None:
    return StrategyTask.objects.visible_to(actor).filter(pk=task_id).first()


@dataclass(frozen=True)
class Figure:
    """Return home interviews for one council area and month."""

    area: str
    month: str
    returns: int
    offered_in_time: int
    accepted: int
    done: int
    done_in_time: int

    @property
    def area_label(self) -> str:
        return AREA_LABELS.get(self.area, "Not known")

    def share(self, n: int) -> str:
        return f"{100 * n / self.returns:.0f}%" if self.returns else "–"


def figures(since: dt.datetime) -> list[Figure]:
    """Interviews offered within 72 hours, accepted, and done (within 72 hours), by the council
    area of the episode and the month of the return (DOMAIN.md: nationally 63% within 72
    hours, 2023-24)."""
    rows = Interview.objects.filter(episode__returned_at__gte=since).values(
        "episode__council_area",
        "episode__returned_at",
        "due_at",
        "offered_at",
        "accepted_at",
        "done_at",
        "status",
    )
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for r in rows:
        returned = r["episode__returned_at"]
        if returned is None:
            continue
        month = timezone.localtime(returned).strftime("%Y-%m")
        t = tally[(r["episode__council_area"] or "", month)]
        t[0] += 1
        t[1] += bool(r["offered_at"] and r["offered_at"] <= r["due_at"]) or bool(
            r["done_at"] and r["done_at"] <= r["due_at"]
        )
        t[2] += bool(r["accepted_at"] or r["done_at"])
        t[3] += r["status"] == rhi.DONE
        t[4] += bool(r["done_at"] and r["done_at"] <= r["due_at"])
    return [
        Figure(area, month, *values)
        for (area, month), values in sorted(tally.items(), key=lambda x: (x[0][1], x[0][0]))
    ]


def overdue_interviews(now: dt.datetime) -> list[Interview]:
    return list(
        Interview.objects.filter(status__in=rhi.OPEN, due_at__lt=now).select_related("episode")
    )


def overdue_tasks(now: dt.datetime) -> list[StrategyTask]:
    return list(StrategyTask.objects.filter(status=strategy.OPEN, due_at__lt=now))


def counts(actor: Actor, now: dt.datetime) -> dict[str, int]:
    """Numbers only, for "Your work": children away now, interviews due and overdue,
    strategy discussions to hold."""
    mine = Episode.objects.visible_to(actor)
    interviews_ = Interview.objects.visible_to(actor).filter(status__in=rhi.OPEN)
    return {
        "away": mine.filter(status=episodes.AWAY).count(),
        "interviews": interviews_.count(),
        "interviews_overdue": interviews_.filter(due_at__lt=now).count(),
        "tasks": StrategyTask.objects.visible_to(actor).filter(status=strategy.OPEN).count(),
    }


def has_profile(person: int) -> bool:
    return Profile.objects.filter(person_id=person).exists()


def profile_of(actor: Actor, person: int) -> Profile | None:
    """A child's Philomena part 1, if `actor` may see it."""
    return Profile.objects.visible_to(actor).filter(person_id=person).first()


def profile_initial(profile: Profile | None) -> dict[str, str]:
    if profile is None:
        return {}
    names = (
        "description",
        "photo_reference",
        "associates",
        "places",
        "phones",
        "social_media",
        "transport",
        "medical",
    )
    return {n: getattr(profile, n) for n in names} | {
        "home": profile.home.home_id if profile.home else ""
    }


def may_keep(actor: Actor, person: int) -> bool:
    """May `actor` keep this child's Philomena form? A home's staff, for a child living at
    their home now; a social worker, for a child their agency holds records of."""
    if Role.HOME_STAFF in actor.roles and lives_at_home_of(actor, person):
        return True
    if Role.SOCIAL_WORKER in actor.roles:
        return PersonRecord.objects.filter(person_id=person, agency=actor.agency).exists()
    return False

"""Reading children's homes at work: the register (each home, its residents now, its SPOC),
the SPOC coverage report, one home, and a police SPOC's page (their homes, each home's
residents, open episodes, overdue interviews, screening flags and network findings that touch
them, and their visits). Reads only: the services ask the policy and audit first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q

from safeguard.access.policy import Actor, intelligence
from safeguard.casework import episode as episodes
from safeguard.casework import rhi
from safeguard.hub.carehomes.models import Notification, Visit
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.homes.queries import residents
from safeguard.hub.intelligence.models import Finding, FindingDisposition, Screening
from safeguard.hub.missing.models import Episode, Interview


@dataclass(frozen=True)
class Row:
    home: ChildrensHome
    residents: int
    away: int

    @property
    def spoc(self) -> str:
        spoc = self.home.police_spoc
        return spoc.get_full_name() or spoc.username if spoc else ""


def register(actor: Actor) -> list[Row]:
    """Every home `actor` may see, with its residents now and children away now."""
    homes = list(ChildrensHome.objects.visible_to(actor).select_related("police_spoc"))
    living = residents(homes)
    away: dict[int, int] = defaultdict(int)
    for home in Episode.objects.filter(status=episodes.AWAY, home__in=homes).values_list(
        "home_id", flat=True
    ):
        away[home] += 1
    return [Row(h, len(living.get(h.pk, [])), away.get(h.pk, 0)) for h in homes]


def coverage() -> list[ChildrensHome]:
    """Every open home, those without a SPOC first."""
    return list(
        ChildrensHome.objects.filter(open=True)
        .select_related("police_spoc", "spoc_owner")
        .annotate(covered=ExpressionWrapper(Q(police_spoc__isnull=False), BooleanField()))
        .order_by("covered", "name")
    )


@dataclass
class HomeView:
    home: ChildrensHome
    residents: list[tuple[int, str]]
    episodes: list[Episode]
    episodes_counted: int
    interviews_overdue: list[Interview]
    flags: list[Screening]
    findings: list[Finding] | None
    visits: list[Visit]
    notices: list[Notification]
    people: set[int] = field(default_factory=set)


def home_view(actor: Actor, home: ChildrensHome, now: dt.datetime) -> HomeView:
    """One home as `actor` may see it: its residents, their episodes (open, and the last 90
    days), interviews overdue, screening flags, findings touching it (for those who read
    intelligence), visits and notifications."""
    return home_views(actor, [home], now, shown=100)[0]


def home_views(
    actor: Actor, homes: list[ChildrensHome], now: dt.datetime, shown: int = 10
) -> list[HomeView]:
    """Several homes' views in a few queries for them all (who lives where, their episodes,
    overdue interviews, flags, visits, notifications, and the live findings read once);
    each home's latest `shown` episodes of the last 90 days."""
    living = residents(homes)
    people = {h.pk: {p for p, _ in living.get(h.pk, [])} for h in homes}
    everyone = set().union(*people.values()) if people else set()
    episodes = Episode.objects.visible_to(actor).filter(home__in=homes)
    recent: dict[int, list[Episode]] = defaultdict(list)
    counted: dict[int, int] = defaultdict(int)
    for e in (
        episodes.filter(started_at__gte=now - dt.timedelta(days=90))
        .select_related("interview")
        .order_by("-started_at")
    ):
        counted[e.home_id or 0] += 1
        if len(recent[e.home_id or 0]) < shown:
            recent[e.home_id or 0].append(e)
    late: dict[int, list[Interview]] = defaultdict(list)
    for i in Interview.objects.filter(
        episode__in=episodes, status__in=rhi.OPEN, due_at__lt=now
    ).select_related("episode"):
        late[i.episode.home_id or 0].append(i)
    flags: dict[int, Screening] = {
        s.person_id: s
        for s in Screening.objects.filter(person_id__in=everyone, current=True, at_risk=True).only(
            "person_id", "band", "score", "assessed_on"
        )
    }
    visits: dict[int, list[Visit]] = defaultdict(list)
    for v in Visit.objects.visible_to(actor).filter(home__in=homes)[: 50 * len(homes)]:
        visits[v.home_id].append(v)
    notices: dict[int, list[Notification]] = defaultdict(list)
    for n in Notification.objects.visible_to(actor).filter(home__in=homes)[: 50 * len(homes)]:
        notices[n.home_id].append(n)
    touching = _findings(actor, homes, people)
    return [
        HomeView(
            home=h,
            residents=living.get(h.pk, []),
            episodes=recent[h.pk],
            episodes_counted=counted[h.pk],
            interviews_overdue=late[h.pk],
            flags=sorted((flags[p] for p in people[h.pk] if p in flags), key=lambda s: -s.score),
            findings=touching.get(h.pk) if touching is not None else None,
            visits=visits[h.pk][:50],
            notices=notices[h.pk][:50],
            people=people[h.pk],
        )
        for h in homes
    ]


def _findings(
    actor: Actor, homes: list[ChildrensHome], people: dict[int, set[int]]
) -> dict[int, list[Finding]] | None:
    """The live findings touching each home (a resident, or the home's postcode, among their
    members), for those who read intelligence (None for the others)."""
    if not intelligence(actor):
        return None
    index, rank = _finding_index()
    keys = {}
    for h in homes:
        nodes = [f"P:{p}" for p in people[h.pk]] + (
            [f"L:{h.postcode.upper()}"] if h.postcode else []
        )
        hits = {pk for node in nodes for pk in index.get(node, ())}
        keys[h.pk] = sorted(hits, key=rank.__getitem__)[:50]
    shown = Finding.objects.only("pk", "key", "summary", "status")  # not the evidence
    found = shown.in_bulk([k for ks in keys.values() for k in ks])
    return {h: [found[k] for k in ks if k in found] for h, ks in keys.items()}


#: The live findings by member node, kept while the findings are unchanged (an analysis or a
#: disposition changes them): matching every finding's members on every page was most of a
#: SPOC page's time.
_INDEX: dict[tuple[Any, ...], tuple[dict[str, list[int]], dict[int, int]]] = {}


def _finding_index() -> tuple[dict[str, list[int]], dict[int, int]]:
    live = Finding.objects.filter(status__in=("open", "under_investigation"), active=True)
    version = (
        tuple(live.aggregate(run=Max("last_run_id"), n=Count("pk"), top=Max("pk")).values()),
        FindingDisposition.objects.aggregate(last=Max("pk"))["last"],
    )
    cached = _INDEX.get(version)
    if cached is not None:
        return cached
    index: dict[str, list[int]] = defaultdict(list)
    rank: dict[int, int] = {}
    rows = live.order_by("-at_risk_children", "pk").values_list("pk", "members")
    for n, (pk, members) in enumerate(rows):
        rank[pk] = n
        for m in members or []:
            if isinstance(m, dict) and m.get("node"):
                index[str(m["node"])].append(pk)
    _INDEX.clear()
    _INDEX[version] = (dict(index), rank)
    return _INDEX[version]


def visible_home(actor: Actor, home_id: str) -> ChildrensHome | None:
    """A home `actor` may open: the register's readers any; a SPOC or staff their own."""
    found = ChildrensHome.objects.filter(home_id=home_id).select_related("police_spoc").first()
    if found is None:
        return None
    if ChildrensHome.objects.visible_to(actor).filter(pk=found.pk).exists():
        return found
    if ChildrensHome.objects.of_spoc(actor).filter(pk=found.pk).exists():
        return found
    return None

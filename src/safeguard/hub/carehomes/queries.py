"""Reading children's homes at work: the register (each home, its residents now, its SPOC),
the SPOC coverage report, one home, and a police SPOC's page (their homes, each home's
residents, open episodes, overdue interviews, screening flags and network findings that touch
them, and their visits). Reads only: the services ask the policy and audit first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from safeguard.access.policy import Actor, intelligence
from safeguard.casework import episode as episodes
from safeguard.casework import rhi
from safeguard.hub.carehomes.models import Notification, Visit
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.homes.queries import residents
from safeguard.hub.intelligence.models import Finding, Screening
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
        .order_by("police_spoc", "name")
    )


@dataclass
class HomeView:
    home: ChildrensHome
    residents: list[tuple[int, str]]
    episodes: list[Episode]
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
    return home_views(actor, [home], now)[0]


def home_views(actor: Actor, homes: list[ChildrensHome], now: dt.datetime) -> list[HomeView]:
    """Several homes' views, reading what they share once: who lives in each, and the live
    findings (with only the members they are matched on)."""
    living = residents(homes)
    live: list[tuple[int, Any]] | None = None
    if intelligence(actor):
        live = list(
            Finding.objects.filter(status__in=("open", "under_investigation"), active=True)
            .order_by("-at_risk_children")
            .values_list("pk", "members")
        )
    views = []
    for home in homes:
        mine = living.get(home.pk, [])
        people = {p for p, _ in mine}
        findings = None
        if live is not None:
            keys = [pk for pk, members in live if _touches(members, people, home)][:50]
            found_by_pk = Finding.objects.in_bulk(keys) if keys else {}
            findings = [found_by_pk[k] for k in keys if k in found_by_pk]
        views.append(_view(actor, home, mine, people, findings, now))
    return views


def _view(
    actor: Actor,
    home: ChildrensHome,
    living: list[tuple[int, str]],
    people: set[int],
    findings: list[Finding] | None,
    now: dt.datetime,
) -> HomeView:
    shown = Episode.objects.visible_to(actor).filter(home=home)
    recent = list(
        shown.filter(started_at__gte=now - dt.timedelta(days=90))
        .select_related("interview")
        .order_by("-started_at")[:100]
    )
    late = list(
        Interview.objects.filter(
            episode__in=shown, status__in=rhi.OPEN, due_at__lt=now
        ).select_related("episode")
    )
    flags = list(
        Screening.objects.filter(person_id__in=people, current=True, at_risk=True).order_by(
            "-score"
        )
    )
    return HomeView(
        home=home,
        residents=living,
        episodes=recent,
        interviews_overdue=late,
        flags=flags,
        findings=findings,
        visits=list(Visit.objects.visible_to(actor).filter(home=home)[:50]),
        notices=list(Notification.objects.visible_to(actor).filter(home=home)[:50]),
        people=people,
    )


def _touches(members: list[Any], people: set[int], home: ChildrensHome) -> bool:
    """A finding touches a home when one of its residents, or the home's postcode, is among
    its members (nodes `P:<person>` and `L:<postcode>`)."""
    nodes = {str(m.get("node")) for m in (members or []) if isinstance(m, dict)}
    place = f"L:{home.postcode.upper()}" if home.postcode else ""
    return bool({f"P:{p}" for p in people} & nodes) or (place in nodes)


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

"""Reading MACE meetings: the list (upcoming soonest first, then past newest first), one
meeting with its agenda by kind, its actions and its disruption, one item, the actions lists
(yours, all open, overdue), and who may chair or own an action. What an item draws from
network findings is shown only to those who read intelligence; others see that the item
concerns a network finding. Reads only: the services ask the policy and audit first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from safeguard.access.policy import Actor, intelligence
from safeguard.casework import mace
from safeguard.hub import clocks
from safeguard.hub.accounts.models import User
from safeguard.hub.mace.models import Disruption, Item, Meeting, MeetingAction
from safeguard.hub.mace.queries.agenda import rules
from safeguard.hub.mash.models import AREAS
from safeguard.timescales.deadline import LONDON

AREA_LABELS = dict(AREAS)
#: The council areas a meeting may cover (out of area is not a meeting's).
MEETING_AREAS = [(code, label) for code, label in AREAS if code != "out_of_area"]
WITHHELD = {
    mace.FINDING: "A network finding: its details are for the police, the MASH and analysts",
    mace.PLACE: "A place of concern from a network finding: its details are for the police, "
    "the MASH and analysts",
}


def agency_label(code: str) -> str:
    return rules().agencies.get(code, code)


def due_at(due_on: dt.date) -> dt.datetime:
    """An action due on a day is due by the end of it."""
    return dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time()).replace(tzinfo=LONDON)


@dataclass(frozen=True)
class MeetingLine:
    meeting: Meeting
    items: int
    decided: int
    open_actions: int
    overdue: int

    @property
    def areas(self) -> str:
        return ", ".join(AREA_LABELS.get(a, a) for a in self.meeting.areas)


def meetings(actor: Actor, today: dt.date) -> tuple[list[MeetingLine], list[MeetingLine]]:
    """The meetings to come (soonest first) and the last 50 held (newest first), with their
    items, decisions and actions counted."""
    open_ = Q(items__actions__status=mace.OPEN)
    qs = (
        Meeting.objects.visible_to(actor)
        .select_related("chair")
        .annotate(
            n_items=Count("items", distinct=True),
            n_decided=Count("items", filter=Q(items__decided_at__isnull=False), distinct=True),
            n_open=Count("items__actions", filter=open_, distinct=True),
            n_overdue=Count(
                "items__actions", filter=open_ & Q(items__actions__due_on__lt=today), distinct=True
            ),
        )
    )

    def line(m: Meeting) -> MeetingLine:
        return MeetingLine(m, m.n_items, m.n_decided, m.n_open, m.n_overdue)  # type: ignore[attr-defined]

    upcoming = [line(m) for m in qs.filter(held_on__gte=today).order_by("held_on", "pk")]
    past = [line(m) for m in qs.filter(held_on__lt=today).order_by("-held_on", "-pk")[:50]]
    return upcoming, past


@dataclass(frozen=True)
class ItemLine:
    """An agenda item as one reader may see it."""

    item: Item
    title: str
    reasons: list[str]
    withheld: bool
    open_actions: int = 0
    overdue: int = 0

    @property
    def pk(self) -> int:
        return self.item.pk


def item_line(reads: bool, item: Item, open_actions: int = 0, overdue: int = 0) -> ItemLine:
    if item.intelligence and not reads:
        return ItemLine(
            item, WITHHELD[item.kind], [WITHHELD[item.kind]], True, open_actions, overdue
        )
    return ItemLine(item, item.title, list(item.reasons), False, open_actions, overdue)


@dataclass(frozen=True)
class ActionLine:
    action: MeetingAction
    title: str
    standing: str

    @property
    def due_at(self) -> dt.datetime:
        return due_at(self.action.due_on)

    @property
    def agency(self) -> str:
        return agency_label(self.action.agency)


def action_line(reads: bool, action: MeetingAction, now: dt.datetime) -> ActionLine:
    done = action.closed_at if action.status == mace.DONE else None
    standing = (
        "cancelled"
        if action.status == mace.CANCELLED
        else clocks.standing(due_at(action.due_on), done, now)
    )
    return ActionLine(action, item_line(reads, action.item).title, standing)


@dataclass
class MeetingView:
    meeting: Meeting
    groups: list[tuple[str, str, list[ItemLine]]]
    actions: list[ActionLine]
    disruptions: list[Disruption]
    reads_intelligence: bool
    upcoming: bool

    @property
    def areas(self) -> str:
        return ", ".join(AREA_LABELS.get(a, a) for a in self.meeting.areas)

    @property
    def attendees(self) -> str:
        return ", ".join(agency_label(a) for a in self.meeting.attendees)

    @property
    def shown(self) -> tuple[int, ...]:
        people = {i.item.person_id for _, _, items in self.groups for i in items}
        return tuple(sorted(p for p in people if p is not None))

    @property
    def items(self) -> int:
        return sum(len(items) for _, _, items in self.groups)

    @property
    def decided(self) -> int:
        return sum(1 for _, _, items in self.groups for i in items if i.item.decided_at)


def meeting_view(actor: Actor, meeting: Meeting, now: dt.datetime) -> MeetingView:
    reads = bool(intelligence(actor))
    today = now.astimezone(LONDON).date()
    actions = list(
        MeetingAction.objects.filter(item__meeting=meeting).select_related("owner", "item")
    )
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for a in actions:
        if a.status == mace.OPEN:
            tally[a.item_id][0] += 1
            tally[a.item_id][1] += a.due_on < today
    by_kind: dict[str, list[ItemLine]] = {k: [] for k in mace.KIND_LABELS}
    for item in meeting.items.all():
        by_kind[item.kind].append(item_line(reads, item, *tally[item.pk]))
    return MeetingView(
        meeting=meeting,
        groups=[(k, mace.KIND_LABELS[k], by_kind[k]) for k in mace.KIND_LABELS],
        actions=[action_line(reads, a, now) for a in actions],
        disruptions=list(meeting.disruptions.select_related("item").all()),
        reads_intelligence=reads,
        upcoming=meeting.held_on >= today,
    )


def visible_meeting(actor: Actor, meeting_id: int) -> Meeting | None:
    return Meeting.objects.visible_to(actor).select_related("chair").filter(pk=meeting_id).first()


@dataclass
class ItemView:
    line: ItemLine
    meeting: Meeting
    actions: list[ActionLine]
    disruptions: list[Disruption] = field(default_factory=list)

    @property
    def item(self) -> Item:
        return self.line.item


def item_view(actor: Actor, item: Item, now: dt.datetime) -> ItemView:
    reads = bool(intelligence(actor))
    actions = list(item.actions.select_related("owner", "item"))
    return ItemView(
        line=item_line(reads, item),
        meeting=item.meeting,
        actions=[action_line(reads, a, now) for a in actions],
        disruptions=list(item.disruptions.all()),
    )


def visible_item(actor: Actor, item_id: int) -> Item | None:
    return (
        Item.objects.visible_to(actor)
        .select_related("meeting", "meeting__chair")
        .filter(pk=item_id)
        .first()
    )


def visible_action(actor: Actor, action_id: int) -> MeetingAction | None:
    return (
        MeetingAction.objects.visible_to(actor)
        .select_related("owner", "item", "item__meeting")
        .filter(pk=action_id)
        .first()
    )


VIEWS = {"mine": "Yours", "open": "All open", "overdue": "Overdue"}


def actions(actor: Actor, view: str, now: dt.datetime) -> list[ActionLine]:
    """Actions soonest due first: the actor's own (open, then the last 30 closed), every open
    one, or the overdue ones."""
    today = now.astimezone(LONDON).date()
    qs = MeetingAction.objects.visible_to(actor).select_related("owner", "item", "item__meeting")
    if view == "mine":
        mine = qs.filter(owner__username=actor.username)
        rows = list(mine.filter(status=mace.OPEN).order_by("due_on", "pk")) + list(
            mine.exclude(status=mace.OPEN).order_by("-closed_at")[:30]
        )
    elif view == "overdue":
        rows = list(qs.filter(status=mace.OPEN, due_on__lt=today).order_by("due_on", "pk"))
    else:
        rows = list(qs.filter(status=mace.OPEN).order_by("due_on", "pk")[:500])
    reads = bool(intelligence(actor))
    return [action_line(reads, a, now) for a in rows]


def counts(actor: Actor, today: dt.date) -> dict[str, int]:
    """Numbers only, for "Your work": the actor's open MACE actions, and how many overdue."""
    mine = MeetingAction.objects.visible_to(actor).filter(
        owner__username=actor.username, status=mace.OPEN
    )
    return {"actions": mine.count(), "overdue": mine.filter(due_on__lt=today).count()}


def attendees() -> list[User]:
    """Who may chair a meeting or own an action: active users holding a role that attends."""
    held = {r.value for r in mace.ATTENDEES}
    users = User.objects.filter(is_active=True).order_by("username")
    return [u for u in users if held & set(u.roles or [])]


def attendee(username: str) -> User | None:
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None or not {r.value for r in mace.ATTENDEES} & set(found.roles or []):
        return None
    return found


def overdue_actions(today: dt.date) -> list[MeetingAction]:
    return list(
        MeetingAction.objects.filter(status=mace.OPEN, due_on__lt=today).select_related(
            "owner", "item"
        )
    )


def recorder(actor: Actor) -> bool:
    """Does `actor` record for MACE meetings (and so may close any action)?"""
    return bool(actor.roles & mace.RECORDERS)

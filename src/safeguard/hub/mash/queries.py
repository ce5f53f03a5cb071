"""Reading the MASH: the queues people work from (a team's contacts, an agency's checks, what a
professional sent), one contact as its reader may see it, and the manager's load and
breaches. Reads only: the services ask the policy and audit each reading first.

Queues are one SQL query each, sorted by the next due time with what is overdue first; a
contact's clocks are stored as due times, so "overdue" is a comparison with now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from safeguard.access import policy
from safeguard.access.policy import Actor
from safeguard.casework import check, contact
from safeguard.hub.accounts.models import Team, User
from safeguard.hub.deliveries.models import Agency
from safeguard.hub.deliveries.queries import delivered_about
from safeguard.hub.mash import clocks
from safeguard.hub.mash.models import AREAS as AREAS
from safeguard.hub.mash.models import Allocation, CheckRequest, Contact, Subject
from safeguard.hub.people.models import Person, PersonRecord

PAGE = 50
AREA_LABELS = dict(AREAS)
#: How far back the manager's figures look.
MANAGER_DAYS = 28


@dataclass(frozen=True)
class QueueFilters:
    """What a queue shows: `status` "open" (default), "overdue", "all" or a state; a rating;
    a council area; only the reader's own (`mine`)."""

    status: str = "open"
    rating: str = ""
    area: str = ""
    mine: bool = False
    page: int = 1
    person: int | None = None
    """Only contacts about this person (from their page)."""

    def describe(self) -> str:
        parts = [f"status={self.status}"]
        parts += [f"{k}={v}" for k, v in (("rating", self.rating), ("area", self.area)) if v]
        parts += [f"person=P{self.person}"] if self.person else []
        return "MASH queue " + " ".join(parts + (["mine"] if self.mine else []))


@dataclass(frozen=True)
class Row:
    """A contact as a queue line."""

    reference: str
    received_at: dt.datetime
    child: str
    person_id: int | None
    rating: str
    status: str
    next_due: dt.datetime | None
    overdue: bool
    area: str
    factors: list[str]
    re_referral: bool
    owner: str
    outstanding: int
    answered: int

    @property
    def status_label(self) -> str:
        return contact.STATE_LABELS.get(self.status, self.status)

    @property
    def area_label(self) -> str:
        return AREA_LABELS.get(self.area, "Not known")


def _open(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.filter(status__in=contact.OPEN)


def queue(actor: Actor, filters: QueueFilters, now: dt.datetime) -> tuple[int, list[Row]]:
    """A page of the contacts `actor` may open, as `filters` ask, overdue and soonest due
    first (decided ones newest first); and how many there are in all."""
    qs: QuerySet[Contact] = Contact.objects.visible_to(actor)
    if filters.status == "open":
        qs = _open(qs)
    elif filters.status == "overdue":
        qs = _open(qs).filter(next_due__lt=now)
    elif filters.status in contact.MACHINE.states:
        qs = qs.filter(status=filters.status)
    if filters.rating:
        qs = qs.filter(rating="" if filters.rating == "none" else filters.rating)
    if filters.area:
        qs = qs.filter(council_area="" if filters.area == "unknown" else filters.area)
    if filters.mine:
        qs = qs.filter(owner__username=actor.username)
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    total = qs.count()
    if filters.status == "decided":
        ordered = qs.order_by("-decided_at", "-pk")
    else:
        ordered = qs.order_by(F("next_due").asc(nulls_last=True), "received_at", "pk")
    start = (max(filters.page, 1) - 1) * PAGE
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in ordered.values(
            "pk",
            "reference",
            "received_at",
            "child_name",
            "person_id",
            "rating",
            "status",
            "next_due",
            "council_area",
            "factors",
            "previous_at",
            "owner__username",
        )[start : start + PAGE]
    ]
    # the checks of the page's contacts only (counting them for every contact before
    # sorting was most of the queue's time at 50,000 contacts)
    held: dict[tuple[int, str], int] = {
        (r["contact_id"], r["status"]): r["n"]
        for r in CheckRequest.objects.filter(contact_id__in=[r["pk"] for r in rows])
        .values("contact_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for r in rows:
        r["outstanding"] = held.get((r["pk"], check.REQUESTED), 0)
        r["answered"] = held.get((r["pk"], check.ANSWERED), 0)
    return total, [_row(r, now) for r in rows]


def _row(r: Any, now: dt.datetime) -> Row:
    due = r["next_due"]
    return Row(
        reference=r["reference"] or "",
        received_at=r["received_at"],
        child=r["child_name"] or "Not named",
        person_id=r["person_id"],
        rating=r["rating"],
        status=r["status"],
        next_due=due,
        overdue=due is not None and due < now,
        area=r["council_area"],
        factors=clocks.vocabulary().factor_labels(r["factors"] or []),
        re_referral=r["previous_at"] is not None,
        owner=r["owner__username"] or "",
        outstanding=r["outstanding"],
        answered=r["answered"],
    )


def raised_by(actor: Actor, limit: int = 100) -> list[Contact]:
    """The contacts `actor` made, newest first, with what became of them."""
    return list(Contact.objects.raised_by(actor).order_by("-received_at", "-pk")[:limit])


@dataclass(frozen=True)
class Clock:
    """One of a contact's clocks as the page shows it."""

    label: str
    basis: str
    due_at: dt.datetime
    standing: str
    local: bool


@dataclass
class ContactView:
    """One contact as its reader may see it (built after the policy allowed the view)."""

    contact: Contact
    subjects: list[Subject]
    steps: list[Any]
    notes: list[Any]
    checks: list[CheckRequest]
    clocks: list[Clock]
    actions: list[str]
    allocation: Allocation | None
    openable: set[int] = field(default_factory=set)
    """People among the subjects whose page the reader may open (need to know)."""
    may_link: bool = False
    """The reader may say who a named person is (the MASH)."""

    @property
    def factors(self) -> list[str]:
        return clocks.vocabulary().factor_labels(self.contact.factors)

    @property
    def outstanding(self) -> list[CheckRequest]:
        return [c for c in self.checks if c.status == check.REQUESTED]

    @property
    def outcome_labels(self) -> list[str]:
        known = clocks.vocabulary().outcomes
        return [known[o].label if o in known else o for o in self.contact.outcomes]

    def may(self, action: str) -> bool:
        return action in self.actions


def visible_contact(actor: Actor, reference: str) -> Contact | None:
    """The contact called `reference`, if `actor` may open it."""
    return Contact.objects.visible_to(actor).filter(reference=reference).first()


def visible_check(actor: Actor, check_id: int) -> CheckRequest | None:
    """A check asked of `actor`'s agency, with its contact."""
    return (
        CheckRequest.objects.visible_to(actor)
        .select_related("contact", "agency")
        .filter(pk=check_id)
        .first()
    )


def contact_view_now(actor: Actor, found: Contact) -> ContactView:
    return contact_view(actor, found, timezone.now())


def contact_view(actor: Actor, found: Contact, now: dt.datetime) -> ContactView:
    """`found` with its people, history, checks and clocks, and the actions `actor` may take."""
    subjects = list(found.subjects.all())
    checks = list(found.checks.select_related("agency"))
    people = {s.person_id for s in subjects if s.person_id}
    holders: dict[int, set[str]] = {}
    for person, agency in PersonRecord.objects.filter(person_id__in=people).values_list(
        "person_id", "agency"
    ):
        holders.setdefault(person, set()).add(agency)
    openable = {p for p in people if policy.person(actor, holders.get(p, set()))}
    actions = [t.action for t in contact.MACHINE.actions(found.status, actor.roles)]
    return ContactView(
        contact=found,
        subjects=subjects,
        steps=list(found.steps.all()),
        notes=list(found.notes.all()),
        checks=checks,
        clocks=_clocks(found, checks, now),
        actions=actions,
        allocation=open_allocation(found.person_id),
        openable=openable,
        may_link=bool(
            policy.act(actor, policy.Action.WORK_CONTACT)
            and policy.act(actor, policy.Action.DECIDE_LINK)
        ),
    )


def _clocks(found: Contact, checks: list[CheckRequest], now: dt.datetime) -> list[Clock]:
    shown = []
    decision = clocks.clock(contact.DECISION_CLOCK)
    shown.append(
        Clock(
            f"{decision.label} ({decision.describe()})",
            decision.basis,
            found.decision_due,
            clocks.standing(found.decision_due, found.decided_at, now),
            decision.local,
        )
    )
    rating = clocks.vocabulary().ratings.get(found.rating)
    if rating and rating.clock and found.checks_due is not None:
        c = clocks.clock(rating.clock)
        asked = [x for x in checks if x.status != check.WITHDRAWN]
        waiting = any(x.status == check.REQUESTED for x in asked)
        done = None if waiting or not asked else max(x.answered_at or now for x in asked)
        shown.append(
            Clock(
                f"{c.label} ({c.describe()})",
                c.basis,
                found.checks_due,
                clocks.standing(found.checks_due, done, now),
                c.local,
            )
        )
    return shown


def open_allocation(person_id: int | None) -> Allocation | None:
    """The child's open case (the most recently opened), if there is one."""
    if person_id is None:
        return None
    return (
        Allocation.objects.filter(person_id=person_id, closed_at=None)
        .select_related("team")
        .order_by("-opened_at")
        .first()
    )


def current_person(person_id: int) -> int | None:
    """The person now, following merges (None if there is no such person)."""
    seen = 0
    while seen < 50:
        row = Person.objects.filter(pk=person_id).values_list("merged_into_id").first()
        if row is None:
            return None
        if row[0] is None:
            return person_id
        person_id, seen = row[0], seen + 1
    return None


def earlier_contacts(
    person_id: int, before: dt.datetime, exclude: int | None, record: str | None = None
) -> list[tuple[dt.datetime, str]]:
    """When earlier contacts about the person arrived, with what identifies each: the hub's
    own and those the agencies delivered about any of the person's records (not the contact
    `exclude` itself, nor the delivered `record` ("agency:record_id") it came from)."""
    found: list[tuple[dt.datetime, str]] = [
        (at, ref or "")
        for at, ref in Contact.objects.filter(person_id=person_id, received_at__lt=before)
        .exclude(pk=exclude or 0)
        .values_list("received_at", "reference")
    ]
    own = None
    if record:
        agency, _, record_id = record.partition(":")
        own = f"{agency} contacts {record_id}"
    found += [
        d
        for d in delivered_about(
            PersonRecord.objects.filter(person_id=person_id).values_list("agency", "record_id"),
            "contacts",
        )
        if d[1] != own
    ]
    return [f for f in found if f[0] < before]


def by_username(username: str) -> User | None:
    """The active account called `username` (None for "" or one that is gone)."""
    if not username:
        return None
    return User.objects.filter(username=username, is_active=True).first()


def team_members(team_id: int) -> list[User]:
    return list(User.objects.filter(team_id=team_id, is_active=True))


def with_role(role: str, agency: str | None = None) -> list[User]:
    """Active users holding `role` (of `agency`, when given)."""
    users = User.objects.filter(is_active=True)
    if agency is not None:
        users = users.filter(agency=agency)
    return [u for u in users if role in (u.roles or [])]


def answerers(agency: str) -> list[User]:
    """Who answers checks for `agency`: its active workers in agency-bound roles."""
    bound = {r.value for r in policy.AGENCY_BOUND}
    return [
        u for u in User.objects.filter(is_active=True, agency=agency) if bound & set(u.roles or [])
    ]


def agencies() -> list[tuple[str, str]]:
    """Every agency (code, name) the MASH may ask."""
    return list(Agency.objects.order_by("name").values_list("code", "name"))


def teams() -> list[tuple[int, str]]:
    """Every team (id, "name (agency)") a case may be allocated to."""
    return [(t.pk, str(t)) for t in Team.objects.select_related("agency").order_by("name")]


@dataclass(frozen=True)
class CheckFilters:
    status: str = "requested"

    def describe(self) -> str:
        return f"checks status={self.status}"


@dataclass(frozen=True)
class CheckRow:
    pk: int
    reference: str
    child: str
    person_id: int | None
    rating: str
    requested_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    status: str
    question: str


def checks(actor: Actor, filters: CheckFilters, now: dt.datetime) -> list[CheckRow]:
    """The checks asked of `actor`'s agency, soonest due first (answered: newest first)."""
    qs = CheckRequest.objects.visible_to(actor)
    if filters.status in check.MACHINE.states:
        qs = qs.filter(status=filters.status)
    order = (
        (F("due_at").asc(nulls_last=True), "requested_at")
        if filters.status == check.REQUESTED
        else ("-requested_at",)
    )
    rows = qs.order_by(*order).values(
        "pk",
        "contact__reference",
        "contact__child_name",
        "contact__person_id",
        "contact__rating",
        "requested_at",
        "due_at",
        "status",
        "question",
    )[:200]
    return [
        CheckRow(
            pk=r["pk"],
            reference=r["contact__reference"] or "",
            child=r["contact__child_name"] or "Not named",
            person_id=r["contact__person_id"],
            rating=r["contact__rating"],
            requested_at=r["requested_at"],
            due_at=r["due_at"],
            overdue=r["status"] == check.REQUESTED
            and r["due_at"] is not None
            and r["due_at"] < now,
            status=r["status"],
            question=r["question"],
        )
        for r in rows
    ]


def _late(status: str, due: dt.datetime | None, now: dt.datetime) -> bool:
    return status == check.REQUESTED and due is not None and due < now


@dataclass
class Load:
    """The manager's view: what is open, where, with whom, and what has gone past its time."""

    by_status: list[tuple[str, int]]
    by_rating: list[tuple[str, int]]
    by_owner: list[tuple[str, int, int]]
    overdue: list[Row]
    checks_overdue: list[tuple[str, int]]
    decided: int
    decided_on_time: int
    decided_late: list[tuple[str, dt.datetime, dt.datetime]]
    since: dt.datetime

    @property
    def on_time_share(self) -> str:
        if not self.decided:
            return "none decided"
        return f"{100 * self.decided_on_time / self.decided:.0f}%"


def load(now: dt.datetime) -> Load:
    """Open work and breaches across the front door (for MASH managers)."""
    open_ = _open(Contact.objects.all())
    by_status = dict(open_.values_list("status").annotate(n=Count("pk")).order_by())
    by_rating = dict(open_.values_list("rating").annotate(n=Count("pk")).order_by())
    owners = (
        open_.values("owner__username")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(next_due__lt=now)))
        .order_by("-n")
    )
    _, overdue = queue(_everyone(), QueueFilters(status="overdue"), now)
    late_checks = (
        CheckRequest.objects.filter(status=check.REQUESTED, due_at__lt=now)
        .values_list("agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    since = now - dt.timedelta(days=MANAGER_DAYS)
    decided = Contact.objects.filter(decided_at__gte=since, status=contact.DECIDED)
    late = decided.filter(decided_at__gt=F("decision_due")).order_by("-decided_at")
    return Load(
        by_status=[
            (contact.STATE_LABELS[s], by_status.get(s, 0))
            for s in contact.MACHINE.states
            if s in contact.OPEN
        ],
        by_rating=[(r or "not yet rated", n) for r, n in sorted(by_rating.items())],
        by_owner=[(o["owner__username"] or "nobody yet", o["n"], o["late"]) for o in owners],
        overdue=overdue,
        checks_overdue=list(late_checks),
        decided=decided.count(),
        decided_on_time=decided.filter(decided_at__lte=F("decision_due")).count(),
        decided_late=[
            (ref or "", due, at or due)
            for ref, due, at in late.values_list("reference", "decision_due", "decided_at")[:50]
        ],
        since=since,
    )


def _everyone() -> Actor:
    """The manager's view reads across the front door (the service has allowed it)."""
    return Actor("(manager view)", "", frozenset(policy.MASH), True)


def counts(actor: Actor, now: dt.datetime) -> dict[str, int]:
    """What the front door holds for `actor`, as numbers only (no child is named): open and
    overdue contacts they may open, those waiting for screening, their own, and the checks
    waiting for their agency."""
    found: dict[str, int] = {}
    if policy.act(actor, policy.Action.VIEW_CONTACTS):
        mine = _open(Contact.objects.visible_to(actor))
        found["open"] = mine.count()
        found["overdue"] = mine.filter(next_due__lt=now).count()
        found["waiting"] = mine.filter(status=contact.RECEIVED).count()
        found["owned"] = mine.filter(owner__username=actor.username).count()
    if policy.act(actor, policy.Action.VIEW_CHECKS):
        waiting = CheckRequest.objects.visible_to(actor).filter(status=check.REQUESTED)
        found["checks"] = waiting.count()
        found["checks_overdue"] = waiting.filter(due_at__lt=now).count()
    return found

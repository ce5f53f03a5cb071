"""Children's homes at work, one function per action: the register and the coverage report,
one home, a police SPOC's page (each reading audited, naming the children it showed), a
SPOC's visit logged, a home's regulation 40 notification logged; and the watch that alerts
whoever must find a SPOC for an open home without one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid, RuleBroken
from safeguard.access.events import HomeNotified, Refused, ViewedList, VisitLogged
from safeguard.access.policy import Action, Decision, act
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub import reactions
from safeguard.hub.alerts import queries as alert_queries
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.carehomes import queries
from safeguard.hub.carehomes.models import Notification, Visit
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.mash import queries as mash
from safeguard.hub.mash.services.steps import attempt


def register(caller: Caller) -> list[queries.Row]:
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_HOMES), Refused("list", "children's homes")
    )
    rows = queries.register(caller.actor)
    audit.seen(caller, ViewedList("children's homes register"), allowed)
    return rows


def coverage(caller: Caller) -> list[ChildrensHome]:
    allowed = audit.check(
        caller, act(caller.actor, Action.VIEW_HOMES), Refused("list", "SPOC coverage")
    )
    found = queries.coverage()
    audit.seen(caller, ViewedList("SPOC coverage"), allowed)
    return found


def home(caller: Caller, home_id: str) -> queries.HomeView:
    """One home with its residents and their episodes, for the register's readers, the
    home's SPOC and its staff (the children shown are recorded)."""
    refused = Refused("view a home", home_id)
    found = queries.visible_home(caller.actor, home_id)
    if found is None:
        why = Decision(False, f"no children's home {home_id} that you may open")
        audit.refuse(caller, refused, why, rule=act(caller.actor, Action.SIGNED_IN) is not None)
    view = queries.home_view(caller.actor, found, timezone.now())
    shown = tuple(sorted(view.people | {e.person_id for e in view.episodes if e.person_id}))
    audit.seen(caller, ViewedList(f"home {home_id}", shown), Decision(True, "the home's page"))
    return view


def spoc_page(caller: Caller) -> list[queries.HomeView]:
    """A police SPOC's homes, each as its page shows it."""
    allowed = audit.check(
        caller, act(caller.actor, Action.SPOC_WORK), Refused("list", "your homes")
    )
    homes = list(ChildrensHome.objects.of_spoc(caller.actor).select_related("police_spoc"))
    views = queries.home_views(caller.actor, homes, timezone.now())
    shown = tuple(sorted({p for v in views for p in v.people}))
    audit.seen(caller, ViewedList("your homes (SPOC)", shown), allowed)
    return views


def log_visit(caller: Caller, home_id: str, kind: str, on: dt.date, notes: str) -> Visit:
    """A SPOC logs a visit to, call with or meeting at one of their homes."""
    attempted = Refused("log a visit", home_id)
    allowed = audit.check(caller, act(caller.actor, Action.SPOC_WORK), attempted)
    with attempt(caller, attempted):
        found = ChildrensHome.objects.of_spoc(caller.actor).filter(home_id=home_id).first()
        if found is None:
            raise RuleBroken(f"you are not the police SPOC of home {home_id}")
        wrong = {}
        if kind not in Visit.Kind.values:
            wrong["kind"] = "Choose a visit, a call or a meeting"
        if on > timezone.localdate():
            wrong["on"] = "A visit cannot be in the future"
        if not notes.strip() or len(notes) > MAX_TEXT:
            wrong["notes"] = "Say what happened (under 20,000 characters)"
        if wrong:
            raise Invalid(wrong)
        done = Visit.objects.create(
            home=found,
            kind=kind,
            on=on,
            notes=notes.strip(),
            by=caller.actor.username,
            at=timezone.now(),
        )
        audit.write(caller.actor, VisitLogged(home_id, kind), allowed, caller.channel)
        return done
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Notice:
    event: str
    happened_at: dt.datetime
    told: tuple[str, ...]
    details: str
    person: int | None = None
    child_name: str = ""


TOLD = ("Ofsted", "The placing authority", "The police")


def notify(caller: Caller, home_id: str, notice: Notice) -> Notification:
    """A home logs a regulation 40 notification: what happened, about whom, when, and whom it
    told; the home's SPOC is alerted."""
    attempted = Refused("log a regulation 40 notification", home_id)
    allowed = audit.check(caller, act(caller.actor, Action.NOTIFY_REG40), attempted)
    with attempt(caller, attempted):
        found = ChildrensHome.objects.of_staff(caller.actor).filter(home_id=home_id).first()
        if found is None:
            raise RuleBroken(f"you do not work at home {home_id}")
        now = timezone.now()
        wrong: dict[str, str] = {}
        if notice.event not in Notification.Event.values:
            wrong["event"] = "Choose what happened"
        if notice.happened_at > now + dt.timedelta(minutes=5):
            wrong["happened_at"] = "It cannot have happened in the future"
        if not notice.told or set(notice.told) - set(TOLD):
            wrong["told"] = "Say whom the home told"
        if not notice.details.strip():
            wrong["details"] = "Say what happened"
        person = mash.current_person(notice.person) if notice.person else None
        if notice.person and person is None:
            wrong["person"] = f"There is no person P{notice.person}"
        if wrong:
            raise Invalid(wrong)
        done = Notification.objects.create(
            home=found,
            event=notice.event,
            person_id=person,
            child_name=notice.child_name.strip(),
            happened_at=notice.happened_at,
            told=list(notice.told),
            told_at=now,
            details=notice.details.strip(),
            by=caller.actor.username,
        )
        event = HomeNotified(home_id, notice.event, person)
        audit.write(caller.actor, event, allowed, caller.channel)
        if found.police_spoc is not None:
            alerts.tell(
                [found.police_spoc],
                "reg40",
                str(done.pk),
                f"{found.name} made a regulation 40 notification",
                f"/homes/{found.home_id}/",
            )
        return done
    raise AssertionError("unreachable")  # pragma: no cover


@reactions.on(reactions.Stage.CLOCKS_CHECKED, "homes_without_spoc")
def gaps(caller: Caller) -> dict[str, Any]:
    """Each open home without a police SPOC alerts whoever must find it one (the home's named
    owner, or the administrators), once."""
    open_ = list(
        ChildrensHome.objects.filter(open=True, police_spoc=None).select_related("spoc_owner")
    )
    keys = {h.home_id: h for h in open_}
    told = 0
    new = set(keys) - alert_queries.already_told("no_spoc", list(keys))
    admins = mash.with_role("administrator") if new else []
    for home_id in sorted(new):
        found = keys[home_id]
        owners = [found.spoc_owner] if found.spoc_owner else admins
        if not owners:
            continue
        with attempt(caller, Refused("alert an owner", home_id)):
            told += bool(
                alerts.tell(
                    owners,
                    "no_spoc",
                    home_id,
                    f"{found.name} has no police single point of contact",
                    "/homes/coverage/",
                )
            )
    return {"homes_without_spoc": len(open_), "newly_told": told}

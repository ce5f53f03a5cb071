"""Demo mode only: MACE meetings with something on them, made through the services as the
user the command acts as (a MASH manager, say), so the demo's pages are not empty.

Last month's meeting for Cheshire East is held: its agenda built from the analysis and the
MASH's referrals, the first children and network finding discussed, with actions for the demo
police officer, social worker and health lead (one done, one past its date, the rest open),
and disruption recorded over the last months (a CAWN, a sexual risk order, Operation Makesafe
visits, a licensing review). Next week's meeting has its agenda built, waiting to be held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.casework import mace
from safeguard.hub.intelligence.models import Finding
from safeguard.hub.mace import queries, services
from safeguard.settings import get_settings

AREA = "cheshire_east"
ATTENDING = ("police", "childrens_social_care", "health", "education", "licensing")


@dataclass(frozen=True)
class Owners:
    """Who the demo's actions are for (usernames of the demo accounts)."""

    police: str
    social_worker: str
    health: str


@dataclass
class Demo:
    meetings: list[int] = field(default_factory=list)
    items: int = 0
    decided: int = 0
    actions: int = 0
    overdue: int = 0
    disruptions: int = 0
    already: bool = False


def seed(caller: Caller, owners: Owners) -> Demo:
    """The held meeting and next week's (see above); nothing when there are meetings already."""
    if not get_settings().demo:
        raise PermissionError("the MACE demo is for demo mode only (SAFEGUARD_DEMO=true)")
    done = Demo()
    upcoming, past = services.reads.meetings(caller)
    if upcoming or past:
        done.already = True
        return done
    today = timezone.localdate()
    held = _meeting(caller, today - dt.timedelta(days=35), done)
    _children(caller, held, done)
    _discuss(caller, held, owners, today, done)
    _disrupt(caller, held, today, done)
    _meeting(caller, today + dt.timedelta(days=7), done)
    return done


def _meeting(caller: Caller, on: dt.date, done: Demo) -> int:
    plan = services.Plan(on, (AREA,), caller.actor.username, ATTENDING, "Room 2, Westfields")
    meeting = services.schedule(caller, plan).pk
    done.items += services.build(caller, meeting)
    done.meetings.append(meeting)
    return meeting


def _children(caller: Caller, meeting: int, done: Demo) -> None:
    """Children the partners asked to discuss, when the analysis put fewer than three on the
    agenda: children of concern in the open network findings."""
    view = services.reads.meeting(caller, meeting)
    have = {line.item.person_id for line in view.groups[0][2]}
    wanted = 3 - len(have)
    for person in _of_concern():
        if wanted <= 0:
            return
        if person in have:
            continue
        why = "Known to police, school and health; her social worker asked for a MACE discussion"
        services.add(caller, meeting, services.Addition(mace.CHILD, why, person=person))
        done.items += 1
        wanted -= 1


def _of_concern() -> list[int]:
    found: list[int] = []
    for members in Finding.objects.filter(active=True).values_list("members", flat=True):
        for m in members or []:
            node = str(m.get("node", ""))
            if m.get("role") in ("at-risk child", "child of concern") and node[2:].isdigit():
                found.append(int(node[2:]))
    return list(dict.fromkeys(found))


def _discuss(caller: Caller, meeting: int, owners: Owners, today: dt.date, done: Demo) -> None:
    view = services.reads.meeting(caller, meeting)
    items = {kind: lines for kind, _, lines in view.groups}
    children, findings = items[mace.CHILD][:3], items[mace.FINDING][:1]
    plans = [
        (
            "Police, school and the home share concerns about an older male collecting her.",
            "Serve a child abduction warning notice on the male; school to refer to the "
            "school nurse; review at the next meeting.",
            ("Serve the child abduction warning notice", owners.police, "police", 10, "done"),
        ),
        (
            "Missing three times this month; the return home interviews name the same flat.",
            "Safety plan with the carers; strategy discussion if she goes missing again.",
            (
                "Agree a safety plan with her carers",
                owners.social_worker,
                "childrens_social_care",
                14,
                "open",
            ),
        ),
        (
            "Sexual health clinic attendance; she has not engaged with the school.",
            "Health to offer a sexual health appointment with a trusted worker.",
            ("Offer a sexual health appointment", owners.health, "health", 42, "open"),
        ),
    ]
    for line, (summary, decision, task) in zip(children, plans, strict=False):
        _decide(caller, line.item.pk, summary, decision, task, view.meeting.held_on, done)
    for line in findings:
        _decide(
            caller,
            line.item.pk,
            "The adult is linked to several children of concern across two areas.",
            "Police to visit the addresses in the finding under Operation Makesafe.",
            ("Makesafe visits to the addresses", owners.police, "police", 42, "open"),
            view.meeting.held_on,
            done,
        )
    done.overdue = len(queries.overdue_actions(today))


def _decide(
    caller: Caller,
    item: int,
    summary: str,
    decision: str,
    task: tuple[str, str, str, int, str],
    held_on: dt.date,
    done: Demo,
) -> None:
    services.decide(caller, item, summary, decision)
    done.decided += 1
    what, owner, agency, days, state = task
    action = services.set_action(
        caller, item, services.Task(what, owner, agency, held_on + dt.timedelta(days=days))
    )
    done.actions += 1
    if state == "done":
        services.step(caller, action.pk, "complete", "Served; reported at the meeting")


def _disrupt(caller: Caller, meeting: int, today: dt.date, done: Demo) -> None:
    view = services.reads.meeting(caller, meeting)
    first = next(iter(view.groups[0][2]), None)
    item = first.item.pk if first else None
    ago = [today - dt.timedelta(days=d) for d in (30, 28, 21, 60, 70, 95, 3)]
    for kind, on, against, place, area, at_meeting in (
        ("cawn", ago[0], "The older male collecting her: 'Jay', silver Golf", "", AREA, True),
        ("makesafe_hotel", ago[1], "", "Station Hotel, Crewe", AREA, True),
        ("makesafe_taxi", ago[2], "", "A2B Taxis, Warrington", "warrington", False),
        ("sro", ago[3], "Adult named in two contacts", "", AREA, False),
        ("makesafe_takeaway", ago[4], "", "Pizza Plaza, Runcorn", "halton", False),
        (
            "licensing_review",
            ago[5],
            "",
            "Late-night takeaway, Chester",
            "cheshire_west_and_chester",
            False,
        ),
        ("makesafe_hotel", ago[6], "", "Travel Lodge, Macclesfield", AREA, False),
    ):
        services.record(
            caller,
            services.Disrupt(
                kind,
                on,
                "police" if kind != "licensing_review" else "licensing",
                against=against,
                place=place,
                area=area,
                meeting=meeting if at_meeting else None,
                item=item if at_meeting and kind == "cawn" else None,
            ),
        )
        done.disruptions += 1

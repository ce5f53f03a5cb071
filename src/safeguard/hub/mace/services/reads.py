"""Reading MACE meetings, each reading audited before anything is shown: the meetings, one
meeting (its agenda, the children it names recorded), an item, an action, the actions lists,
and disruption counted by type, month and council area (no one named)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import Refused, ViewedList, ViewedMeeting
from safeguard.access.policy import Action, Decision, act, intelligence
from safeguard.hub.audit import services as audit
from safeguard.hub.mace import queries


def _may(caller: Caller, what: str, where: str = "") -> Decision:
    return audit.check(caller, act(caller.actor, Action.VIEW_MACE), Refused(what, where))


def meetings(caller: Caller) -> tuple[list[queries.MeetingLine], list[queries.MeetingLine]]:
    allowed = _may(caller, "list", "MACE meetings")
    audit.seen(caller, ViewedList("MACE meetings"), allowed)
    return queries.meetings(caller.actor, timezone.localdate())


def meeting(caller: Caller, meeting_id: int) -> queries.MeetingView:
    refused = Refused("view a MACE meeting", f"meeting {meeting_id}")
    allowed = _may(caller, refused.attempted, refused.where)
    found = queries.visible_meeting(caller.actor, meeting_id)
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no MACE meeting {meeting_id}"), rule=True)
    view = queries.meeting_view(caller.actor, found, timezone.now())
    audit.seen(caller, ViewedMeeting(found.pk, "agenda", view.shown), allowed)
    return view


def item(caller: Caller, item_id: int) -> queries.ItemView:
    refused = Refused("view a MACE agenda item", f"item {item_id}")
    allowed = _may(caller, refused.attempted, refused.where)
    found = queries.visible_item(caller.actor, item_id)
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no agenda item {item_id}"), rule=True)
    shown = (found.person_id,) if found.person_id else ()
    audit.seen(caller, ViewedMeeting(found.meeting_id, f"item {item_id}", shown), allowed)
    return queries.item_view(caller.actor, found, timezone.now())


def action(caller: Caller, action_id: int) -> queries.ActionLine:
    refused = Refused("view a MACE action", f"action {action_id}")
    allowed = _may(caller, refused.attempted, refused.where)
    found = queries.visible_action(caller.actor, action_id)
    if found is None:
        audit.refuse(caller, refused, Decision(False, f"no MACE action {action_id}"), rule=True)
    person = found.item.person_id
    event = ViewedMeeting(found.item.meeting_id, f"action {action_id}", (person,) if person else ())
    audit.seen(caller, event, allowed)
    return queries.action_line(bool(intelligence(caller.actor)), found, timezone.now())


def actions(caller: Caller, view: str) -> list[queries.ActionLine]:
    allowed = _may(caller, "list", f"MACE actions: {view}")
    found = queries.actions(caller.actor, view, timezone.now())
    named = tuple(sorted({a.action.item.person_id for a in found if a.action.item.person_id}))
    audit.seen(caller, ViewedList(f"MACE actions: {view}", named), allowed)
    return found


def figures(caller: Caller, area: str = "", months: int = 12) -> list[queries.Tally]:
    """Disruption counted by month, council area and type since the start of the month
    `months` - 1 months ago (counts: no one is named, so no one is recorded as seen)."""
    allowed = _may(caller, "list", "disruption figures")
    today = timezone.localdate()
    start = dt.date(today.year, today.month, 1)
    for _ in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    audit.seen(caller, ViewedList(f"disruption by type, month and area {area}".strip()), allowed)
    return queries.tallies(start, area)

"""The strategic group's meeting pack: made as a PDF (WeasyPrint) for a meeting date by a
strategic lead, from the page or `safeguard pack --meeting DATE`; kept whole with its SHA-256
(`MeetingPack`), listed and downloaded by the data set's readers. Making one and downloading
one are each audited with the meeting date and the hash. What it says is
`queries.pack`: counts only, small ones suppressed, no child named."""

from __future__ import annotations

import datetime as dt
import hashlib
from calendar import monthrange

from django.template.loader import render_to_string
from django.utils import timezone

from safeguard.access.caller import Caller, Invalid
from safeguard.access.events import PackDownloaded, PackMade, Refused, ViewedList
from safeguard.access.policy import Action, Decision, act
from safeguard.casework import review
from safeguard.hub.audit import services as audit
from safeguard.hub.governance.models import MeetingPack
from safeguard.hub.governance.queries import pack as contents
from safeguard.hub.mash.services.steps import attempt

#: The furthest ahead a meeting may be set (a pack is made for the next meeting or two).
AHEAD_DAYS = 366


def next_meeting_after(meeting: dt.date) -> dt.date:
    """The default next meeting: the same day three months on (the group meets quarterly),
    or the month's last day when it has no such day."""
    index = meeting.year * 12 + meeting.month - 1 + 3
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(meeting.day, monthrange(year, month + 1)[1]))


def problems(
    meeting: dt.date | None, next_meeting: dt.date | None, today: dt.date
) -> dict[str, str]:
    """What is wrong with the dates asked for ({} if nothing)."""
    if meeting is None:
        return {"meeting": "Enter the meeting's date, like 15/1/2027"}
    wrong = {}
    if meeting > today + dt.timedelta(days=AHEAD_DAYS):
        wrong["meeting"] = "The meeting must be within a year from today"
    if next_meeting is not None and next_meeting <= meeting:
        wrong["next_meeting"] = "The next meeting must be after this one"
    return wrong


def make(
    caller: Caller,
    meeting: dt.date | None,
    next_meeting: dt.date | None = None,
    unread: dict[str, str] | None = None,
) -> MeetingPack:
    """Make, keep and audit the pack for the meeting on `meeting` (the next one three months
    on unless given): the figures are read and the PDF drawn first, then stored with its
    hash and the `pack_made` event in one transaction. `unread`: what a form could not
    parse, field by field (refused with the rest)."""
    attempted = Refused("make a meeting pack", f"meeting {meeting or '(no date)'}")
    allowed = audit.check(caller, act(caller.actor, Action.MAKE_PACK), attempted)
    now = timezone.now()
    today = timezone.localdate(now)
    with attempt(caller, attempted):
        wrong = {**problems(meeting, next_meeting, today), **(unread or {})}
        if wrong:
            raise Invalid(wrong)
    assert meeting is not None
    following = next_meeting or next_meeting_after(meeting)
    found = contents.pack(caller.actor, meeting, following, today, now)
    pdf = render(found, caller.actor.username, now)
    digest = hashlib.sha256(pdf).hexdigest()
    with attempt(caller, attempted):
        made = MeetingPack.objects.create(
            meeting_on=meeting,
            next_meeting_on=following,
            figures_to=found.figures_to,
            made_by=caller.actor.username,
            made_at=now,
            sha256=digest,
            size=len(pdf),
            pdf=pdf,
        )
        event = PackMade(made.pk, meeting.isoformat(), digest)
        audit.write(caller.actor, event, allowed, caller.channel)
        return made
    raise AssertionError("unreachable")  # pragma: no cover


def html(found: contents.Pack, made_by: str, made_at: dt.datetime) -> str:
    """The pack as HTML, for WeasyPrint (and for looking at it in a browser while changing
    its templates)."""
    context = {
        "p": found,
        "made_by": made_by,
        "made_at": timezone.localtime(made_at),
        "states": review.STATE_LABELS,
        "action_states": review.ACTION_LABELS,
    }
    return render_to_string("governance/pack/pack.html", context)


def render(found: contents.Pack, made_by: str, made_at: dt.datetime) -> bytes:
    """The pack as a PDF."""
    from weasyprint import HTML  # needs the system's Pango: loaded only to print

    return bytes(HTML(string=html(found, made_by, made_at)).write_pdf())


def _may(caller: Caller, what: str, where: str = "") -> Decision:
    return audit.check(caller, act(caller.actor, Action.VIEW_DATA_SET), Refused(what, where))


def packs(caller: Caller) -> list[MeetingPack]:
    """The packs made, newest first (without their PDFs)."""
    allowed = _may(caller, "list", "meeting packs")
    audit.seen(caller, ViewedList("meeting packs"), allowed)
    return contents.made()


def download(caller: Caller, pack_id: int) -> MeetingPack:
    """One pack with its PDF, each download audited with its meeting and hash."""
    attempted = Refused("download a meeting pack", f"meeting pack {pack_id}")
    allowed = _may(caller, attempted.attempted, attempted.where)
    found = MeetingPack.objects.filter(pk=pack_id).first()
    if found is None:
        audit.refuse(caller, attempted, Decision(False, f"no meeting pack {pack_id}"), rule=True)
    event = PackDownloaded(found.pk, found.meeting_on.isoformat(), found.sha256)
    audit.seen(caller, event, allowed)
    return found

"""Return home interviews, one function per step: offer it, the child accepts or declines
(why), the interview itself, or closing it as not done (why). Only the commissioned
provider's interviewers take these steps (the interview's table), on their own agency's
interviews. What the child says is kept in their words; the signs the interviewer saw are
evidence every later screening reads, with those words as the evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid, RuleBroken
from safeguard.access.events import InterviewRecorded, Refused
from safeguard.access.policy import Action, act
from safeguard.casework import rhi as table
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub import evidence
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.mash import queries as mash
from safeguard.hub.mash.services.steps import attempt
from safeguard.hub.missing.models import Episode, Interview
from safeguard.hub.missing.queries import signs
from safeguard.hub.missing.services.steps import keep, take


@dataclass(frozen=True)
class Said:
    """What the interview heard and the interviewer saw."""

    push_factors: str = ""
    pull_factors: str = ""
    with_whom: str = ""
    where: str = ""
    disclosures: str = ""
    next_steps: str = ""
    signs: tuple[str, ...] = ()


def step(
    caller: Caller, interview_id: int, action: str, reason: str = "", said: Said | None = None
) -> Interview:
    """Take `action` (offer, accept, decline, complete, not_done) on an interview of the
    caller's agency; `reason` for declined or not done; `said` for the interview itself."""
    attempted = Refused(f"{action} a return home interview", f"interview {interview_id}")
    allowed = audit.check(caller, act(caller.actor, Action.VIEW_INTERVIEWS), attempted)
    with attempt(caller, attempted):
        found = (
            Interview.objects.visible_to(caller.actor)
            .select_for_update()
            .select_related("episode")
            .filter(pk=interview_id)
            .first()
        )
        if found is None:
            raise RuleBroken(f"no interview {interview_id} for your agency")
        t = take(table.MACHINE, found.status, action, caller, reason)
        now = timezone.now()
        found.status = t.target
        found.worker = found.worker or caller.actor.username
        if action == "offer":
            found.offered_at = now
        elif action == "accept":
            found.accepted_at = now
        elif action == "decline":
            found.declined_reason = reason.strip()
        elif action == "not_done":
            found.closed_reason = reason.strip()
        elif action == "complete":
            _record(found, said or Said(), now)
        found.save()
        episode = Episode.objects.get(pk=found.episode_id)
        keep(
            episode, "interview", caller, now, f"interview: {table.STATE_LABELS[t.target]}", reason
        )
        event = InterviewRecorded(episode.pk, action, reason.strip(), episode.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        if action == "complete" and found.disclosures.strip():
            _tell_of_disclosure(episode)
        return found
    raise AssertionError("unreachable")  # pragma: no cover


def _record(found: Interview, said: Said, now: dt.datetime) -> None:
    texts = {
        "push_factors": said.push_factors,
        "pull_factors": said.pull_factors,
        "with_whom": said.with_whom,
        "where": said.where,
        "disclosures": said.disclosures,
        "next_steps": said.next_steps,
    }
    wrong = {k: "Keep this under 20,000 characters" for k, v in texts.items() if len(v) > MAX_TEXT}
    if not any(v.strip() for v in texts.values()):
        wrong["push_factors"] = "Record what the child said: at least one answer"
    unknown = [s for s in said.signs if s not in signs()]
    if unknown:
        wrong["signs"] = f"Unknown sign {', '.join(unknown)}"
    if wrong:
        raise Invalid(wrong)
    for name, value in texts.items():
        setattr(found, name, value.strip())
    found.signs = list(dict.fromkeys(said.signs))
    found.done_at = now


def _tell_of_disclosure(episode: Episode) -> None:
    """A disclosure is for the MASH today: the managers are alerted."""
    alerts.tell(
        mash.with_role("mash_manager"),
        "disclosure",
        str(episode.pk),
        f"A return home interview recorded a disclosure (episode {episode.pk})",
        f"/missing/episodes/{episode.pk}/",
    )


@evidence.writing("return_home_interview")
def words_heard() -> list[evidence.Writing]:
    """What each done interview heard, in the interviewer's words, for the screening's lexicons
    to read (whether or not a sign was ticked)."""
    rows: list[evidence.Writing] = []
    fields = ("push_factors", "pull_factors", "with_whom", "where", "disclosures", "next_steps")
    for found in (
        Interview.objects.filter(status=table.DONE, done_at__isnull=False)
        .filter(episode__person_id__isnull=False)
        .select_related("episode")
        .only("pk", "done_at", "episode__person_id", *fields)
    ):
        seen = timezone.localtime(found.done_at).replace(tzinfo=None)
        person = found.episode.person_id
        assert person is not None and found.done_at is not None
        rows += [
            (person, seen, "return_home_interview", str(found.pk), name, getattr(found, name))
            for name in fields
            if getattr(found, name)
        ]
    return rows


@evidence.source("return_home_interview")
def signs_seen() -> list[evidence.Row]:
    """Each sign a done interview saw, with the interview's own words as the evidence."""
    rows: list[evidence.Row] = []
    for found in Interview.objects.filter(status=table.DONE).select_related("episode"):
        person = found.episode.person_id
        if person is None or not found.signs or found.done_at is None:
            continue
        words = "; ".join(
            f"{label}: {text}"
            for label, text in (
                ("with", found.with_whom),
                ("where", found.where),
                ("drawn away by", found.pull_factors),
                ("disclosed", found.disclosures),
            )
            if text
        )
        seen = timezone.localtime(found.done_at).replace(tzinfo=None)
        detail = f"return home interview by {found.worker}: {words}"[:2000]
        rows += [
            (person, code, seen, "return_home_interview", str(found.pk), detail)
            for code in found.signs
        ]
    return rows

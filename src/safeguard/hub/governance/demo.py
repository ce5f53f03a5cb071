"""Demo mode only: a filled-in review, made through the services, so the demo's pages are not
empty. The demo agency lead (the police's) assesses their agency against every recommendation
- most submitted, a few left in draft - and the user the command acts as (a strategic lead)
signs off some, challenges others (one is revised and submitted again); the action plan has
actions for both, one done with its evidence, one started, two past their due date. All the
narratives are invented for the demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.access.events import Channel
from safeguard.casework import review
from safeguard.hub.accounts.queries import actor_named
from safeguard.hub.governance import queries, services
from safeguard.hub.governance.models import Assessment
from safeguard.settings import get_settings

_SAID = {
    review.GREEN: (
        "In place across the force: the process is written down, staff are trained and a "
        "quarterly audit checks it is followed.",
        ("/mace/disruption/", "Force audit of CSE cases, Q3 2026 (document ref. AUD-26-031)"),
    ),
    review.AMBER: (
        "Partly in place: the process exists but the last audit found it followed in about "
        "two cases in three. An improvement plan is under way.",
        ("/missing/figures/", "Partnership audit of return interviews, 2026"),
    ),
    review.RED: (
        "Not yet in place: the force relies on individual officers. This is on the action plan.",
        (),
    ),
}
_CYCLE = (review.GREEN, review.AMBER, review.AMBER, review.RED, review.GREEN, review.AMBER)


@dataclass
class Demo:
    assessed: int = 0
    submitted: int = 0
    challenged: int = 0
    signed_off: int = 0
    actions: int = 0
    overdue: int = 0
    done: int = 0
    already: bool = False


def seed(caller: Caller, agency_lead: str) -> Demo:
    """The review filled in (see above); nothing when it has assessments already."""
    if not get_settings().demo:
        raise PermissionError("the governance demo is for demo mode only (SAFEGUARD_DEMO=true)")
    done = Demo()
    if Assessment.objects.exists():
        done.already = True
        return done
    actor = actor_named(agency_lead)
    if actor is None:
        raise LookupError(f"no demo account {agency_lead!r}: run `safeguard users demo` first")
    lead = Caller(actor, Channel.CLI)
    entries = queries.catalogue().recommendations
    for n, r in enumerate(entries):
        rag = _CYCLE[n % len(_CYCLE)]
        text, evidence = _SAID[rag]
        said = services.Statement(rag, text, evidence)
        move = "save" if n % 9 == 8 else "submit"
        found = services.assess(lead, r.id, said, move)
        done.assessed += 1
        if move == "save":
            continue
        if n % 3 == 0:
            services.decide(caller, found.pk, "sign_off", "Evidence seen at the strategic group.")
            done.signed_off += 1
        elif n % 5 == 1:
            services.decide(
                caller, found.pk, "challenge", "Say how you know: which audit, and its figures?"
            )
            done.challenged += 1
        else:
            done.submitted += 1
    _actions(caller, lead, entries[0].id, entries[3].id, done)
    return done


def _actions(caller: Caller, lead: Caller, first: str, red: str, done: Demo) -> None:
    today = timezone.localdate()
    me, them = caller.actor.username, lead.actor.username
    plan = (
        (lead, red, "Write the force's procedure and train the CSE team in it", them, -10),
        (lead, red, "Audit 20 CSE cases against the new procedure", them, 30),
        (lead, first, "Add the screening tool's result to every CSE crime record", them, -3),
        (caller, first, "Report the review's progress to the strategic group", me, 14),
        (caller, red, "Agree one partnership audit tool for CSE cases", me, 45),
        (lead, first, "Brief every sergeant on the missing-from-home protocol", them, -20),
    )
    made = []
    for who, rec, what, owner, days in plan:
        task = services.Task(what, owner, lead.actor.agency, today + dt.timedelta(days=days))
        made.append(services.set_action(who, rec, task))
        done.actions += 1
    services.step(lead, made[5].pk, "complete", "Briefings done 14 to 18 November; register kept.")
    services.step(lead, made[1].pk, "start", "")
    done.done = 1
    done.overdue = sum(1 for a in made if a.due_on < today and a.pk != made[5].pk)

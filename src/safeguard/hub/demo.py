"""Demo mode only: a realistic week at the MASH front door and at a children's home, so the
queues are not empty.

The synthetic partnership's last week of delivered contacts is played again as the week just
gone: each arrives at the same time of day, that many days before now, and the demo's own
people work it through the same services a real week would use, at the times they would have
(time-machine moves the clock for each step): the MASH practitioner rates it, asks the police
and health what they hold, they answer, and the MASH manager decides. The newest are left
waiting, and a few are left past their time so that the breaches report has something to show.
Looked-after children placed by the council of the demo's social worker have open cases with
that worker's team, so a contact about one of them goes straight to the team. One contact
comes from the public, whose code is printed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.utils import timezone

from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import Channel
from safeguard.casework import rhi as rhi_states
from safeguard.hub.accounts.models import Team
from safeguard.hub.accounts.queries import actor_named
from safeguard.hub.concerns import services as concerns
from safeguard.hub.deliveries.models import SourceRecord
from safeguard.hub.deliveries.queries import current_of_kind, when
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.homes.queries import residents
from safeguard.hub.mash import services as mash
from safeguard.hub.mash.models import Allocation, Contact
from safeguard.hub.mash.queries import CheckFilters
from safeguard.hub.missing import services as missing
from safeguard.hub.missing.models import Interview, StrategyTask
from safeguard.hub.people.models import PersonRecord
from safeguard.settings import get_settings

#: How the week's contacts end up, by the factors they carry (CSE and missing rate higher).
_URGENT = {"11A", "10A", "24A", "12A", "19A"}


@dataclass(frozen=True)
class Cast:
    """Who works the demo week (usernames of the demo accounts)."""

    practitioner: str
    manager: str
    social_worker: str
    answerers: dict[str, str]
    """Agency code -> the user who answers its checks."""
    operator: str
    police: str = ""
    home_staff: str = ""
    interviewer: str = ""


@dataclass
class Week:
    contacts: int = 0
    decided: int = 0
    waiting: int = 0
    routed: int = 0
    open_cases: int = 0
    public_code: str = ""
    episodes: int = 0
    away: int = 0
    interviews_due: int = 0
    tasks: int = 0
    skipped: list[str] = field(default_factory=list)


def seed_week(cast: Cast, days: int = 7, seed: int = 1) -> Week:
    """Play the partnership's last `days` of contacts as the week just gone (see above)."""
    if not get_settings().demo:
        raise PermissionError("the demo week is for demo mode only (SAFEGUARD_DEMO=true)")
    callers = {name: _caller(name) for name in _names(cast)}
    records = current_of_kind("contacts", "")
    if not records:
        raise LookupError("no delivered contacts: run `safeguard ingest` first")
    latest = max(w for r in records if (w := when(r.occurred_at)) is not None)
    shift = timezone.localdate() - timezone.localtime(latest).date()
    now = timezone.now()
    week = Week()
    week.open_cases = _open_cases(cast, callers[cast.operator], now)
    rng = random.Random(seed)
    chosen = [
        (w + dt.timedelta(days=shift.days), r)
        for r in records
        if (w := when(r.occurred_at)) is not None and w >= latest - dt.timedelta(days=days)
    ]
    for at, record in sorted(chosen, key=lambda x: x[0]):
        unique = f"{record.agency.code}:{record.record_id}"
        if at > now or Contact.objects.filter(source_record=unique).exists():
            week.skipped.append(unique)
            continue
        intake = mash.delivered(record.agency.code, record.record_id, record.data, at)
        with time_machine.travel(at, tick=False):
            found = mash.receive(callers[cast.operator], intake)
        week.contacts += 1
        _work(found, cast, callers, rng, now, week)
    week.public_code = _public(now - dt.timedelta(hours=5))
    if cast.home_staff and cast.police and cast.interviewer:
        _missing_week(cast, callers, now, week)
    return week


def _names(cast: Cast) -> set[str]:
    return {
        cast.practitioner,
        cast.manager,
        cast.social_worker,
        cast.operator,
        *cast.answerers.values(),
        *(n for n in (cast.police, cast.home_staff, cast.interviewer) if n),
    }


def _caller(username: str) -> Caller:
    actor = actor_named(username)
    if actor is None:
        raise LookupError(f"no demo account {username!r}: run `safeguard users demo` first")
    return Caller(actor, Channel.CLI)


def _open_cases(cast: Cast, operator: Caller, now: dt.datetime) -> int:
    """Open cases with the social worker's team for the looked-after children its council
    placed (a current placement, linked to a person the hub knows)."""
    worker = actor_named(cast.social_worker)
    if worker is None or worker.team is None:
        return 0
    team = Team.objects.get(pk=worker.team)
    records = [
        f"{p.agency.code}:{p.subject_id}"
        for p in current_of_kind("placements", "")
        if p.agency.code == team.agency_id and not (p.data or {}).get("end_date")
    ]
    people = set(
        PersonRecord.objects.filter(unique_id__in=records).values_list("person_id", flat=True)
    )
    held = set(Allocation.objects.filter(closed_at=None).values_list("person_id", flat=True))
    Allocation.objects.bulk_create(
        Allocation(
            person_id=p,
            team=team,
            opened_at=now - dt.timedelta(days=200),
            reason="looked after (demo)",
            by=operator.actor.username,
        )
        for p in sorted(people - held)
    )
    return len(people - held)


def _work(
    found: Contact,
    cast: Cast,
    callers: dict[str, Caller],
    rng: random.Random,
    now: dt.datetime,
    week: Week,
) -> None:
    """Take the contact as far as a week like this one would have by now."""
    ref, start = found.reference or "", found.received_at
    steps = _plan(found, cast, rng)
    try:
        for offset, who, act in steps:
            moment = start + offset
            if moment > now:
                break
            with time_machine.travel(moment, tick=False):
                act(callers[who], ref)
    except Refusal as refusal:  # a step the rules refuse is left undone, as it would be
        week.skipped.append(f"{ref}: {refusal.reason}")
    status = Contact.objects.get(pk=found.pk).status
    week.decided += status == "decided"
    week.routed += status == "routed"
    week.waiting += status != "decided"


def _plan(found: Contact, cast: Cast, rng: random.Random) -> list[tuple[dt.timedelta, str, Any]]:
    """The steps a contact takes, each after its arrival: (when, who, what)."""
    hours = dt.timedelta(hours=1)
    if found.status == "routed":
        return [
            (
                rng.uniform(5, 30) * hours,
                cast.social_worker,
                lambda c, r: mash.decide(
                    c,
                    r,
                    ["assessment"],
                    "Added to the child's plan; visit arranged",
                    "safeguarding",
                ),
            ),
        ]
    urgent = bool(set(found.factors) & _URGENT)
    rating = rng.choices(
        ["red", "amber", "green", "blue"], [4, 4, 2, 0] if urgent else [1, 3, 5, 2]
    )[0]
    steps: list[tuple[dt.timedelta, str, Any]] = [
        (
            rng.uniform(0.3, 2.5) * hours,
            cast.practitioner,
            lambda c, r: mash.rate(c, r, rating, _why(rating)),
        ),
    ]
    if rating == "blue":
        return [
            *steps,
            (
                rng.uniform(3, 8) * hours,
                cast.manager,
                lambda c, r: mash.decide(
                    c, r, ["advice"], "Universal services can meet this need", "safeguarding"
                ),
            ),
        ]
    asked: list[str] = [a for a in ("cheshire-police", "cheshire-nhs") if a in cast.answerers]
    steps.append(
        (
            rng.uniform(2.6, 3.5) * hours,
            cast.practitioner,
            lambda c, r: mash.ask(
                c,
                r,
                asked,
                "safeguarding",
                "What do you hold on the child and household?",
                consent_reason="Asking the family first could put the child at greater risk",
            ),
        )
    )
    for agency in asked:
        if rng.random() < 0.9:  # now and then an agency is late
            steps.append((rng.uniform(3.6, 20) * hours, cast.answerers[agency], _answer(agency)))
    steps.sort(key=lambda s: s[0])
    if rng.random() < 0.85:  # a few go past their time: the breaches report shows them
        outcomes = {
            "red": ["strategy_discussion"] + (["mace"] if "11A" in found.factors else []),
            "amber": ["assessment"],
            "green": ["early_help"],
        }[rating]
        team = Team.named(found.referrer_agency or "cheshire-east-cs", "Children's social care")
        steps.append(
            (
                rng.uniform(20, 30) * hours,
                cast.manager,
                lambda c, r: mash.decide(
                    c, r, outcomes, _decided(rating), "safeguarding", team_id=team.pk
                ),
            )
        )
    return steps


def _answer(agency: str) -> Any:
    def answer(c: Caller, ref: str) -> None:
        for check in mash.checks(c, CheckFilters("requested")):
            if check.reference == ref:
                holds = random.Random(ref + agency).random() < 0.6
                text = (
                    "Two earlier contacts and a missing episode last month; found with an "
                    "older male."
                    if holds
                    else "Nothing held on the child or household."
                )
                mash.answer(c, check.pk, text, holds)

    return answer


def _why(rating: str) -> str:
    return {
        "red": "Possible significant harm now: older adult, gifts and going missing",
        "amber": "Significant concern; agencies' information needed to judge the risk",
        "green": "Below the statutory threshold; family may need support",
        "blue": "Needs can be met by universal services",
    }[rating]


def _decided(rating: str) -> str:
    return {
        "red": "Reasonable cause to suspect significant harm: strategy discussion today",
        "amber": "The child may be in need: a child and family assessment",
        "green": "Early help offer to the family",
    }[rating]


def _public(at: dt.datetime) -> str:
    """One concern from the public (its code is printed for the demo)."""
    with time_machine.travel(at, tick=False):
        _, code = concerns.report(
            concerns.Report(
                what="A girl of about 14 gets into a black car outside the chip shop on Bridge "
                "Street most nights after 10pm. The driver is a man in his 30s.",
                concerns=("exploitation", "missing"),
                child_age="about 14",
                child_description="Dark hair, school uniform from the high school",
                where="Bridge Street, outside the chip shop",
                when="Most nights this week, after 10pm",
                others="Man in his 30s, black car, part of the plate is KX",
            ),
            f"demo-week-{at.date().isoformat()}",
        )
    return code


def _missing_week(cast: Cast, callers: dict[str, Caller], now: dt.datetime, week: Week) -> None:
    """The demo home's week of missing episodes, worked by the home, the police and the
    interviewer: one child away now (graded, Philomena form handed over), one back with the
    interview due, one whose interview is overdue, and one child whose third episode in 90
    days calls for a strategy discussion. The home's children are its residents now, then
    those placed there most recently (the demo partnership has few residents)."""
    staff, police = callers[cast.home_staff], callers[cast.police]
    rhi = callers[cast.interviewer]
    home = ChildrensHome.objects.of_staff(staff.actor).first()
    if home is None:
        return
    children = _children_of(home)
    if len(children) < 3:
        week.skipped.append(f"{home.name}: fewer than three children placed there")
        return
    hours = dt.timedelta(hours=1)
    plan = [  # child, hours ago they went, hours away (None: still away), interview step
        (children[0], 5, None, ""),
        (children[1], 40, 10, "offer"),
        (children[2], 110, 8, ""),
        (children[1], 24 * 60, 20, "complete"),
        (children[1], 24 * 30, 6, "complete"),
    ]
    for person, ago, away, step in sorted(plan, key=lambda x: -x[1]):
        went = now - ago * hours
        with time_machine.travel(went + 0.5 * hours, tick=False):
            episode = missing.report(
                staff,
                missing.Away(
                    "missing",
                    went,
                    person=person,
                    home=home.home_id,
                    last_seen_where=home.name,
                    last_seen_with="Two older males in a silver car",
                    circumstances="Left after an argument; has been getting calls late at night",
                ),
            )
        week.episodes += 1
        with time_machine.travel(went + 1.5 * hours, tick=False):
            missing.grade(
                police,
                episode.pk,
                "medium" if away else "high",
                "Vulnerable; seen with older males",
            )
        if away is None:
            week.away += 1
            _philomena(staff, episode.pk, person, home.home_id, went + 2 * hours)
            continue
        back = went + away * hours
        with time_machine.travel(back + hours, tick=False):
            missing.find(
                staff,
                episode.pk,
                missing.Found(
                    back,
                    "Flat above the takeaway, High Street",
                    "CW1 3XY",
                    "police patrol",
                    "adult male known as 'Dev'",
                ),
            )
        interview = Interview.objects.get(episode=episode)
        if step:
            with time_machine.travel(back + 20 * hours, tick=False):
                missing.step(rhi, interview.pk, "offer")
        if step == "complete":
            with time_machine.travel(back + 40 * hours, tick=False):
                missing.step(
                    rhi,
                    interview.pk,
                    "complete",
                    said=missing.Said(
                        with_whom="'Dev', about 24, and his friend",
                        where="A flat above the takeaway",
                        pull_factors="Dev buys her vapes and gave her a phone",
                        next_steps="Share with the MASH; SPOC to visit",
                        signs=("older_boyfriend", "unexplained_gifts"),
                    ),
                )
        elif Interview.objects.get(pk=interview.pk).status in rhi_states.OPEN:
            week.interviews_due += 1
    week.tasks = StrategyTask.objects.filter(status="open").count()


def _children_of(home: ChildrensHome) -> list[int]:
    """The home's residents now, then children placed there most recently."""
    now_living = [p for p, _ in residents([home]).get(home.pk, [])]
    placed = (
        SourceRecord.objects.filter(
            kind="placements", is_current=True, data__care_home_id=home.home_id
        )
        .order_by("-occurred_at")
        .values_list("agency__code", "subject_id")
    )
    people = PersonRecord.objects.filter(unique_id__in=[f"{a}:{s}" for a, s in placed]).values_list(
        "person_id", flat=True
    )
    return list(dict.fromkeys([*now_living, *people]))[:3]


def _philomena(staff: Caller, episode: int, person: int, home: str, at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        try:
            missing.keep_part_one(
                staff,
                person,
                missing.PartOne(
                    description="About 5ft 4, slim, long dark hair, small star tattoo on the left "
                    "wrist; usually wears a black puffer jacket",
                    associates="'Dev' (about 24, drives a silver car); Jade from school",
                    places="The takeaway on High Street; the retail park after dark",
                    phones="07700 900123 (her own); calls from unknown numbers at night",
                    social_media="Snapchat, handle known to the home",
                    medical="Asthma: carries an inhaler",
                ),
                home=home,
            )
        except Refusal:
            return  # not a resident now: her form is kept by whoever cares for her now
        missing.keep_part_two(
            staff,
            episode,
            "Black puffer jacket, grey joggers, white trainers",
            "Her phone and about £20",
        )
        missing.hand_over(staff, episode)

"""The Philomena Protocol: a looked-after child's carers keep part 1 (who the child is,
where they go, who with) up to date before any episode, and complete part 2 (what they wore,
what they took) when the child goes missing; with one action the police get both as a
printable pack. Every keeping and every hand-over or printing is audited."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.template.loader import render_to_string
from django.utils import timezone

from safeguard.access.caller import Caller, Invalid, RuleBroken
from safeguard.access.events import PhilomenaHandedOver, PhilomenaKept, Refused
from safeguard.access.policy import Action, Decision, act
from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.alerts import services as alerts
from safeguard.hub.audit import services as audit
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.mash import queries as mash
from safeguard.hub.mash.services.steps import attempt
from safeguard.hub.missing import queries
from safeguard.hub.missing.models import Handover, Profile, Sighting
from safeguard.hub.missing.services.steps import changing, keep


@dataclass(frozen=True)
class PartOne:
    description: str
    photo_reference: str = ""
    associates: str = ""
    places: str = ""
    phones: str = ""
    social_media: str = ""
    transport: str = ""
    medical: str = ""


def keep_part_one(caller: Caller, person: int, part: PartOne, home: str = "") -> Profile:
    """Keep a child's part 1 up to date (a home's staff, or a social worker)."""
    attempted = Refused("keep a Philomena form", f"P{person}", person)
    allowed = audit.check(caller, act(caller.actor, Action.KEEP_PHILOMENA), attempted)
    with attempt(caller, attempted):
        current = mash.current_person(person)
        if current is None:
            raise RuleBroken(f"there is no person P{person}")
        wrong = {
            f.name: "Keep this under 20,000 characters"
            for f in fields(part)
            if len(getattr(part, f.name)) > MAX_TEXT
        }
        if not part.description.strip():
            wrong["description"] = "Describe the child: height, build, hair, marks, clothes"
        if wrong:
            raise Invalid(wrong)
        found = Profile.objects.select_for_update().filter(person_id=current).first()
        if (
            found is not None
            and not Profile.objects.visible_to(caller.actor).filter(pk=found.pk).exists()
        ):
            raise RuleBroken("another home or agency keeps this child's form")
        place = ChildrensHome.objects.filter(home_id=home).first() if home else None
        values = {f.name: getattr(part, f.name).strip() for f in fields(part)}
        Profile.objects.update_or_create(
            person_id=current,
            defaults={
                **values,
                "home": place or (found.home if found else None),
                "updated_at": timezone.now(),
                "updated_by": caller.actor.username,
            },
        )
        audit.write(caller.actor, PhilomenaKept(1, current), allowed, caller.channel)
        return Profile.objects.get(person_id=current)
    raise AssertionError("unreachable")  # pragma: no cover


def keep_part_two(
    caller: Caller, episode_id: int, clothing: str, taken: str = "", new_information: str = ""
) -> Sighting:
    """Complete part 2 at an episode: what the child wore, what they took, anything new."""
    with changing(caller, episode_id, "complete Philomena part 2", Action.KEEP_PHILOMENA) as (
        found,
        allowed,
    ):
        if not clothing.strip():
            raise Invalid({"clothing": "Say what the child was wearing"})
        now = timezone.now()
        Sighting.objects.update_or_create(
            episode=found,
            defaults={
                "clothing": clothing.strip(),
                "taken": taken.strip(),
                "new_information": new_information.strip(),
                "updated_at": now,
                "updated_by": caller.actor.username,
            },
        )
        keep(found, "philomena", caller, now, "Philomena part 2 completed")
        event = PhilomenaKept(2, found.person_id, found.pk)
        audit.write(caller.actor, event, allowed, caller.channel)
        return Sighting.objects.get(episode=found)
    raise AssertionError("unreachable")  # pragma: no cover


def hand_over(caller: Caller, episode_id: int) -> Handover:
    """Hand the Philomena pack to the police: the home's SPOC and the police are alerted to
    print it from the episode."""
    with changing(
        caller, episode_id, "hand a Philomena pack to the police", Action.KEEP_PHILOMENA
    ) as (found, allowed):
        if found.person_id is None or not queries.has_profile(found.person_id):
            raise RuleBroken("there is no Philomena form (part 1) for this child yet")
        now = timezone.now()
        done = Handover.objects.create(episode=found, by=caller.actor.username, at=now)
        keep(found, "handover", caller, now, "Philomena pack handed to the police")
        event = PhilomenaHandedOver(found.pk, "handed to the police", found.person_id)
        audit.write(caller.actor, event, allowed, caller.channel)
        spoc = [found.home.police_spoc] if found.home and found.home.police_spoc else []
        alerts.tell(
            spoc,
            "philomena",
            f"{found.pk}:{now.isoformat()}",
            f"A Philomena pack for episode {found.pk} is ready to print",
            f"/missing/episodes/{found.pk}/",
        )
        return done
    raise AssertionError("unreachable")  # pragma: no cover


def pack(caller: Caller, episode_id: int) -> bytes:
    """The printable Philomena pack (PDF) for an episode, for those who may see it; each
    printing audited."""
    attempted = Refused("print a Philomena pack", f"episode {episode_id}")
    allowed = audit.check(caller, act(caller.actor, Action.VIEW_EPISODES), attempted)
    found = queries.visible_episode(caller.actor, episode_id)
    if found is None:
        audit.refuse(caller, attempted, Decision(False, f"no episode {episode_id}"), rule=True)
    view = queries.episode_view(caller.actor, found, timezone.now())
    if view.profile is None:
        why = Decision(False, "there is no Philomena form (part 1) for this child yet")
        audit.refuse(caller, attempted, why, rule=True)
    audit.seen(caller, PhilomenaHandedOver(found.pk, "printed", found.person_id), allowed)
    from weasyprint import HTML  # needs the system's Pango: loaded only to print

    html = render_to_string("missing/philomena_pack.html", {"v": view, "now": timezone.now()})
    return bytes(HTML(string=html).write_pdf())

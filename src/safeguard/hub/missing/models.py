"""Missing children: each episode (reported in the hub, or delivered by an agency, or both:
one episode), the police's risk grades and reviews, the return home interview each return
opens, the strategy discussions repeat and long episodes call for, and each looked-after
child's Philomena Protocol form with its hand-overs to the police.

The scoping queries: `Episode.objects.visible_to(actor)` (the MASH and the police: every
episode; a social worker: children their agency holds records of; a home's staff: episodes
from their homes), `Interview.objects.visible_to(actor)` (the provider's interviewers: their
agency's interviews) and `Profile.objects.visible_to(actor)`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safeguard.access.policy import MASH, Action, Actor, Role, act
from safeguard.casework import episode, rhi, strategy
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.mash.models import AREAS
from safeguard.hub.people.models import Person, PersonRecord

_POLICE = frozenset({Role.POLICE_OFFICER, Role.POLICE_SPOC})


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def visible_to(self, actor: Actor) -> EpisodeQuerySet:
        if not act(actor, Action.VIEW_EPISODES):
            return self.none()
        if actor.roles & (MASH | _POLICE):
            return self
        mine = Q(pk__in=[])
        if Role.SOCIAL_WORKER in actor.roles:
            held = PersonRecord.objects.filter(agency=actor.agency).values("person_id")
            mine |= Q(person_id__in=held) | Q(reported_by=actor.username)
        if Role.HOME_STAFF in actor.roles:
            mine |= Q(home__staff__username=actor.username)
        return self.filter(mine)


class Episode(models.Model):
    kind = models.CharField(max_length=32, choices=list(episode.KINDS.items()))
    status = models.CharField(max_length=12, default=episode.AWAY)
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    child_name = models.CharField(max_length=200, blank=True)
    home = models.ForeignKey(
        ChildrensHome, null=True, on_delete=models.PROTECT, related_name="episodes"
    )
    council_area = models.CharField(max_length=32, blank=True, choices=AREAS)
    started_at = models.DateTimeField(help_text="When the child was last seen")
    last_seen_where = models.CharField(max_length=300, blank=True)
    last_seen_with = models.CharField(max_length=300, blank=True)
    circumstances = models.TextField(blank=True)
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=150)
    reporter_agency = models.CharField(max_length=63, blank=True)
    grade = models.CharField(max_length=20, blank=True, choices=list(episode.GRADES.items()))
    graded_at = models.DateTimeField(null=True)
    returned_at = models.DateTimeField(null=True)
    found_where = models.CharField(max_length=300, blank=True)
    found_postcode = models.CharField(max_length=10, blank=True)
    found_by = models.CharField(max_length=200, blank=True)
    found_with = models.CharField(max_length=300, blank=True)
    cancelled_reason = models.TextField(blank=True)
    source_record = models.CharField(max_length=200, null=True, unique=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "started_at"], name="episode_queue"),
            models.Index(fields=["person", "started_at"], name="episode_person"),
            models.Index(fields=["home", "status"], name="episode_home"),
        ]


class Report(models.Model):
    """An agency's delivered record of the same episode (`agency:record_id`)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="reports")
    record = models.CharField(max_length=200, unique=True)
    agency = models.CharField(max_length=63)


class Step(models.Model):
    """An episode's history: reported, each grade and review with its reason, the return."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=32)
    detail = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "pk")


class InterviewQuerySet(models.QuerySet["Interview"]):
    def visible_to(self, actor: Actor) -> InterviewQuerySet:
        """The provider's interviewers see their agency's interviews; those who may see the
        episode see its interview."""
        if act(actor, Action.VIEW_INTERVIEWS):
            return self.filter(provider=actor.agency)
        return self.filter(episode__in=Episode.objects.visible_to(actor))


class Interview(models.Model):
    """The return home interview an episode's return opens, on its 72-hour clock."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="interview")
    provider = models.CharField(max_length=63, help_text="The commissioned provider's agency")
    status = models.CharField(max_length=12, default=rhi.DUE)
    due_at = models.DateTimeField()
    worker = models.CharField(max_length=150, blank=True)
    offered_at = models.DateTimeField(null=True)
    accepted_at = models.DateTimeField(null=True)
    declined_reason = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True)
    closed_reason = models.TextField(blank=True)
    push_factors = models.TextField(blank=True, help_text="What pushed the child away")
    pull_factors = models.TextField(blank=True, help_text="What drew the child away")
    with_whom = models.TextField(blank=True)
    where = models.TextField(blank=True)
    disclosures = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    signs = models.JSONField(default=list, help_text="Screening indicators the interview saw")

    objects = InterviewQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["provider", "status", "due_at"], name="interview_queue")]


class TaskQuerySet(models.QuerySet["StrategyTask"]):
    def visible_to(self, actor: Actor) -> TaskQuerySet:
        if not act(actor, Action.VIEW_EPISODES):
            return self.none()
        if actor.roles & (MASH | _POLICE):
            return self
        held = PersonRecord.objects.filter(agency=actor.agency).values("person_id")
        return self.filter(person_id__in=held)


class StrategyTask(models.Model):
    """A strategy discussion a child's pattern of going missing calls for."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(max_length=12)
    detail = models.CharField(max_length=300)
    status = models.CharField(max_length=12, default=strategy.OPEN)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="tasks")
    closed_at = models.DateTimeField(null=True)
    closed_by = models.CharField(max_length=150, blank=True)
    outcome = models.TextField(blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "trigger"],
                condition=Q(status=strategy.OPEN),
                name="one_open_task_per_trigger",
            )
        ]


class ProfileQuerySet(models.QuerySet["Profile"]):
    def visible_to(self, actor: Actor) -> ProfileQuerySet:
        """A child's Philomena form: their home's staff and their social worker's agency keep
        it; the police and the MASH read it."""
        if not (act(actor, Action.KEEP_PHILOMENA) or act(actor, Action.VIEW_EPISODES)):
            return self.none()
        if actor.roles & (MASH | _POLICE):
            return self
        mine = Q(pk__in=[])
        if Role.HOME_STAFF in actor.roles:
            mine |= Q(home__staff__username=actor.username)
        if Role.SOCIAL_WORKER in actor.roles:
            held = PersonRecord.objects.filter(agency=actor.agency).values("person_id")
            mine |= Q(person_id__in=held)
        return self.filter(mine)


class Profile(models.Model):
    """Part 1 of a looked-after child's Philomena Protocol: kept up to date by their carers,
    before any episode, to hand to the police the moment they go missing."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(ChildrensHome, null=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(help_text="Height, build, hair, marks, how they dress")
    photo_reference = models.CharField(max_length=200, blank=True)
    associates = models.TextField(blank=True)
    places = models.TextField(blank=True, help_text="Addresses and places they go")
    phones = models.TextField(blank=True)
    social_media = models.TextField(blank=True)
    transport = models.TextField(blank=True)
    medical = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=150)

    objects = ProfileQuerySet.as_manager()


class Sighting(models.Model):
    """Part 2 of the Philomena Protocol, at an episode: what the child wore, when and where
    last seen, what they took, anything new."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="part_two")
    clothing = models.TextField()
    taken = models.TextField(blank=True, help_text="Money, phone, belongings taken")
    new_information = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=150)


class Handover(models.Model):
    """The Philomena pack handed to the police for an episode (each hand-over audited)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="handovers")
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

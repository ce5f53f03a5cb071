"""People: the identities linkage finds, which records are theirs, the decisions practitioners
make about links, and every merge and split with its reason.

A person's id is stable: it stays with the person while records join them. Records that change
person are recorded as `IdentityEvent`s; a person whose records all joined another is retired,
never deleted, with `merged_into` pointing on. Decisions are only ever added: a new decision on
the same pair supersedes the old one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from safeguard.access.policy import PARTNERSHIP_WIDE, Action, Actor, act


class LinkRun(models.Model):
    """One run of linkage (or re-clustering after a decision), with what it found."""

    class Mode(models.TextChoices):
        FULL = "full"
        INCREMENTAL = "incremental"
        UNCHANGED = "unchanged"
        DECISION = "decision"

    mode = models.CharField(max_length=16, choices=Mode.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    records = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    summary = models.JSONField()


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, actor: Actor, glass: frozenset[int] = frozenset()) -> PersonQuerySet:
        """The people `actor` has need to know of (`safeguard.access.policy.person`): anyone
        for partnership-wide roles; for the others, people their own agency holds records
        of, and those they hold a live break-glass grant for (`glass`)."""
        if not act(actor, Action.VIEW_PERSON):
            return self.none()
        if actor.roles & PARTNERSHIP_WIDE:
            return self
        mine = PersonRecord.objects.filter(agency=actor.agency).values("person_id")
        return self.filter(Q(pk__in=mine) | Q(pk__in=glass))


class Person(models.Model):
    """A person linkage found. The id is assigned by linkage, so it can be kept across runs."""

    id = models.BigIntegerField(primary_key=True)
    created_run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="+")
    retired_run = models.ForeignKey(LinkRun, null=True, on_delete=models.PROTECT, related_name="+")
    merged_into = models.ForeignKey(
        "self", null=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"P{self.pk}"


class PersonRecord(models.Model):
    """Which person an agency's people record belongs to now (`unique_id` is agency:record_id)."""

    unique_id = models.CharField(max_length=200, unique=True)
    agency = models.CharField(max_length=63)
    record_id = models.CharField(max_length=128)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")
    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        # need to know: the people an agency holds records of (`Person.objects.visible_to`)
        indexes = [models.Index(fields=["agency", "person"], name="record_agency_person")]


class LinkDecision(models.Model):
    """A practitioner's decision that two records are, or are not, the same person.

    Honoured on every linkage run: "same" as a must-link, "different" as a cannot-link. The pair is
    stored in order (`left` < `right`); one decision per pair is current."""

    left = models.CharField(max_length=200)
    right = models.CharField(max_length=200)
    same = models.BooleanField()
    reason = models.TextField()
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)
    superseded_by = models.ForeignKey(
        "self", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="pair_in_order"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="decision_has_reason"),
            models.UniqueConstraint(
                fields=["left", "right"],
                condition=models.Q(current=True),
                name="one_current_decision_per_pair",
            ),
        ]


class IdentityEvent(models.Model):
    """Records that changed person in a run: merged, split or moved, and why."""

    class Kind(models.TextChoices):
        MERGED = "merged"
        SPLIT = "split"
        MOVED = "moved"

    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    records = models.JSONField()
    reason = models.TextField()


class SearchEntryQuerySet(models.QuerySet["SearchEntry"]):
    def names(self, people: Iterable[int]) -> dict[int, str]:
        """Each person's name as lists show it: that of their first record (by id)."""
        out: dict[int, str] = {}
        rows = self.filter(person_id__in=list(people)).order_by("unique_id")
        for person, name in rows.values_list("person_id", "display_name"):
            out.setdefault(person, name)
        return out


class SearchEntry(models.Model):
    """One agency record's identity as `/people/` search matches it (refreshed after every
    linkage run from the prepared records: names lower-cased, forenames with their nickname
    group, dates of birth also day-month swapped, postcodes upper-case with a space)."""

    unique_id = models.CharField(max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="search_entries")
    agency = models.CharField(max_length=63)
    record_hash = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(max_length=200)
    forename = models.CharField(max_length=100, blank=True, db_index=True)
    forename_key = models.CharField(max_length=100, blank=True, db_index=True)
    surname = models.CharField(max_length=100, blank=True, db_index=True)
    dob = models.CharField(max_length=10, blank=True, db_index=True)
    dob_swapped = models.CharField(max_length=10, blank=True, db_index=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"

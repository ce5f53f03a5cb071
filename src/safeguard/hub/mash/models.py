"""The MASH front door: contacts (every concern, treated as a referral), the people each
names, its history, the checks agencies are asked to answer, and the open cases contacts are
routed to. A contact's clocks are stored as due times (`decision_due`, `checks_due`, and the
sooner of the two still running, `next_due`) so that queues sort and filter on them in SQL.

The scoping queries: `Contact.objects.visible_to(actor)` (the MASH, or a team's routed
contacts), `Contact.objects.raised_by(actor)` (what a professional sent) and
`CheckRequest.objects.visible_to(actor)` (an agency's own checks).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.access.policy import MASH, Action, Actor, act
from safeguard.casework import check, contact
from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.hub.accounts.models import Team
from safeguard.hub.deliveries.models import Agency
from safeguard.hub.people.models import Person

AREAS = [(c, c.replace("_", " ").title().replace(" And ", " and ")) for c in COUNCIL_AREAS]


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, actor: Actor) -> ContactQuerySet:
        """Contacts `actor` may open (`safeguard.access.policy.on_contact`): all of them for the
        MASH; for a social worker, those routed to their team."""
        if not act(actor, Action.VIEW_CONTACTS):
            return self.none()
        if actor.roles & MASH:
            return self
        return self.filter(team_id=actor.team) if actor.team is not None else self.none()

    def raised_by(self, actor: Actor) -> ContactQuerySet:
        """The contacts `actor` made through the hub (to see what became of them)."""
        if not act(actor, Action.RAISE_CONTACT):
            return self.none()
        return self.filter(referrer_username=actor.username)


class Contact(models.Model):
    class Route(models.TextChoices):
        WEB = "web", "web form"
        API = "api", "agency system (API)"
        DELIVERY = "delivery", "agency delivery"
        PUBLIC = "public", "member of the public"

    class Anonymity(models.TextChoices):
        NAMED = "named", "Can be named to the family"
        CONFIDENTIAL = "confidential", "Not to be named to the family without asking first"
        ANONYMOUS = "anonymous", "Anonymous: gave no name"

    class Aware(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        NOT_SOUGHT = "not_sought", "Not sought"

    reference = models.CharField(max_length=24, unique=True, null=True)
    received_at = models.DateTimeField()
    route = models.CharField(max_length=12, choices=Route.choices)
    source = models.CharField(max_length=4, help_text="Children in Need census referral source")
    referrer_username = models.CharField(max_length=150, blank=True)
    referrer_agency = models.CharField(max_length=63, blank=True)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.CharField(max_length=254, blank=True)
    anonymity = models.CharField(max_length=12, choices=Anonymity.choices)
    council_area = models.CharField(max_length=32, blank=True, choices=AREAS)
    factors = models.JSONField(default=list)
    summary = models.TextField(help_text="The concern, in the referrer's words")
    seen = models.TextField(blank=True, help_text="What the referrer saw or heard themselves")
    told = models.TextField(blank=True, help_text="What others told the referrer")
    parents_aware = models.CharField(max_length=8, choices=Aware.choices, default=Aware.UNKNOWN)
    consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.NOT_SOUGHT)
    consent_reason = models.TextField(
        blank=True, help_text="Why checks go ahead without consent, when they do"
    )
    status = models.CharField(max_length=12, default=contact.RECEIVED)
    rating = models.CharField(max_length=12, blank=True)
    rated_at = models.DateTimeField(null=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(Team, null=True, on_delete=models.PROTECT, related_name="+")
    decision_due = models.DateTimeField()
    checks_due = models.DateTimeField(null=True)
    next_due = models.DateTimeField(null=True)
    outcomes = models.JSONField(default=list)
    decided_at = models.DateTimeField(null=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decision_reason = models.TextField(blank=True)
    basis = models.CharField(max_length=32, blank=True)
    feedback = models.TextField(blank=True, help_text="What the referrer is told")
    previous_at = models.DateTimeField(null=True, help_text="A re-referral: the contact before")
    previous = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    child_name = models.CharField(max_length=200, blank=True)
    source_record = models.CharField(max_length=200, null=True, unique=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_due"], name="contact_queue"),
            models.Index(fields=["team", "status", "next_due"], name="contact_team_queue"),
            models.Index(fields=["person", "received_at"], name="contact_person"),
            models.Index(fields=["referrer_username", "received_at"], name="contact_referrer"),
            models.Index(fields=["received_at"], name="contact_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=contact.DECIDED) | Q(decided_at__isnull=False),
                name="decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"contact {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in contact.OPEN


class Subject(models.Model):
    """A person a contact names: the child it is about (`main`), other children, adults. A
    subject is a person the hub knows once linked (`person`); until then, what was said."""

    class Kind(models.TextChoices):
        CHILD = "child", "Child"
        ADULT = "adult", "Adult"

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="subjects")
    main = models.BooleanField(default=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    relationship = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=200, blank=True)
    dob = models.DateField(null=True)
    age = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    description = models.TextField(blank=True)
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    record = models.CharField(max_length=200, blank=True, help_text="agency:record_id, delivered")
    linked_by = models.CharField(max_length=150, blank=True)
    linked_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ("-main", "kind", "pk")
        indexes = [models.Index(fields=["record"], name="subject_record")]


class Step(models.Model):
    """A contact's history: every action taken on it, by whom, when and why."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=32)
    state = models.CharField(max_length=12)
    detail = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "pk")


class Note(models.Model):
    """Information added to a contact after it arrived (by a practitioner, or by the member of
    the public who reported it, with their code)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    by = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ("at", "pk")


class CheckQuerySet(models.QuerySet["CheckRequest"]):
    def visible_to(self, actor: Actor) -> CheckQuerySet:
        """An agency's workers see the checks asked of their agency."""
        if not act(actor, Action.VIEW_CHECKS) or not actor.agency:
            return self.none()
        return self.filter(agency_id=actor.agency)


class CheckRequest(models.Model):
    """The MASH asks an agency what it holds about a contact's people."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="checks")
    agency = models.ForeignKey(Agency, to_field="code", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, default=check.REQUESTED)
    question = models.TextField(blank=True)
    basis = models.CharField(max_length=32)
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True)
    answer = models.TextField(blank=True)
    holds = models.BooleanField(null=True)
    answered_by = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = CheckQuerySet.as_manager()

    class Meta:
        ordering = ("requested_at", "pk")
        indexes = [models.Index(fields=["agency", "status", "due_at"], name="check_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "agency"],
                condition=Q(status=check.REQUESTED),
                name="one_open_check_per_agency",
            ),
            models.CheckConstraint(
                condition=~Q(status=check.ANSWERED) | ~Q(answer=""), name="answered_has_answer"
            ),
        ]


class Allocation(models.Model):
    """An open case: a team holds the child's case (from a decision, or set up by the
    partnership). A contact about the child goes to that team."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    reason = models.TextField()
    by = models.CharField(max_length=150)
    contact = models.ForeignKey(Contact, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person", "closed_at"], name="allocation_open")]

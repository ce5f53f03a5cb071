"""Children's homes (reference data). The homes' own delivery (`care_homes` records) names
them; administrators add what no delivery carries: the Ofsted reference, whether the home is
open, and the police officer who is its single point of contact (SPOC)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from safeguard.access.policy import Action, Actor, Role, act
from safeguard.contract import identifiers
from safeguard.contract.kinds import COUNCIL_AREAS
from safeguard.hub.deliveries.models import Agency

#: Ofsted's unique reference number for a children's home: SC and six digits.
OFSTED_URN = RegexValidator(r"^SC\d{6}$", "An Ofsted reference for a children's home: SC123456")


class HomeQuerySet(models.QuerySet["ChildrensHome"]):
    def visible_to(self, actor: Actor) -> HomeQuerySet:
        """The homes register: every home, for those who work with homes; a home's staff and
        its SPOC see their own through their pages."""
        if act(actor, Action.VIEW_HOMES):
            return self
        if Role.HOME_STAFF in actor.roles:
            return self.filter(staff__username=actor.username)
        return self.none()

    def of_spoc(self, actor: Actor) -> HomeQuerySet:
        """The open homes `actor` is the police single point of contact for."""
        if Role.POLICE_SPOC not in actor.roles:
            return self.none()
        return self.filter(police_spoc__username=actor.username, open=True)

    def of_staff(self, actor: Actor) -> HomeQuerySet:
        """The homes `actor` works in."""
        if Role.HOME_STAFF not in actor.roles:
            return self.none()
        return self.filter(staff__username=actor.username)


class ChildrensHome(models.Model):
    #: The fields a delivery sets; an administrator edits them only on a home no delivery names.
    DELIVERED = ("name", "address", "town", "postcode", "council_area", "provider")

    home_id = models.CharField(
        max_length=128, unique=True, help_text="The home's id, as other records cite it"
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency whose delivery names the home; blank if added here",
    )
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    council_area = models.CharField(
        max_length=32,
        blank=True,
        choices=[(c, c.replace("_", " ").title().replace(" And ", " and ")) for c in COUNCIL_AREAS],
    )
    provider = models.CharField(max_length=200, blank=True)
    ofsted_urn = models.CharField(
        "Ofsted reference", max_length=8, blank=True, validators=[OFSTED_URN]
    )
    open = models.BooleanField(default=True)
    police_spoc = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spoc_for",
        verbose_name="police single point of contact",
    )
    spoc_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spoc_gaps",
        verbose_name="who finds it a SPOC",
        help_text="While the home has no police SPOC, who must find one (alerted)",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="homes",
        help_text="The home's manager and staff with an account (role: children's home staff)",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = HomeQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = "children's home"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        spoc = self.police_spoc
        if spoc is not None and Role.POLICE_SPOC.value not in (spoc.roles or []):
            raise ValidationError(
                {"police_spoc": f"{spoc.username} does not hold the police SPOC role"}
            )


def validate_phone(value: str) -> None:
    """A UK phone number, as the data contract reads one."""
    if value and identifiers.phone(value).value is None:
        raise ValidationError("Not a UK phone number (for example 07911 123456)")


def validate_vehicle(value: str) -> None:
    """A UK vehicle registration mark, as the data contract reads one."""
    if value and identifiers.vrm(value).value is None:
        raise ValidationError("Not a UK registration mark (for example AB12 CDE)")


class Professional(models.Model):
    """Someone who meets children in their work (a home's residential staff, a foster carer, a
    contracted driver, a youth worker), kept by administrators as reference data: being found
    with them, or in their vehicle, is explained, not a sign, in every screening and network
    finding (`safeguard.intelligence`)."""

    class Role(models.TextChoices):
        RESIDENTIAL = "residential_staff", "Children's home staff"
        FOSTER_CARER = "foster_carer", "Foster carer"
        DRIVER = "contracted_driver", "Contracted driver or escort"
        YOUTH_WORKER = "youth_worker", "Youth worker"
        OTHER = "other", "Other professional"

    name = models.CharField(
        max_length=150, help_text="First name and surname, as agencies write them"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.CharField(max_length=150, blank=True)
    home = models.ForeignKey(
        ChildrensHome,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="professionals",
    )
    phone = models.CharField(max_length=32, blank=True, validators=[validate_phone])
    vehicle = models.CharField(max_length=16, blank=True, validators=[validate_vehicle])
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

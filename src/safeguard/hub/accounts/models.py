"""Staff accounts: each user belongs to an agency and a team and holds roles (see
`safeguard.access.policy.Role`). Passwords are hashed with Argon2; the one-time-code devices
are django-otp's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac

from safeguard.access.policy import Actor, Role, administer, roles_problem
from safeguard.hub.deliveries.models import Agency


class Team(models.Model):
    """A team within an agency (reference data, kept by administrators): "MASH East",
    "Child Exploitation Unit". A user's team must be one of their own agency's."""

    agency = models.ForeignKey(
        Agency, to_field="code", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ("agency", "name")
        constraints = (
            models.UniqueConstraint(fields=("agency", "name"), name="team_unique_in_agency"),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"

    @classmethod
    def named(cls, agency: str, name: str) -> Team:
        """The agency's team called `name`, made (with the agency, if new) when missing."""
        known, _ = Agency.objects.get_or_create(code=agency, defaults={"name": agency})
        team, _ = cls.objects.get_or_create(agency=known, name=name)
        return team


class User(AbstractUser):
    agency = models.CharField(
        max_length=63, blank=True, help_text="Agency code, e.g. cheshire-police"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    roles = models.JSONField(default=list, blank=True, help_text="Role codes (access policy)")
    enrol_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Until then, the user may set up an authenticator when they next sign in",
    )

    def actor(self, verified: bool) -> Actor:
        """This user as the access policy sees them."""
        return Actor.of(self.username, self.agency, self.roles or [], verified, self.team_id)

    def signed_in_actor(self) -> Actor:
        """This user on a request: verified when this session passed the one-time code
        (django-otp's middleware gives the request's user `is_verified`)."""
        return self.actor(bool(getattr(self, "is_verified", lambda: False)()))

    # Django admin asks the user for model permissions; the access policy answers them from
    # the roles, so there are no separate Django permissions or groups to keep in step.

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """`perm` is Django's "app.action_model", e.g. "homes.change_childrenshome"."""
        app, _, codename = perm.partition(".")
        what, _, model = codename.partition("_")
        actor = self.signed_in_actor()
        return self.is_active and bool(administer(actor, f"{app}.{model}", what))

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and bool(administer(self.signed_in_actor(), app_label))

    def get_session_auth_hash(self) -> str:
        """Django ends every session whose stored hash no longer matches. Opening a window to
        set up an authenticator (a reset) changes it, so the reset signs the user out
        everywhere: a session left open elsewhere cannot register a device."""
        plain = super().get_session_auth_hash()
        if self.enrol_until is None:
            return plain
        window = f"{plain}:{self.enrol_until.isoformat()}"
        return salted_hmac("safeguard.enrolment", window, algorithm="sha256").hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_staff = Role.ADMINISTRATOR.value in (self.roles or [])  # the admin site's gate
        fields = kwargs.get("update_fields")
        if fields is not None and "roles" in fields:
            kwargs["update_fields"] = {*fields, "is_staff"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        problem = roles_problem(self.roles or [])
        if problem:
            raise ValidationError({"roles": problem})
        if self.team is not None and self.team.agency_id != self.agency:
            raise ValidationError(
                {"team": f"{self.team} is not a team of {self.agency or 'no agency'}"}
            )


class ApiToken(models.Model):
    """A token an agency system presents to the JSON API (`Authorization: Bearer ...`). It acts
    as its user, a service account with an agency and roles, so the access policy and the
    audit treat its calls like that user's. Only the token's SHA-256 is stored; it is shown
    once, when made."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True)
    revoked_at = models.DateTimeField(null=True)

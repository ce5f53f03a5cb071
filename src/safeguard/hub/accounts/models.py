"""Staff accounts: each user belongs to an agency and a team and holds roles (see
`safeguard.access.policy.Role`). Passwords are hashed with Argon2; the one-time-code devices
are django-otp's."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from safeguard.access.policy import Actor


class User(AbstractUser):
    agency = models.CharField(
        max_length=63, blank=True, help_text="Agency code, e.g. cheshire-police"
    )
    team = models.CharField(max_length=100, blank=True)
    roles = models.JSONField(default=list, blank=True, help_text="Role codes (access policy)")

    def actor(self, verified: bool) -> Actor:
        """This user as the access policy sees them."""
        return Actor.of(self.username, self.agency, self.roles or [], verified)


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

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

"""Django admin for administrators: staff accounts with their agency, team and roles, and the
teams themselves (reference data)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from safeguard.hub.accounts.models import Team, User
from safeguard.hub.accounts.services import open_enrolment
from safeguard.settings import get_settings


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "agency", "team", "is_active")
    list_filter = ("agency", "is_active")
    list_select_related = ("team",)
    # what a user may do comes from their roles (the access policy), not Django's permissions
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Safeguard", {"fields": ("agency", "team", "roles", "is_active", "enrol_until")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined", "enrol_until")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = tuple(self.readonly_fields)
        if obj is not None and obj.pk == request.user.pk:  # no one grants themselves access
            return (*fixed, "agency", "team", "roles", "is_active")
        return fixed

    actions = ("reset_authenticator",)

    @admin.action(description="Remove the authenticator; let them set up a new one at sign-in")
    def reset_authenticator(self, request: HttpRequest, chosen: Any) -> None:
        hours = get_settings().enrol_hours
        for user in chosen:
            open_enrolment(user, hours)
            self.log_change(request, user, "authenticator reset: set up again at sign-in")
        self.message_user(
            request,
            f"{len(chosen)} user(s) may set up a new authenticator at sign-in within {hours} hours",
            messages.SUCCESS,
        )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "agency")
    list_filter = ("agency",)
    search_fields = ("name", "agency__code", "agency__name")

"""Django admin for administrators: staff accounts with their agency, team and roles, and the
teams themselves (reference data)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safeguard.hub.accounts.models import Team, User


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "agency", "team", "is_active")
    list_filter = ("agency", "is_active")
    list_select_related = ("team",)
    # what a user may do comes from their roles (the access policy), not Django's permissions
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Safeguard", {"fields": ("agency", "team", "roles", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "agency")
    list_filter = ("agency",)
    search_fields = ("name", "agency__code", "agency__name")

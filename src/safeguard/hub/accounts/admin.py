"""Django admin for administrators: staff accounts with their agency, team and roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safeguard.hub.accounts.models import User


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "agency", "team", "is_active")
    list_filter = ("agency", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Safeguard", {"fields": ("agency", "team", "roles")}),
    )

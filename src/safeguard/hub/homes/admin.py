"""Django admin for administrators: children's homes. A home named by a delivery keeps the
delivery's details (read-only here); administrators set its Ofsted reference, whether it is
open, and its police single point of contact."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from safeguard.access.policy import Role
from safeguard.hub.accounts.models import User
from safeguard.hub.homes.models import ChildrensHome, Professional


class HasSpoc(admin.SimpleListFilter):
    title = "police SPOC"
    parameter_name = "spoc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has a SPOC"), ("no", "No SPOC yet")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() in ("yes", "no"):
            return queryset.filter(police_spoc__isnull=self.value() == "no")
        return queryset


@admin.register(ChildrensHome)
class ChildrensHomeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "town", "council_area", "ofsted_urn", "open", "police_spoc")
    list_filter = ("open", "council_area", HasSpoc)
    search_fields = ("name", "home_id", "postcode", "ofsted_urn", "provider")
    fields = (
        "home_id",
        "agency",
        *ChildrensHome.DELIVERED,
        "ofsted_urn",
        "open",
        "police_spoc",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.agency_id is not None:
            return ("home_id", "agency", *ChildrensHome.DELIVERED, "updated_at")
        return ("agency", "updated_at")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:  # type: ignore[type-arg]
        if db_field.name == "police_spoc":
            # JSON containment is not portable to SQLite; the accounts are few
            spocs = [
                u.pk
                for u in User.objects.filter(is_active=True).only("pk", "roles")
                if Role.POLICE_SPOC.value in (u.roles or [])
            ]
            kwargs["queryset"] = User.objects.filter(pk__in=spocs).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Professional)
class ProfessionalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Professionals whose contact with children is their job: the analysis explains it."""

    list_display = ("name", "role", "organisation", "home", "active")
    list_filter = ("role", "active")
    search_fields = ("name", "organisation", "phone", "vehicle")
    autocomplete_fields = ("home",)

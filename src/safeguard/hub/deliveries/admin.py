"""Django admin for administrators: the partnership's agencies (reference data). Deliveries
and records arrive only through `safeguard ingest`, so they are not editable here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeguard.hub.deliveries.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # users and teams refer to an agency by its code
        return ("code",) if obj is not None else ()

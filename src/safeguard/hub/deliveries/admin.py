"""Django admin for administrators: the partnership's agencies (reference data). Deliveries
and records arrive only through `safeguard ingest`, so they are not editable here."""

from django.contrib import admin

from safeguard.hub.deliveries.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name")
    search_fields = ("code", "name")

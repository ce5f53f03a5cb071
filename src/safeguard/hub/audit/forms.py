"""The audit page's filters."""

from __future__ import annotations

from django import forms

from safeguard.hub.audit.queries import Filters


class FiltersForm(forms.Form):
    person = forms.CharField(required=False, label="Person (for example P1042)")
    user = forms.CharField(required=False, label="User")
    flagged = forms.BooleanField(required=False, label="Flagged for review only")

    def filters(self) -> Filters:
        """What the form asks for (anything unreadable is left out)."""
        data = self.cleaned_data if self.is_valid() else {}
        person = str(data.get("person") or "").strip().lstrip("Pp")
        return Filters(
            person_id=int(person) if person.isdigit() else None,
            username=str(data.get("user") or "").strip(),
            flagged=bool(data.get("flagged")),
        )

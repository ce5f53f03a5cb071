"""Parsing what the screening and findings pages send. Forms tidy and type; the rules (a
reason is needed, a band must be the catalogue's, a finding moves only as its table allows)
are the services'."""

from __future__ import annotations

from django import forms

from safeguard.casework.intake import MAX_LINE, MAX_TEXT


class ConfirmForm(forms.Form):
    """A practitioner's level for a child, with their reasons."""

    band = forms.CharField(max_length=MAX_LINE, required=False)
    reason = forms.CharField(max_length=MAX_TEXT * 2, required=False)


class RecordForm(forms.Form):
    """An indicator a practitioner saw: which, when, and what they saw."""

    code = forms.CharField(max_length=MAX_LINE, required=False)
    seen_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"],
        error_messages={"invalid": "Enter the date it was seen, like 6/12/2026"},
    )
    note = forms.CharField(max_length=MAX_TEXT * 2, required=False)


class DisposeForm(forms.Form):
    """A finding's new disposition and why."""

    status = forms.CharField(max_length=MAX_LINE, required=False)
    reason = forms.CharField(max_length=MAX_TEXT * 2, required=False)

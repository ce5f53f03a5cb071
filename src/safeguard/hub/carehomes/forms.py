"""Parsing what the homes' pages send: a SPOC's visit, a home's regulation 40 notification."""

from __future__ import annotations

from django import forms

from safeguard.casework.intake import MAX_TEXT
from safeguard.hub.carehomes.services import TOLD
from safeguard.hub.missing.forms import WhenField


class VisitForm(forms.Form):
    kind = forms.CharField(max_length=12, required=False)
    on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    notes = forms.CharField(max_length=MAX_TEXT * 2, required=False)


class NoticeForm(forms.Form):
    event = forms.CharField(max_length=20, required=False)
    happened_at = WhenField(max_length=40, required=False)
    told = forms.MultipleChoiceField(choices=[(t, t) for t in TOLD], required=False)
    details = forms.CharField(max_length=MAX_TEXT * 2, required=False)
    person = forms.IntegerField(required=False, min_value=1)
    child_name = forms.CharField(max_length=200, required=False)

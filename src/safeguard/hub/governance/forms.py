"""Parsing what the review's pages send. Forms tidy and type (a date, evidence a line each);
the rules are the services' (a submitted assessment needs a rating and a narrative...)."""

from __future__ import annotations

from django import forms

from safeguard.casework.review import MAX_TEXT

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]


def _text() -> forms.CharField:
    return forms.CharField(max_length=MAX_TEXT * 2, required=False)


class AssessForm(forms.Form):
    rag = forms.CharField(max_length=5, required=False)
    narrative = _text()
    evidence = _text()
    step = forms.CharField(max_length=12, required=False)
    reason = _text()


class ReviewForm(forms.Form):
    step = forms.CharField(max_length=12, required=False)
    reason = _text()


class ActionForm(forms.Form):
    what = _text()
    owner = forms.CharField(max_length=150, required=False)
    agency = forms.CharField(max_length=63, required=False)
    due_on = forms.DateField(
        input_formats=DATE_FORMATS,
        required=False,
        error_messages={"invalid": "Give a date, like 14/12/2026"},
    )


class StepForm(forms.Form):
    step = forms.CharField(max_length=16, required=False)
    reason = _text()


class PackForm(forms.Form):
    meeting = forms.DateField(
        input_formats=DATE_FORMATS,
        required=False,
        error_messages={"invalid": "Give the meeting's date, like 15/1/2027"},
    )
    next_meeting = forms.DateField(
        input_formats=DATE_FORMATS,
        required=False,
        error_messages={"invalid": "Give the next meeting's date, like 15/4/2027"},
    )

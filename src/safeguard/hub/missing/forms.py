"""Parsing what the missing-children pages send. Forms tidy and type; the rules are the
services' (a return before the child went, a grade without a reason...)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from safeguard.casework.intake import MAX_LINE, MAX_TEXT


def _text() -> forms.CharField:
    return forms.CharField(max_length=MAX_TEXT * 2, required=False)


def _line() -> forms.CharField:
    return forms.CharField(max_length=MAX_LINE * 2, required=False)


class WhenField(forms.CharField):
    """A date and time as people type them: "2026-12-06 21:30", "6/12/2026 21:30", or a time
    alone ("21:30", today)."""

    FORMATS = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%y %H:%M", "%Y-%m-%dT%H:%M")

    def clean(self, value: Any) -> dt.datetime | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        for form in (*self.FORMATS, "%H:%M"):
            try:
                moment = dt.datetime.strptime(text, form)  # noqa: DTZ007 - local, made aware below
            except ValueError:
                continue
            if form == "%H:%M":
                moment = dt.datetime.combine(timezone.localdate(), moment.time())
            return timezone.make_aware(moment)
        raise forms.ValidationError("Give a date and time, like 6/12/2026 21:30")


class ReportForm(forms.Form):
    kind = forms.CharField(max_length=32, required=False)
    person = forms.CharField(max_length=12, required=False)
    child_name = _line()
    home = forms.CharField(max_length=128, required=False)
    started_at = WhenField(max_length=40, required=False)
    last_seen_where = _line()
    last_seen_with = _line()
    circumstances = _text()

    def clean_person(self) -> int | None:
        raw = str(self.cleaned_data.get("person") or "").strip().upper().removeprefix("P")
        if not raw:
            return None
        if not raw.isdigit():
            raise forms.ValidationError("A person number is P and digits, like P1234")
        return int(raw)


class GradeForm(forms.Form):
    grade = forms.CharField(max_length=20, required=False)
    reason = _text()


class FindForm(forms.Form):
    returned_at = WhenField(max_length=40, required=False)
    found_where = _line()
    found_postcode = forms.CharField(max_length=20, required=False)
    found_by = _line()
    found_with = _line()


class ReasonForm(forms.Form):
    reason = _text()


class PartTwoForm(forms.Form):
    clothing = _text()
    taken = _text()
    new_information = _text()


class PartOneForm(forms.Form):
    description = _text()
    photo_reference = _line()
    associates = _text()
    places = _text()
    phones = _text()
    social_media = _text()
    transport = _text()
    medical = _text()
    home = forms.CharField(max_length=128, required=False)


class InterviewForm(forms.Form):
    action = forms.CharField(max_length=16, required=False)
    reason = _text()
    push_factors = _text()
    pull_factors = _text()
    with_whom = _text()
    where = _text()
    disclosures = _text()
    next_steps = _text()
    signs = forms.MultipleChoiceField(choices=[], required=False)

    def __init__(self, *args: Any, signs: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signs"].choices = list(signs.items())  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    action = forms.CharField(max_length=16, required=False)
    outcome = _text()

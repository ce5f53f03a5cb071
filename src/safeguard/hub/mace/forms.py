"""Parsing what the MACE pages send. Forms tidy and type (a date, a Safeguard number); the rules
are the services' (a meeting needs a chair, an action a due date no earlier than the
meeting...)."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.casework.intake import MAX_LINE, MAX_TEXT

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
DATE_HINT = "Give a date, like 14/12/2026"


def _text() -> forms.CharField:
    return forms.CharField(max_length=MAX_TEXT * 2, required=False)


def _line() -> forms.CharField:
    return forms.CharField(max_length=MAX_LINE * 2, required=False)


def _date() -> forms.DateField:
    return forms.DateField(
        input_formats=DATE_FORMATS, required=False, error_messages={"invalid": DATE_HINT}
    )


class PersonField(forms.CharField):
    """A Safeguard person number as people type it: "P1234", "p 1234" or "1234"."""

    def clean(self, value: Any) -> int | None:
        raw = str(super().clean(value) or "").strip().upper().removeprefix("P").strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise forms.ValidationError("A Safeguard number is P and digits, like P1234")
        return int(raw)


class MeetingForm(forms.Form):
    held_on = _date()
    areas = forms.MultipleChoiceField(choices=[], required=False)
    chair = forms.CharField(max_length=150, required=False)
    attendees = forms.MultipleChoiceField(choices=[], required=False)
    venue = _line()

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, str]],
        agencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = areas  # type: ignore[attr-defined]
        self.fields["attendees"].choices = agencies  # type: ignore[attr-defined]


class AddForm(forms.Form):
    kind = forms.CharField(max_length=12, required=False)
    person = PersonField(max_length=20, required=False)
    finding_key = forms.CharField(max_length=64, required=False)
    place = _line()
    reason = _text()


class DecisionForm(forms.Form):
    summary = _text()
    decision = _text()


class ActionForm(forms.Form):
    what = _text()
    owner = forms.CharField(max_length=150, required=False)
    agency = forms.CharField(max_length=63, required=False)
    due_on = _date()


class StepForm(forms.Form):
    step = forms.CharField(max_length=16, required=False)
    reason = _text()


class DisruptionForm(forms.Form):
    kind = forms.CharField(max_length=32, required=False)
    on = _date()
    against_person = PersonField(max_length=20, required=False)
    against = _line()
    place = _line()
    agency = forms.CharField(max_length=63, required=False)
    area = forms.CharField(max_length=32, required=False)
    meeting = forms.IntegerField(required=False, min_value=1)
    item = forms.IntegerField(required=False, min_value=1)
    details = _text()

"""Parsing what the MASH's pages send: a new contact, and each action on one. Forms tidy and
type what was typed; the rules are the services' (`safeguard.casework.intake`, the contact's
table), whose problems come back keyed by field and are shown beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from safeguard.casework.intake import MAX_LINE, MAX_TEXT, Intake, Named
from safeguard.hub.mash import clocks
from safeguard.hub.mash.models import AREAS, Contact

#: Other people a contact can name on the form (more can be added on the contact afterwards).
OTHERS = 3


def _line() -> forms.CharField:
    return forms.CharField(max_length=MAX_LINE, required=False)


def _text() -> forms.CharField:
    return forms.CharField(max_length=MAX_TEXT, required=False)


def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


class ContactForm(forms.Form):
    """A professional's contact: the child, others named, the concern, family and consent,
    and the referrer's own details."""

    source = forms.CharField(max_length=4, required=False)
    child_name = _line()
    child_person = forms.CharField(max_length=12, required=False)
    dob_day = forms.CharField(max_length=2, required=False)
    dob_month = forms.CharField(max_length=2, required=False)
    dob_year = forms.CharField(max_length=4, required=False)
    child_age = _line()
    child_address = _line()
    child_postcode = forms.CharField(max_length=10, required=False)
    council_area = forms.ChoiceField(choices=[("", ""), *AREAS], required=False)
    factors = forms.MultipleChoiceField(choices=[], required=False)
    summary = _text()
    seen = _text()
    told = _text()
    parents_aware = forms.ChoiceField(choices=Contact.Aware.choices, required=False)
    consent = forms.ChoiceField(choices=Contact.Consent.choices, required=False)
    consent_reason = _text()
    referrer_name = _line()
    referrer_role = _line()
    referrer_phone = forms.CharField(max_length=40, required=False)
    referrer_email = forms.CharField(max_length=254, required=False)
    anonymity = forms.ChoiceField(choices=Contact.Anonymity.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        v = clocks.vocabulary()
        self.fields["factors"].choices = _choices(v.factors)  # type: ignore[attr-defined]
        for i in range(1, OTHERS + 1):
            self.fields[f"other_kind_{i}"] = forms.ChoiceField(
                choices=[("adult", "Adult"), ("child", "Child")], required=False
            )
            self.fields[f"other_name_{i}"] = _line()
            self.fields[f"other_relationship_{i}"] = _line()
            self.fields[f"other_description_{i}"] = _text()

    def clean_child_person(self) -> int | None:
        raw = str(self.cleaned_data.get("child_person") or "").strip().upper().removeprefix("P")
        if not raw:
            return None
        if not raw.isdigit():
            raise forms.ValidationError("A person number is P and digits, like P1234")
        return int(raw)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [str(data.get(f"dob_{p}") or "").strip() for p in ("day", "month", "year")]
        data["dob"] = None
        if any(parts):
            try:
                data["dob"] = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                self.add_error("dob_day", "Date of birth must be a real date, like 27 3 2011")
        return data

    def intake(self, source: str, agency: str, route: str = "web") -> Intake:
        """What was sent, as the services take it (call once the form is valid); `source`
        when the form chose none."""
        d = self.cleaned_data
        source = d["source"] or source
        child = Named(
            kind="child",
            main=True,
            name=d["child_name"],
            dob=d["dob"],
            age=d["child_age"],
            address=d["child_address"],
            postcode=d["child_postcode"],
            person=d["child_person"],
        )
        others = tuple(
            Named(
                kind=d[f"other_kind_{i}"] or "adult",
                name=d[f"other_name_{i}"],
                relationship=d[f"other_relationship_{i}"],
                description=d[f"other_description_{i}"],
            )
            for i in range(1, OTHERS + 1)
            if d[f"other_name_{i}"].strip() or d[f"other_description_{i}"].strip()
        )
        return Intake(
            received_at=timezone.now(),
            route=route,
            source=source,
            summary=d["summary"],
            factors=tuple(d["factors"]),
            named=(child, *others),
            anonymity=d["anonymity"] or "named",
            council_area=d["council_area"],
            seen=d["seen"],
            told=d["told"],
            parents_aware=d["parents_aware"] or "unknown",
            consent=d["consent"] or "not_sought",
            consent_reason=d["consent_reason"],
            referrer_agency=agency,
            referrer_name=d["referrer_name"],
            referrer_role=d["referrer_role"],
            referrer_phone=d["referrer_phone"],
            referrer_email=d["referrer_email"],
        )


def field_of(problem: str) -> str:
    """The form field a service's problem key belongs to ("named.0.dob" -> "dob_day")."""
    if not problem.startswith("named"):
        return problem
    parts = problem.split(".")
    if len(parts) < 3:
        return "child_name"
    index, attr = int(parts[1]), parts[2]
    if index == 0:
        return {"dob": "dob_day"}.get(attr, f"child_{attr}")
    return f"other_{attr}_{index}"


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=MAX_TEXT, required=False)


class RateForm(ReasonForm):
    rating = forms.CharField(max_length=12, required=False)


class AskForm(forms.Form):
    agency = forms.MultipleChoiceField(choices=[], required=False)
    basis = forms.CharField(max_length=32, required=False)
    question = forms.CharField(max_length=MAX_TEXT, required=False)
    consent_reason = forms.CharField(max_length=MAX_TEXT, required=False)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]


class DecideForm(ReasonForm):
    outcome = forms.MultipleChoiceField(choices=[], required=False)
    basis = forms.CharField(max_length=32, required=False)
    feedback = forms.CharField(max_length=MAX_TEXT, required=False)
    team = forms.IntegerField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcomes = clocks.vocabulary().outcomes
        self.fields["outcome"].choices = [(k, o.label) for k, o in outcomes.items()]  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(max_length=MAX_TEXT, required=False)


class LinkForm(forms.Form):
    subject = forms.IntegerField()
    person = forms.IntegerField()


class WithdrawForm(ReasonForm):
    check = forms.IntegerField()


class AnswerForm(forms.Form):
    answer = forms.CharField(max_length=MAX_TEXT, required=False)
    holds = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], required=False)


class QueueForm(forms.Form):
    status = forms.CharField(max_length=12, required=False)
    rating = forms.CharField(max_length=12, required=False)
    area = forms.CharField(max_length=32, required=False)
    mine = forms.BooleanField(required=False)
    page = forms.IntegerField(min_value=1, required=False)
    person = forms.IntegerField(min_value=1, required=False)

"""The public's forms: a report, a follow-up with the code, and the MASH's reason to see who
reported. Forms only tidy; the rules are the services'."""

from __future__ import annotations

from django import forms

from safeguard.casework.intake import MAX_LINE, MAX_TEXT
from safeguard.hub.concerns.services import CONCERNS, Report


def _line() -> forms.CharField:
    return forms.CharField(max_length=MAX_LINE * 2, required=False)


def _text() -> forms.CharField:
    return forms.CharField(max_length=MAX_TEXT * 2, required=False)


class ReportForm(forms.Form):
    what = _text()
    concerns = forms.MultipleChoiceField(choices=[(c, c) for c in CONCERNS], required=False)
    child_name = _line()
    child_age = _line()
    child_description = _text()
    where = _text()
    when = _text()
    others = _text()
    tell = forms.ChoiceField(choices=[("no", "no"), ("yes", "yes")], required=False)
    reporter_name = _line()
    relationship = forms.CharField(max_length=4, required=False)
    phone = forms.CharField(max_length=MAX_LINE, required=False)
    email = forms.CharField(max_length=MAX_LINE, required=False)
    may_contact = forms.ChoiceField(choices=[("no", "no"), ("yes", "yes")], required=False)
    safe_contact = _line()
    # a field people never see: only automated senders fill it in
    website = forms.CharField(max_length=MAX_LINE, required=False)
    form_token = forms.CharField(max_length=64, required=False)

    def report(self) -> Report:
        d = self.cleaned_data
        telling = d.get("tell") == "yes"
        return Report(
            what=d.get("what", ""),
            concerns=tuple(d.get("concerns") or ()),
            child_name=d.get("child_name", ""),
            child_age=d.get("child_age", ""),
            child_description=d.get("child_description", ""),
            where=d.get("where", ""),
            when=d.get("when", ""),
            others=d.get("others", ""),
            reporter_name=d.get("reporter_name", "") if telling else "",
            relationship=d.get("relationship", "") if telling else "",
            phone=d.get("phone", "") if telling else "",
            email=d.get("email", "") if telling else "",
            may_contact=telling and d.get("may_contact") == "yes",
            safe_contact=d.get("safe_contact", "") if telling else "",
        )


class FollowUpForm(forms.Form):
    code = forms.CharField(max_length=40, required=False)
    text = forms.CharField(max_length=MAX_TEXT * 2, required=False)


class WhyForm(forms.Form):
    why = forms.CharField(max_length=MAX_TEXT, required=False)

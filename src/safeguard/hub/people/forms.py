"""The people pages' forms. They only read and tidy what was sent; the rules (a reason is
required, a pair must be linked, ...) are the services', so the web, the API and the command
line refuse the same things the same way, and every refusal is audited."""

from __future__ import annotations

from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, strip=True)
    # searching for a person a MASH contact names, to say who they are
    contact = forms.RegexField(regex=r"^MASH-\d{4}-\d{6}$", required=False)
    subject = forms.IntegerField(required=False, min_value=1)


class ChronologyForm(forms.Form):
    """Which agencies' records, and which kinds, the chronology shows (all when none)."""

    agency = forms.MultipleChoiceField(required=False)
    kind = forms.MultipleChoiceField(required=False)

    def __init__(self, data: object, agencies: list[str], kinds: list[str]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["agency"].choices = [(a, a) for a in agencies]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [(k, k) for k in kinds]  # type: ignore[attr-defined]

    def chosen(self) -> tuple[list[str], list[str]]:
        data = self.cleaned_data if self.is_valid() else {}
        return list(data.get("agency") or []), list(data.get("kind") or [])


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, strip=True)


class DecideForm(ReasonForm):
    left = forms.CharField(max_length=200, strip=True)
    right = forms.CharField(max_length=200, strip=True)
    same = forms.ChoiceField(choices=[("yes", "Same person"), ("no", "Different people")])


class SplitForm(ReasonForm):
    record = forms.MultipleChoiceField(required=False)

    def __init__(self, data: object, records: list[str]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["record"].choices = [(r, r) for r in records]  # type: ignore[attr-defined]


class PairForm(forms.Form):
    left = forms.CharField(max_length=200, strip=True)
    right = forms.CharField(max_length=200, strip=True)

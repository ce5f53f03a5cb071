"""The MASH front door's KPIs: contacts, the share becoming referrals, decisions within 1
working day, and re-referrals within 12 months. Months are those the contact was received in;
a contact's council area is its own `council_area`."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from safeguard.casework import contact as casework
from safeguard.hub.governance.kpis.grouping import MonthsBefore, Window, by_area, month_of
from safeguard.hub.governance.kpis.table import Tally
from safeguard.hub.mash.clocks import vocabulary
from safeguard.hub.mash.models import Contact


def referral_outcomes() -> list[str]:
    """The outcomes that make a decided contact a referral to children's social care: those
    that give the child's case to a team (the MASH vocabulary's `allocate`)."""
    return sorted(code for code, o in vocabulary().outcomes.items() if o.allocate)


def _with_outcomes(rows: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts with their outcomes as JSON text, so "became a referral" is a text match that
    reads the same on SQLite and PostgreSQL (a quoted code cannot match part of another)."""
    return rows.annotate(outcome_text=Cast("outcomes", output_field=TextField()))


def _referral() -> Q:
    codes = referral_outcomes()
    found = [Q(outcome_text__contains=f'"{code}"') for code in codes]
    return Q(status=casework.DECIDED) & reduce(or_, found, Q(pk__in=[]))


def _received(window: Window) -> QuerySet[Contact]:
    return Contact.objects.filter(received_at__gte=window.start, received_at__lt=window.end)


def contacts(window: Window) -> list[Tally]:
    return by_area(_received(window), month_of("received_at"), "council_area", Count("pk"))


def contacts_to_referral(window: Window) -> list[Tally]:
    rows = _with_outcomes(_received(window)).filter(status=casework.DECIDED)
    return by_area(
        rows, month_of("received_at"), "council_area", Count("pk", filter=_referral()), Count("pk")
    )


def decided_in_time(window: Window) -> list[Tally]:
    """Decided by `decision_due` (set from the one clock, `referral_decision`, when the
    contact arrived); a contact past its due time and still open counts, as late."""
    ended = Q(status=casework.DECIDED) | Q(decision_due__lt=window.end)
    on_time = Q(status=casework.DECIDED, decided_at__lte=F("decision_due"))
    rows = _received(window).filter(ended)
    return by_area(
        rows, month_of("received_at"), "council_area", Count("pk", filter=on_time), Count("pk")
    )


def re_referrals(window: Window) -> list[Tally]:
    """Referrals about a child with another referral received within the vocabulary's
    `re_referral_months` before (any time before the window too)."""
    months = vocabulary().re_referral_months
    earlier = _with_outcomes(Contact.objects.all()).filter(
        _referral(),
        person_id=OuterRef("person_id"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=MonthsBefore(OuterRef("received_at"), months),
    )
    rows = _with_outcomes(_received(window)).filter(_referral()).annotate(again=Exists(earlier))
    again = Q(again=True, person__isnull=False)
    return by_area(
        rows, month_of("received_at"), "council_area", Count("pk", filter=again), Count("pk")
    )

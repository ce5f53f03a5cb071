"""Run in the served hub's store (`python -m tests.browser.home_setup`): make the test's home
staff work at a home with a child living there now, and the test's SPOC its police single
point of contact, as an administrator would; print the home and the child as JSON. When the
small partnership has nobody placed in a home now, the council's latest delivery gains a
current placement there (as the next delivery would bring)."""

from __future__ import annotations

import json

import django

django.setup()

from safeguard.hub.accounts.models import User  # noqa: E402
from safeguard.hub.deliveries.models import SourceRecord  # noqa: E402
from safeguard.hub.homes.models import ChildrensHome  # noqa: E402
from safeguard.hub.homes.queries import residents  # noqa: E402
from safeguard.hub.people.models import PersonRecord  # noqa: E402


def main() -> None:
    homes = list(ChildrensHome.objects.order_by("name"))
    found = residents(homes)
    home = next((h for h in homes if found.get(h.pk)), homes[0])
    if not found.get(home.pk):
        record = PersonRecord.objects.filter(agency__endswith="-cs").order_by("person_id").first()
        assert record is not None, "no council people records"
        like = SourceRecord.objects.filter(agency__code=record.agency, is_current=True).first()
        assert like is not None
        SourceRecord.objects.create(
            agency=like.agency,
            kind="placements",
            record_id="TEST-PL-1",
            version=1,
            is_current=True,
            delivery=like.delivery,
            row_number=1,
            subject_id=record.record_id,
            occurred_at="2026-01-01",
            row_hash="test",
            issues=None,
            data={
                "record_id": "TEST-PL-1",
                "person_id": record.record_id,
                "care_home_id": home.home_id,
                "start_date": "2026-01-01",
            },
        )
        found = residents([home])
    home.staff.add(User.objects.get(username="carer"))
    home.police_spoc = User.objects.get(username="spoc")
    home.save()
    print(json.dumps([home.home_id, found[home.pk][0][0]]))


main()

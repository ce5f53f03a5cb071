"""Keep the children's homes table in step with the homes' deliveries (a reaction to "delivery
loaded"): every current `care_homes` record names a home. New homes are added and changed
details updated; what administrators set (Ofsted reference, open, SPOC) is left alone, and no
home is removed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.hub import reactions
from safeguard.hub.deliveries.models import SourceRecord
from safeguard.hub.homes.models import ChildrensHome


@dataclass(frozen=True)
class Refreshed:
    added: int
    updated: int
    unchanged: int


def _delivered(row: Mapping[str, Any]) -> dict[str, Any]:
    data = row["data"] or {}
    found = {f: str(data.get(f) or "") for f in ChildrensHome.DELIVERED}
    found["agency_id"] = row["agency_id"]
    return found


@reactions.on(reactions.Stage.DELIVERY_LOADED, "childrens_homes")
def follow_deliveries(caller: Caller) -> dict[str, int]:
    """The reaction: the homes table in step with the deliveries (added, updated, unchanged)."""
    done = refresh()
    return {"added": done.added, "updated": done.updated, "unchanged": done.unchanged}


def refresh() -> Refreshed:
    """Bring the table in step with the current `care_homes` records, in one transaction."""
    # records cite a home by its id alone; should two agencies deliver one id, the same one
    # (the agency registered last) wins on every run
    current = SourceRecord.objects.filter(kind="care_homes", is_current=True).order_by(
        "agency_id", "record_id"
    )
    delivered = {
        r["record_id"]: _delivered(r) for r in current.values("record_id", "agency_id", "data")
    }
    with transaction.atomic():
        known = ChildrensHome.objects.select_for_update().in_bulk(
            list(delivered), field_name="home_id"
        )
        new = [ChildrensHome(home_id=k, **v) for k, v in delivered.items() if k not in known]
        changed, now = [], timezone.now()
        for home_id, values in delivered.items():
            home = known.get(home_id)
            if home is not None and any(getattr(home, f) != v for f, v in values.items()):
                for field, value in values.items():
                    setattr(home, field, value)
                home.updated_at = now
                changed.append(home)
        ChildrensHome.objects.bulk_create(new, batch_size=500)
        ChildrensHome.objects.bulk_update(
            changed, [*ChildrensHome.DELIVERED, "agency_id", "updated_at"], batch_size=500
        )
    return Refreshed(len(new), len(changed), len(delivered) - len(new) - len(changed))

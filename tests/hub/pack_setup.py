"""A meeting pack for the route matrix (`tests/hub/test_routes.py`), stored as the pack
service would store one but with a stand-in PDF (making a real one takes seconds; that is
`test_governance_pack.py`'s)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone

from safeguard.hub.governance.models import MeetingPack

PDF = b"%PDF-1.7\n% a stand-in for the route matrix\n%%EOF\n"


def mini_pack(m: dict[str, Any]) -> int:
    """The pack's id (made once per test: kept in `m`)."""
    if "pack" not in m:
        today = timezone.localdate()
        m["pack"] = MeetingPack.objects.create(
            meeting_on=today,
            next_meeting_on=today,
            figures_to=today,
            made_by="matrix-strategic",
            made_at=timezone.now(),
            sha256=hashlib.sha256(PDF).hexdigest(),
            size=len(PDF),
            pdf=PDF,
        ).pk
    return int(m["pack"])

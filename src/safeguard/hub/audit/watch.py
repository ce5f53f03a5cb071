"""The audit trail's daily anchor, written by the clocks' watch (`safeguard watch`, every
minute beside the pages): the first check of each day (UTC) chains what is waiting and writes
a signed anchor of the chain's head outside the database, as the installation, on channel
`job`. With no anchor key configured it writes nothing and says so."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from safeguard.access.caller import Caller
from safeguard.hub import reactions
from safeguard.hub.audit import anchors, services

log = logging.getLogger(__name__)


@reactions.on(reactions.Stage.CLOCKS_CHECKED, "audit_anchor")
def daily_anchor(caller: Caller) -> dict[str, Any]:
    """Anchor the audit chain once a day; what was written."""
    now = timezone.now()
    try:
        if anchors.configured_key() is None:
            return {"anchored": 0, "why": "no anchor key configured"}
        if anchors.written_on(anchors.folder(), now.date()):
            return {"anchored": 0}
        written = services.anchor(caller, now)
    except (anchors.NoKey, OSError) as e:
        log.warning("the audit trail was not anchored: %s", e)
        return {"anchored": 0, "why": str(e)}
    return {"anchored": 1, "seq": written.seq, "file": written.name}

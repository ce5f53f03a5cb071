"""The Ofsted register's import: judgements of councils read from a CSV in Ofsted's published
layout (`safeguard.governance.ofsted`), each row accepted or refused with its line and reason;
a judgement held already (the same council, date and framework) is counted, not added again.
All or nothing: a file with a refused row adds nothing unless `partial` is asked for."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from safeguard.access.caller import Caller, Invalid
from safeguard.access.events import OfstedImported
from safeguard.access.policy import Action
from safeguard.governance import ofsted
from safeguard.hub.audit import services as audit
from safeguard.hub.governance.models import OfstedJudgement
from safeguard.hub.governance.services.steps import recording


@dataclass
class Imported:
    """What a file held and what became of it: read = added + already + refused."""

    read: int = 0
    added: int = 0
    already: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def import_judgements(caller: Caller, text: str, name: str, partial: bool = False) -> Imported:
    """Add the judgements in `text` (a CSV called `name`) to the register."""
    with recording(caller, Action.KEEP_OFSTED, "import Ofsted judgements", name) as allowed:
        reading = ofsted.read(text, timezone.localdate())
        if reading.problem:
            raise Invalid({"file": reading.problem})
        done = Imported(read=reading.total, refused=list(reading.refused))
        if done.refused and not partial:
            raise Invalid({f"line {n}": why for n, why in done.refused})
        now = timezone.now()
        for row in reading.rows:
            _, made = OfstedJudgement.objects.get_or_create(
                council=row.council,
                judged_on=row.on,
                framework=row.framework,
                defaults={
                    "judgement": row.judgement,
                    "published_on": row.published_on,
                    "source": f"imported from {name}"[:300],
                    "recorded_by": caller.actor.username,
                    "recorded_at": now,
                },
            )
            if made:
                done.added += 1
            else:
                done.already += 1
        event = OfstedImported(name[:200], done.added, done.already, len(done.refused))
        audit.write(caller.actor, event, allowed, caller.channel)
        return done
    raise AssertionError("unreachable")  # pragma: no cover

"""Work done outside a request: after a link decision, people are resolved again by a job
(django-tasks, kept in the hub's database) that the person page reports on. `safeguard serve`
runs a worker beside the pages; `safeguard jobs run` runs what is waiting."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def relink(username: str) -> dict[str, Any]:
    """Resolve the last run's pairs again under every current decision, on behalf of the user
    who decided (audited as a job of theirs)."""
    from safeguard.access.caller import Caller
    from safeguard.access.events import Channel
    from safeguard.hub.accounts.queries import actor_named
    from safeguard.hub.people import services

    actor = actor_named(username)
    if actor is None:
        raise LookupError(f"no active account {username!r} to resolve people for")
    done = services.relink(Caller(actor, Channel.JOB))
    result = done.result
    return {
        "run": done.run.pk,
        "people": result.summary.people,
        "changed": result.summary.events,
        "events": [
            f"{e.kind}: {', '.join(e.records)} now P{e.person} (was P{e.other}): {e.reason}"
            for e in result.assignment.events[:SHOWN]
        ],
        "refusals": [str(r) for r in result.refusals[:SHOWN]],
    }


#: Changes and refused links a job reports (all are in the linkage run's record).
SHOWN = 50

"""The MASH's services, one function per action (see each module): contacts arriving
(`intake`), working them (`work`), agencies' checks (`checks`), the audited readings
(`reads`) and the watch on the clocks (`sweep`). Views, the API and the command line call
these and nothing else; every transaction of the app is opened here."""

from safeguard.hub.mash.services.checks import answer, withdraw
from safeguard.hub.mash.services.intake import (
    delivered,
    follow_people,
    land,
    receive,
    take_delivered,
)
from safeguard.hub.mash.services.reads import (
    checks,
    contact,
    load,
    mine,
    one_check,
    queue,
    raised,
)
from safeguard.hub.mash.services.sweep import sweep
from safeguard.hub.mash.services.work import (
    ask,
    decide,
    link,
    note,
    rate,
    reopen,
    route,
    take_back,
)

__all__ = [
    "answer",
    "ask",
    "checks",
    "contact",
    "decide",
    "delivered",
    "follow_people",
    "land",
    "link",
    "load",
    "mine",
    "note",
    "one_check",
    "queue",
    "raised",
    "rate",
    "receive",
    "reopen",
    "route",
    "sweep",
    "take_back",
    "take_delivered",
    "withdraw",
]

"""The hub's records in the Standard Safeguarding Dataset's layout (`safeguard.governance.ssd`),
so a partnership can compare itself with other councils' returns: contacts, the referrals
among them, and missing episodes with their return home interviews. Record by record, with
the hub's person ids and no names, for analysts only; every export audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeguard.access.caller import Caller
from safeguard.access.events import Refused, SsdExported
from safeguard.access.policy import Action, act
from safeguard.governance import ssd
from safeguard.hub.audit import services as audit
from safeguard.hub.governance.queries import ssd as rows
from safeguard.hub.mash.clocks import vocabulary
from safeguard.hub.web.csv import Writer
from safeguard.settings import get_settings


def mapping() -> ssd.Mapping:
    """The configured mapping, checked against the MASH vocabulary's outcomes."""
    return ssd.load(get_settings().ssd_mapping, vocabulary().outcomes)


def export(caller: Caller, folder: Path, since: dt.date | None = None) -> dict[str, int]:
    """Write `ssd_contacts.csv`, `ssd_cin_episodes.csv` and `ssd_missing.csv` into `folder`
    (records from `since`, or all); the rows written per table. Each file is written beside
    its name and renamed when complete, so a file that is there is whole."""
    attempted = Refused("export the SSD", str(since or ""))
    allowed = audit.check(caller, act(caller.actor, Action.EXPORT_SSD), attempted)
    found = mapping()
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "ssd_contacts": rows.contacts(found, since),
        "ssd_cin_episodes": rows.referrals(found, since),
        "ssd_missing": rows.missing(since),
    }
    written: dict[str, int] = {}
    for name, table in tables.items():
        part = folder / f"{name}.csv.part"
        with part.open("w", newline="", encoding="utf-8") as out:
            writer = Writer(out)
            writer.writerow(ssd.TABLES[name])
            count = 0
            for row in table:
                writer.writerow(row)
                count += 1
        part.replace(folder / f"{name}.csv")
        written[name] = count
    rows_line = ", ".join(f"{k}={v}" for k, v in written.items())
    audit.seen(caller, SsdExported(since.isoformat() if since else "", rows_line), allowed)
    return written

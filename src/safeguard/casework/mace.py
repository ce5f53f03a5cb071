"""The MACE meeting (multi-agency child exploitation): who attends and who records, an action's
small state machine, the meeting's configuration, and what is wrong with what is sent. Pure.

A MACE meeting discusses children at risk, the adults and networks around them, and places of
concern (DOMAIN.md section 9). For each agenda item it records the discussion and the
decision, and actions each with a named owner, an agency and a due date. An action is open
until it is done or cancelled, each with the reason: the owner marks it done; those who record
for the meeting may also mark it done (reported at the next meeting) or cancel it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from safeguard.access.roles import MASH, Role
from safeguard.workflow.machine import Machine, Transition

#: Who attends and may read the meetings, their agendas, actions and the disruption figures.
ATTENDEES = MASH | {
    Role.POLICE_OFFICER,
    Role.POLICE_SPOC,
    Role.SOCIAL_WORKER,
    Role.HEALTH_LEAD,
    Role.ANALYST,
    Role.STRATEGIC_LEAD,
}
#: Who records for the meeting: schedules it, builds and adds to its agenda, records decisions,
#: sets actions and records disruption.
RECORDERS = frozenset({Role.MASH_MANAGER, Role.POLICE_OFFICER, Role.SOCIAL_WORKER})

OPEN, DONE, CANCELLED = "open", "done", "cancelled"
STATE_LABELS = {OPEN: "Open", DONE: "Done", CANCELLED: "Cancelled"}

MACHINE = Machine(
    name="MACE action",
    states=(OPEN, DONE, CANCELLED),
    initial=OPEN,
    transitions=(
        Transition(OPEN, "complete", DONE, ATTENDEES, "Mark it done"),
        Transition(OPEN, "cancel", CANCELLED, RECORDERS, "Cancel it"),
    ),
)

#: What an agenda item is about.
CHILD, FINDING, PLACE = "child", "finding", "place"
KIND_LABELS = {CHILD: "Children", FINDING: "Networks and adults", PLACE: "Places of concern"}
#: Why it is on the agenda.
SCREENING, REFERRAL, NETWORK, HAND = "screening", "referral", "finding", "hand"

DEFAULT = "mace.toml"


class RulesError(ValueError):
    """A MACE configuration that cannot be used; the message names each problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Disruption(_Strict):
    label: str = Field(min_length=1)
    needs: Literal["whom", "place", "either"]


class Rules(_Strict):
    """The meeting's local practice (`data/mace.toml`)."""

    name: str
    version: str
    lookback_days: int = Field(gt=0, le=366)
    agencies: dict[str, str] = Field(min_length=1)
    disruptions: dict[str, Disruption] = Field(min_length=1)
    source: str = ""


def load(path: Path | None = None) -> Rules:
    """The rules at `path`, or the default shipped with Safeguard."""
    try:
        if path is None:
            text = resources.files("safeguard.casework").joinpath("data", DEFAULT)
            data: dict[str, Any] = tomllib.loads(text.read_text("utf-8"))
        else:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Rules.model_validate({**data, "source": str(path or DEFAULT)})
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RulesError(f"{path or DEFAULT}: {e}") from e
    except ValidationError as e:
        found = [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()]
        raise RulesError(f"{path or DEFAULT}: " + "; ".join(found)) from e


def meeting_problems(
    held_on: dt.date | None,
    areas: list[str],
    known_areas: set[str],
    chair_ok: bool,
    attendees: list[str],
    rules: Rules,
) -> dict[str, str]:
    """What is wrong with a meeting, field by field (none: it may be scheduled)."""
    wrong: dict[str, str] = {}
    if held_on is None:
        wrong["held_on"] = "Give the date of the meeting, like 2026-12-14"
    if not areas or set(areas) - known_areas:
        wrong["areas"] = "Choose the council areas the meeting covers"
    if not chair_ok:
        wrong["chair"] = "Choose who chairs the meeting (someone who attends MACE meetings)"
    if not attendees or set(attendees) - set(rules.agencies):
        wrong["attendees"] = "Choose the agencies that attend"
    return wrong


def decision_problems(summary: str, decision: str) -> dict[str, str]:
    wrong = {}
    if not summary.strip():
        wrong["summary"] = "Say what the meeting discussed"
    if not decision.strip():
        wrong["decision"] = "Say what the meeting decided"
    return wrong


def action_problems(
    what: str, owner_ok: bool, agency: str, due_on: dt.date | None, held_on: dt.date, rules: Rules
) -> dict[str, str]:
    """An action needs words, a named owner who attends MACE meetings, their agency and a due
    date no earlier than the meeting."""
    wrong = {}
    if not what.strip():
        wrong["what"] = "Say what is to be done"
    if not owner_ok:
        wrong["owner"] = "Choose who owns the action (someone who attends MACE meetings)"
    if agency not in rules.agencies:
        wrong["agency"] = "Choose the agency that will do it"
    if due_on is None:
        wrong["due_on"] = "Give the date it is due, like 2026-12-21"
    elif due_on < held_on:
        wrong["due_on"] = "It cannot be due before the meeting"
    return wrong


def disruption_problems(
    kind: str,
    on: dt.date | None,
    today: dt.date,
    whom: bool,
    place: bool,
    agency: str,
    rules: Rules,
) -> dict[str, str]:
    """A disruption needs its type, a date not in the future, the agency, and whom it was
    against or where (as its type needs)."""
    wrong = {}
    found = rules.disruptions.get(kind)
    if found is None:
        wrong["kind"] = "Choose the type of disruption"
    if on is None:
        wrong["on"] = "Give the date, like 2026-12-14"
    elif on > today:
        wrong["on"] = "It cannot be in the future"
    if agency not in rules.agencies:
        wrong["agency"] = "Choose the agency that did it"
    needs = found.needs if found else "either"
    if needs == "whom" and not whom:
        wrong["against"] = "Say whom it was against: their Safeguard number or a description"
    elif needs == "place" and not place:
        wrong["place"] = "Say where: the premises' name and address"
    elif needs == "either" and not (whom or place):
        wrong["against"] = "Say whom it was against, or where"
    return wrong


def overdue(due_on: dt.date, state: str, today: dt.date) -> bool:
    """An open action past the end of its due day."""
    return state == OPEN and due_on < today

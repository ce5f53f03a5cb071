"""Who the policy is about: roles, the groups of roles it reasons with, the actor (a user as
the policy sees them) and a decision with its reason. Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MASH_PRACTITIONER = "mash_practitioner"
    MASH_MANAGER = "mash_manager"
    SOCIAL_WORKER = "social_worker"
    POLICE_OFFICER = "police_officer"
    POLICE_SPOC = "police_spoc"  # single point of contact for children's homes
    HEALTH_LEAD = "health_lead"
    SCHOOL_DSL = "school_dsl"  # designated safeguarding lead
    ANALYST = "analyst"
    STRATEGIC_LEAD = "strategic_lead"
    AGENCY_LEAD = "agency_lead"  # an agency's safeguarding lead: its review and actions
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    DATA_OPERATOR = "data_operator"  # takes deliveries, runs linkage and analysis
    HOME_STAFF = "home_staff"  # a children's home's manager or staff: their residents
    RHI_WORKER = "rhi_worker"  # the commissioned provider's return home interviewer


ROLE_LABELS = {
    Role.MASH_PRACTITIONER: "MASH practitioner",
    Role.MASH_MANAGER: "MASH manager",
    Role.SOCIAL_WORKER: "Social worker",
    Role.POLICE_OFFICER: "Police officer",
    Role.POLICE_SPOC: "Police single point of contact for children's homes",
    Role.HEALTH_LEAD: "Health safeguarding lead",
    Role.SCHOOL_DSL: "School designated safeguarding lead",
    Role.ANALYST: "Analyst",
    Role.STRATEGIC_LEAD: "Strategic lead",
    Role.AGENCY_LEAD: "Agency safeguarding lead",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
    Role.DATA_OPERATOR: "Data operator",
    Role.HOME_STAFF: "Children's home manager or staff",
    Role.RHI_WORKER: "Return home interview worker (commissioned provider)",
}

MASH = frozenset({Role.MASH_PRACTITIONER, Role.MASH_MANAGER})
#: Roles that work across the partnership: any person, without break-glass.
PARTNERSHIP_WIDE = MASH | {Role.ANALYST}
#: Roles that work inside their own agency: people their agency holds records of.
AGENCY_BOUND = frozenset(
    {Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.POLICE_SPOC, Role.HEALTH_LEAD, Role.SCHOOL_DSL}
)
CASEWORK = PARTNERSHIP_WIDE | AGENCY_BOUND
SEXUAL_HEALTH_READERS = MASH | {Role.HEALTH_LEAD}
INTELLIGENCE_READERS = MASH | {Role.ANALYST, Role.POLICE_OFFICER, Role.POLICE_SPOC}


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the policy sees them."""

    username: str
    agency: str
    roles: frozenset[Role]
    verified: bool  # signed in with the password and the one-time code (or on the server)
    installation: bool = False
    """The hub's own server account, on the command line with no user named: it may keep
    accounts (setting up the first administrator, unlocking the last) and nothing else."""
    team: int | None = None
    """The user's team (its id), for work routed to a team: a MASH team's contacts."""

    @classmethod
    def of_installation(cls, login: str) -> Actor:
        """The command line run on the hub's server by operating-system user `login`."""
        return cls(f"installation:{login}", "", frozenset(), True, installation=True)

    @classmethod
    def of(
        cls,
        username: str,
        agency: str,
        roles: Iterable[str],
        verified: bool,
        team: int | None = None,
    ) -> Actor:
        known = {r.value for r in Role}
        held = frozenset(Role(r) for r in roles if r in known)
        return cls(username, agency, held, verified, team=team)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    basis: str = ""
    break_glass: bool = False

    def __bool__(self) -> bool:
        return self.allowed


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def names(roles: Iterable[Role]) -> str:
    """Role codes in order, for reasons."""
    return ", ".join(sorted(r.value for r in roles))

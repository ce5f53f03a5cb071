"""Who may open which page, see which person, and read which record: pure functions over an
`Actor` (the signed-in user) and a target, each returning a `Decision` with its reason.

Rules, in order (anything not allowed here is denied):

- **Routes.** Every URL name has exactly one rule in `ROUTES`; a route without one is denied
  (and a test built from the URL configuration fails). Public routes are the sign-in steps,
  health and the API's description; API calls authenticate by token in the endpoint; every
  other route needs a user signed in with both factors and one of the roles `ALLOWED` gives
  its action.
- **People (need to know).** Roles that work across the partnership (MASH, analysts) may open
  any person. Roles that work inside one agency (social worker, police, health, school) may
  open a person their own agency holds a record of. Anyone else with a casework role may use
  **break-glass**: a stated reason opens the person, and the view is flagged for review.
- **Records.** Sexual-health details only to roles with a health or MASH need; intelligence
  only to police, MASH and analysts. Others see that such a record exists, not what it says.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from safeguard.access.roles import (
    AGENCY_BOUND,
    CASEWORK,
    INTELLIGENCE_READERS,
    MASH,
    PARTNERSHIP_WIDE,
    ROLE_LABELS,
    SEXUAL_HEALTH_READERS,
    Actor,
    Decision,
    Role,
    deny,
    names,
)
from safeguard.casework import check, contact, episode, finding, mace, review, rhi, strategy
from safeguard.workflow.machine import Machine

__all__ = [
    "AGENCY_BOUND",
    "CASEWORK",
    "INTELLIGENCE_READERS",
    "MASH",
    "PARTNERSHIP_WIDE",
    "ROLE_LABELS",
    "SEXUAL_HEALTH_READERS",
    "Action",
    "Actor",
    "Decision",
    "Role",
]


class Action(StrEnum):
    PUBLIC = "public"  # the sign-in steps, health
    SIGNED_IN = "signed_in"  # the user's own work, signing out
    SEARCH_PEOPLE = "search_people"
    VIEW_PERSON = "view_person"
    DECIDE_LINK = "decide_link"
    VIEW_FINDINGS = "view_findings"
    DISPOSE_FINDING = "dispose_finding"
    CONFIRM_SCREENING = "confirm_screening"
    RECORD_INDICATOR = "record_indicator"
    VIEW_AUDIT = "view_audit"
    VERIFY_AUDIT = "verify_audit"  # check the audit trail's chain and anchors; anchor it
    ADMINISTER = "administer"
    RUN_STAGE = "run_stage"  # take deliveries, link people, record an analysis
    BACK_UP = "back_up"  # a backup of the whole hub: database, deliveries, linkage, outputs
    RESTORE = "restore"  # put a backup in place of the hub's store
    VIEW_QUARANTINE = "view_quarantine"
    RAISE_CONTACT = "raise_contact"  # any professional: a concern about a child, to the MASH
    VIEW_CONTACTS = "view_contacts"  # the MASH queue, or a team's routed contacts
    WORK_CONTACT = "work_contact"  # rate, route, ask agencies, decide (the contact's table)
    VIEW_CHECKS = "view_checks"  # an agency's checks to answer
    WORK_CHECK = "work_check"  # answer or withdraw a check (the check's table)
    MANAGE_MASH = "manage_mash"  # load and breaches
    VIEW_REPORTER = "view_reporter"  # who reported a public concern
    VIEW_EPISODES = "view_episodes"  # missing episodes: the queue, an episode, a child's pattern
    REPORT_EPISODE = "report_episode"  # report a child missing, absent or away
    WORK_EPISODE = "work_episode"  # grade, record the return, cancel (the episode's table)
    VIEW_INTERVIEWS = "view_interviews"  # the provider's return home interviews to do
    WORK_INTERVIEW = "work_interview"  # offer, record, close one (the interview's table)
    WORK_STRATEGY = "work_strategy"  # hold or stand down a strategy discussion (its table)
    KEEP_PHILOMENA = "keep_philomena"  # keep a looked-after child's Philomena Protocol form
    VIEW_HOMES = "view_homes"  # the children's homes register and the SPOC coverage report
    VIEW_HOME = "view_home"  # one home's page: the register's readers, its SPOC, its staff
    SPOC_WORK = "spoc_work"  # a police SPOC's page and their visits to their homes
    NOTIFY_REG40 = "notify_reg40"  # a home's regulation 40 notifications
    VIEW_MISSING_FIGURES = "view_missing_figures"  # episodes and interviews by area and month
    VIEW_MACE = "view_mace"  # MACE meetings, their agendas and actions; disruption counts
    WORK_MACE = "work_mace"  # schedule a meeting, its agenda, decisions, actions, disruption
    WORK_MACE_ACTION = "work_mace_action"  # mark a MACE action done, or cancel it (its table)
    VIEW_REVIEW = "view_review"  # the review, its assessments and actions, the Ofsted register
    ASSESS = "assess"  # an agency lead's self-assessment (the assessment's table)
    REVIEW_ASSESSMENT = "review_assessment"  # challenge or sign off an assessment (its table)
    SET_REVIEW_ACTION = "set_review_action"  # an action on a recommendation
    WORK_REVIEW_ACTION = "work_review_action"  # start, complete, cancel one (its table)
    KEEP_OFSTED = "keep_ofsted"  # import Ofsted's judgements of councils into the register
    VIEW_DATA_SET = "view_data_set"  # the partnership's data set (KPIs), its CSVs, meeting packs
    MAKE_PACK = "make_pack"  # the strategic group's meeting pack (PDF)
    EXPORT_SSD = "export_ssd"  # the hub's records in the Standard Safeguarding Dataset's layout
    SUBJECT_ACCESS = "subject_access"  # everything held about one person, for their request
    APPLY_RETENTION = "apply_retention"  # remove what is past the retention schedule
    API = "api"  # token-authenticated by the endpoint, then decided per call here


#: The workflows whose transition tables say who may take each of their actions.
MACHINES: dict[Action, Machine] = {
    Action.DISPOSE_FINDING: finding.MACHINE,
    Action.WORK_CONTACT: contact.MACHINE,
    Action.WORK_CHECK: check.MACHINE,
    Action.WORK_EPISODE: episode.MACHINE,
    Action.WORK_INTERVIEW: rhi.MACHINE,
    Action.WORK_STRATEGY: strategy.MACHINE,
    Action.WORK_MACE_ACTION: mace.MACHINE,
    Action.WORK_REVIEW_ACTION: review.ACTION,
}
#: Who works missing episodes: the MASH, social workers, the police, children's homes' staff.
MISSING_WORKERS = MASH | {
    Role.SOCIAL_WORKER,
    Role.POLICE_OFFICER,
    Role.POLICE_SPOC,
    Role.HOME_STAFF,
}

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.SEARCH_PEOPLE: CASEWORK,
    Action.VIEW_PERSON: CASEWORK,
    Action.DECIDE_LINK: PARTNERSHIP_WIDE,
    Action.VIEW_FINDINGS: INTELLIGENCE_READERS,
    Action.CONFIRM_SCREENING: MASH | {Role.SOCIAL_WORKER},
    Action.RECORD_INDICATOR: CASEWORK,
    Action.VIEW_AUDIT: frozenset({Role.AUDITOR}),
    Action.VERIFY_AUDIT: frozenset({Role.AUDITOR, Role.DATA_OPERATOR}),
    Action.ADMINISTER: frozenset({Role.ADMINISTRATOR}),
    Action.RUN_STAGE: frozenset({Role.DATA_OPERATOR}),
    Action.BACK_UP: frozenset({Role.DATA_OPERATOR}),
    Action.RESTORE: frozenset({Role.DATA_OPERATOR}),
    Action.VIEW_QUARANTINE: frozenset({Role.DATA_OPERATOR}),
    Action.RAISE_CONTACT: CASEWORK | {Role.HOME_STAFF},
    Action.VIEW_CONTACTS: MASH | {Role.SOCIAL_WORKER},
    Action.VIEW_CHECKS: AGENCY_BOUND,
    Action.MANAGE_MASH: frozenset({Role.MASH_MANAGER}),
    Action.VIEW_REPORTER: MASH,
    Action.VIEW_EPISODES: MISSING_WORKERS,
    Action.REPORT_EPISODE: MISSING_WORKERS,
    Action.VIEW_INTERVIEWS: frozenset({Role.RHI_WORKER}),
    Action.KEEP_PHILOMENA: frozenset({Role.HOME_STAFF, Role.SOCIAL_WORKER}),
    Action.VIEW_HOMES: MASH
    | {Role.POLICE_OFFICER, Role.POLICE_SPOC, Role.SOCIAL_WORKER, Role.STRATEGIC_LEAD},
    Action.VIEW_HOME: MASH
    | {
        Role.POLICE_OFFICER,
        Role.POLICE_SPOC,
        Role.SOCIAL_WORKER,
        Role.STRATEGIC_LEAD,
        Role.HOME_STAFF,
    },
    Action.SPOC_WORK: frozenset({Role.POLICE_SPOC}),
    Action.NOTIFY_REG40: frozenset({Role.HOME_STAFF}),
    Action.VIEW_MISSING_FIGURES: frozenset({Role.STRATEGIC_LEAD, Role.MASH_MANAGER}),
    Action.VIEW_MACE: mace.ATTENDEES,
    Action.WORK_MACE: mace.RECORDERS,
    Action.VIEW_REVIEW: review.READERS,
    Action.ASSESS: review.ASSESSMENT.roles("submit"),
    Action.REVIEW_ASSESSMENT: review.ASSESSMENT.roles("sign_off"),
    Action.SET_REVIEW_ACTION: review.ACTION_KEEPERS,
    Action.KEEP_OFSTED: review.REVIEWERS,
    Action.VIEW_DATA_SET: review.READERS | {Role.ANALYST},
    Action.MAKE_PACK: review.REVIEWERS,
    # record by record (the hub's person ids, no names): the analysts who compare returns
    Action.EXPORT_SSD: frozenset({Role.ANALYST}),
    # information governance: auditors answer subject access requests (they hold no casework
    # role, and every export is flagged for another auditor's review); retention runs as the
    # data operator's scheduled job, as ingest does
    Action.SUBJECT_ACCESS: frozenset({Role.AUDITOR}),
    Action.APPLY_RETENTION: frozenset({Role.DATA_OPERATOR}),
    **{action: machine.roles() for action, machine in MACHINES.items()},
}

#: Every URL name and the action it performs. Django admin's routes are one rule (`admin:`).
ROUTES: dict[str, Action] = {
    "healthz": Action.PUBLIC,
    "login": Action.PUBLIC,
    "verify": Action.PUBLIC,
    "enrol": Action.PUBLIC,  # after the password, for an account an administrator opened to it
    "logout": Action.PUBLIC,  # a half-signed-in session (password, no code) must end too
    "home": Action.SIGNED_IN,
    "people:search": Action.SEARCH_PEOPLE,
    "people:detail": Action.VIEW_PERSON,
    "people:break_glass": Action.SEARCH_PEOPLE,
    "people:decide": Action.DECIDE_LINK,
    "people:split": Action.DECIDE_LINK,
    "people:explain": Action.VIEW_PERSON,
    "audit:events": Action.VIEW_AUDIT,
    "intelligence:screenings": Action.CONFIRM_SCREENING,
    "intelligence:screening": Action.VIEW_PERSON,
    "intelligence:confirm": Action.CONFIRM_SCREENING,
    "intelligence:record": Action.RECORD_INDICATOR,
    "intelligence:findings": Action.VIEW_FINDINGS,
    "intelligence:finding": Action.VIEW_FINDINGS,
    "intelligence:dispose": Action.VIEW_FINDINGS,
    "mash:queue": Action.VIEW_CONTACTS,
    "mash:new": Action.RAISE_CONTACT,
    "mash:mine": Action.RAISE_CONTACT,
    "mash:contact": Action.VIEW_CONTACTS,
    "mash:rate": Action.WORK_CONTACT,
    "mash:route": Action.WORK_CONTACT,
    "mash:ask": Action.WORK_CONTACT,
    "mash:decide": Action.WORK_CONTACT,
    "mash:reopen": Action.WORK_CONTACT,
    "mash:note": Action.VIEW_CONTACTS,
    "mash:link": Action.WORK_CONTACT,
    "mash:withdraw": Action.WORK_CONTACT,
    "mash:checks": Action.VIEW_CHECKS,
    "mash:check": Action.VIEW_CHECKS,
    "mash:manager": Action.MANAGE_MASH,
    "concerns:report": Action.PUBLIC,
    "concerns:follow_up": Action.PUBLIC,
    "concerns:reporter": Action.VIEW_REPORTER,
    "missing:queue": Action.VIEW_EPISODES,
    "missing:report": Action.REPORT_EPISODE,
    "missing:episode": Action.VIEW_EPISODES,
    "missing:grade": Action.WORK_EPISODE,
    "missing:find": Action.WORK_EPISODE,
    "missing:cancel": Action.WORK_EPISODE,
    "missing:part_two": Action.KEEP_PHILOMENA,
    "missing:handover": Action.KEEP_PHILOMENA,
    "missing:pack": Action.VIEW_EPISODES,
    "missing:pattern": Action.VIEW_EPISODES,
    "missing:part_one": Action.KEEP_PHILOMENA,
    "missing:interviews": Action.VIEW_INTERVIEWS,
    "missing:interview": Action.VIEW_INTERVIEWS,
    "missing:tasks": Action.VIEW_EPISODES,
    "missing:task": Action.VIEW_EPISODES,
    "missing:figures": Action.VIEW_MISSING_FIGURES,
    "missing:figures_csv": Action.VIEW_MISSING_FIGURES,
    "homes:register": Action.VIEW_HOMES,
    "homes:coverage": Action.VIEW_HOMES,
    "homes:spoc": Action.SPOC_WORK,
    "homes:home": Action.VIEW_HOME,
    "homes:visit": Action.SPOC_WORK,
    "homes:notify": Action.NOTIFY_REG40,
    "mace:meetings": Action.VIEW_MACE,
    "mace:new": Action.WORK_MACE,
    "mace:meeting": Action.VIEW_MACE,
    "mace:edit": Action.WORK_MACE,
    "mace:build": Action.WORK_MACE,
    "mace:add": Action.WORK_MACE,
    "mace:item": Action.VIEW_MACE,
    "mace:decide": Action.WORK_MACE,
    "mace:set_action": Action.WORK_MACE,
    "mace:actions": Action.VIEW_MACE,
    "mace:action": Action.WORK_MACE_ACTION,
    "mace:disruption": Action.VIEW_MACE,
    "mace:disruption_csv": Action.VIEW_MACE,
    "mace:record_disruption": Action.WORK_MACE,
    "governance:overview": Action.VIEW_REVIEW,
    "governance:recommendation": Action.VIEW_REVIEW,
    "governance:assess": Action.ASSESS,
    "governance:review": Action.REVIEW_ASSESSMENT,
    "governance:set_action": Action.SET_REVIEW_ACTION,
    "governance:actions": Action.VIEW_REVIEW,
    "governance:action": Action.VIEW_REVIEW,
    "governance:ofsted": Action.VIEW_REVIEW,
    "governance:ofsted_csv": Action.VIEW_REVIEW,
    "governance:data_set": Action.VIEW_DATA_SET,
    "governance:data_set_csv": Action.VIEW_DATA_SET,
    "governance:kpi": Action.VIEW_DATA_SET,
    "governance:kpi_csv": Action.VIEW_DATA_SET,
    "governance:packs": Action.VIEW_DATA_SET,
    "governance:make_pack": Action.MAKE_PACK,
    "governance:pack": Action.VIEW_DATA_SET,
    "alerts:list": Action.SIGNED_IN,
    "alerts:read": Action.SIGNED_IN,
    "admin:": Action.ADMINISTER,
    "api:openapi-json": Action.PUBLIC,
    "api:openapi-view": Action.PUBLIC,
    "api:api-root": Action.API,
    "api:people_search": Action.API,
    "api:person": Action.API,
    "api:contact_create": Action.API,
    "api:contact_status": Action.API,
}

#: The lawful basis recorded with every view of a person (DOMAIN.md section 3).
SAFEGUARDING_BASIS = (
    "UK GDPR Art 6(1)(e) public task; Art 9(2)(g) with DPA 2018 Sch 1 para 18 "
    "(safeguarding of children and of individuals at risk)"
)

#: Health events whose details are sexual health: only for a health or MASH need.
SEXUAL_HEALTH_CODES = frozenset(
    {
        "sti_test",
        "sti_diagnosis",
        "emergency_contraception",
        "pregnancy_test",
        "pregnancy",
        "termination",
        "sexual_assault",
    }
)
#: ... and so are all events at these settings, whatever their code.
SEXUAL_HEALTH_SETTINGS = frozenset({"sexual_health_clinic", "sexual_assault_referral_centre"})

#: The shortest break-glass reason accepted: a few words, not a keystroke.
MIN_REASON = 15
_KEEP = frozenset({"view", "add", "change", "delete"})
#: What administrators keep through Django admin: each model ("app.model") and what they may
#: do with it. Accounts and teams, agencies, children's homes; sign-in lockouts to clear, and
#: the sign-in logs to read. Never deliveries' records, people, links, audit, API tokens or
#: authenticators (their secrets): those change only through their own commands and pages.
ADMINISTERED: dict[str, frozenset[str]] = {
    "accounts.user": _KEEP,
    "accounts.team": _KEEP,
    "deliveries.agency": frozenset({"view", "add", "change"}),
    "homes.childrenshome": _KEEP,
    "homes.professional": _KEEP,
    "axes.accessattempt": frozenset({"view", "delete"}),
    "axes.accessfailurelog": frozenset({"view"}),
    "axes.accesslog": frozenset({"view"}),
}
#: Separation of duties: whoever administers accounts holds no role that reads children's
#: records or audits those who do, so no one can grant themselves a child's record.
SEPARATE_FROM_ADMINISTRATION = CASEWORK | {Role.AUDITOR}


def rule_for(route: str) -> Action | None:
    """The action a URL name performs, or None when it has no rule."""
    if route.startswith("admin:"):
        return ROUTES["admin:"]
    return ROUTES.get(route)


def route(actor: Actor | None, name: str) -> Decision:
    """May `actor` (None: not signed in) open the route called `name`?"""
    action = rule_for(name)
    if action is None:
        return deny(f"no access rule for route {name!r}")
    if action is Action.PUBLIC:
        return Decision(True, "public route")
    if action is Action.API:  # no session: the endpoint checks the token, then asks per call
        return Decision(True, "API route: token checked by the endpoint")
    if actor is None:
        return deny("sign in first")
    if not actor.verified:
        return deny("enter your one-time code first")
    return act(actor, action)


def act(actor: Actor, action: Action) -> Decision:
    """May `actor` perform `action` at all (before any need-to-know check)?"""
    if not actor.verified:
        return deny("enter your one-time code first")
    if action is Action.SIGNED_IN:  # their own page, even before any role is given
        return Decision(True, "signed in with both factors")
    allowed = ALLOWED.get(action, frozenset())
    if actor.roles & allowed:
        return Decision(True, f"role {names(actor.roles & allowed)} may {action.value}")
    return deny(f"your roles ({names(actor.roles) or 'none'}) may not {action.value}")


def person(actor: Actor, holders: Iterable[str], glass: bool = False) -> Decision:
    """May `actor` open a person whose records are held by the agencies `holders`?
    `glass`: the actor has a live break-glass grant for this person."""
    allowed = act(actor, Action.VIEW_PERSON)
    if not allowed:
        return allowed
    if actor.roles & PARTNERSHIP_WIDE:
        return Decision(
            True, f"{names(actor.roles & PARTNERSHIP_WIDE)}: partnership-wide", SAFEGUARDING_BASIS
        )
    if actor.agency in set(holders):
        return Decision(
            True, f"your agency ({actor.agency}) holds records of this person", SAFEGUARDING_BASIS
        )
    if glass:
        return _glass()
    return deny(
        f"your agency ({actor.agency}) holds no record of this person: no need to know. "
        "If a child is at risk now, use break-glass and give your reason"
    )


def on_person(
    actor: Actor, action: Action, holders: Iterable[str], glass: bool = False
) -> Decision:
    """May `actor` perform `action` on a person whose records the agencies `holders` hold: the
    action is theirs to take, and they have need to know of the person."""
    allowed = act(actor, action)
    if not allowed:
        return allowed
    return person(actor, holders, glass)


def step(actor: Actor, action: Action, state: str, move: str, reason: str = "") -> Decision:
    """May `actor` take the workflow step `move` from `state` (the transition table of the
    workflow behind `action`, e.g. a finding's disposition), giving `reason`?"""
    allowed = act(actor, action)
    if not allowed:
        return allowed
    return MACHINES[action].step(state, move, actor.roles, reason).decision


def on_contact(actor: Actor, routed_team: int | None) -> Decision:
    """May `actor` open a contact: what was reported, who it names, and the MASH's work on it?
    MASH roles may open any; a social worker, contacts routed to their team (an open case)."""
    allowed = act(actor, Action.VIEW_CONTACTS)
    if not allowed:
        return allowed
    if actor.roles & MASH:
        return Decision(True, f"{names(actor.roles & MASH)}: the front door", SAFEGUARDING_BASIS)
    if routed_team is not None and actor.team == routed_team:
        return Decision(True, "routed to your team (an open case)", SAFEGUARDING_BASIS)
    return deny("this contact is not routed to your team")


def check_for(actor: Actor, agency: str) -> Decision:
    """May `actor` read and answer a check asked of `agency`? Its own workers only."""
    allowed = act(actor, Action.VIEW_CHECKS)
    if not allowed:
        return allowed
    if actor.agency != agency:
        return deny(f"this check is for {agency}; you work for {actor.agency or 'no agency'}")
    return Decision(True, f"a check asked of your agency ({agency})", SAFEGUARDING_BASIS)


def break_glass(actor: Actor, reason: str) -> Decision:
    """May `actor` break the glass to open a person outside their need to know?"""
    allowed = act(actor, Action.VIEW_PERSON)
    if not allowed:
        return allowed
    if len(reason.strip()) < MIN_REASON:
        return deny(f"say why, in at least {MIN_REASON} characters")
    return _glass()


def _glass() -> Decision:
    return Decision(
        True, "break-glass: reason stated, flagged for review", SAFEGUARDING_BASIS, True
    )


def record(actor: Actor, kind: str, code: str = "", setting: str = "") -> Decision:
    """May `actor` read the details of one record (its kind, and for health events its code
    and setting)? A refusal still lets the page say such a record exists."""
    sexual_health = code in SEXUAL_HEALTH_CODES or setting in SEXUAL_HEALTH_SETTINGS
    if kind == "health_events" and sexual_health:
        if actor.roles & SEXUAL_HEALTH_READERS:
            return Decision(True, "sexual health: health or MASH need")
        return deny("sexual health details: health and MASH roles only")
    if kind == "intelligence":
        if actor.roles & INTELLIGENCE_READERS:
            return Decision(True, "intelligence: police, MASH or analyst")
        return deny("intelligence: police, MASH and analysts only")
    return Decision(True, "casework record")


def intelligence(actor: Actor) -> Decision:
    """May `actor` see what is drawn from intelligence: network findings, and screening
    indicators resting on intelligence reports?"""
    return record(actor, "intelligence")


def administer(actor: Actor, model: str, what: str = "view") -> Decision:
    """May `actor` do `what` (view, add, change, delete) to `model` ("app.model") through the
    admin site? A bare app label asks whether any of its models is kept there."""
    allowed = act(actor, Action.ADMINISTER)
    if not allowed:
        return allowed
    if "." not in model:
        if any(m.partition(".")[0] == model for m in ADMINISTERED):
            return Decision(True, f"administrator: {model} holds reference data or accounts")
        return deny(f"{model} is not kept through the admin site")
    if what in ADMINISTERED.get(model, frozenset()):
        return Decision(True, f"administrator: may {what} {model}")
    return deny(f"{model}: administrators may not {what} it")


def keep_accounts(actor: Actor) -> Decision:
    """May `actor` add accounts, reset authenticators, unlock and make API tokens? An
    administrator may; so may the installation (the server's own command line, where the first
    administrator is made and the last one unlocked), every change flagged for review."""
    if actor.installation:
        return Decision(True, "the hub's server, on its command line: account keeping")
    return act(actor, Action.ADMINISTER)


def restore(actor: Actor, in_use: bool) -> Decision:
    """May `actor` put a backup in place of the hub's store? A data operator may (a store in
    use is replaced only when they say so). Into an empty store - no accounts yet, a rebuilt
    server - the installation may, as it makes the first administrator; the restored audit
    trail names it, flagged for review."""
    if actor.installation and not in_use:
        return Decision(True, "the hub's server, on its command line: restore into an empty store")
    return act(actor, Action.RESTORE)


def verify_audit(actor: Actor) -> Decision:
    """May `actor` check the audit trail's chain and anchors, or write an anchor? Auditors and
    data operators may (it shows no event's content); so may the installation (the server's
    own command line and its clocks' watch, which anchors the trail daily)."""
    if actor.installation:
        return Decision(True, "the hub's server, on its command line: the audit chain")
    return act(actor, Action.VERIFY_AUDIT)


def roles_problem(roles: Iterable[str]) -> str:
    """What is wrong with giving someone these roles ("" if nothing): a role the policy does
    not know, or roles that may not be held together."""
    values = list(roles)
    known = {r.value for r in Role}
    wrong = [r for r in values if r not in known]
    if wrong:
        return f"unknown role {', '.join(map(repr, wrong))}; roles are: {', '.join(sorted(known))}"
    return conflicting_roles(values)


def conflicting_roles(roles: Iterable[str]) -> str:
    """Why these roles may not be held together ("" if they may): an administrator holds no
    casework or audit role (`SEPARATE_FROM_ADMINISTRATION`)."""
    held = {Role(r) for r in roles if r in Role.__members__.values()}
    if Role.ADMINISTRATOR in held and held & SEPARATE_FROM_ADMINISTRATION:
        return (
            "an administrator may not also hold "
            f"{names(held & SEPARATE_FROM_ADMINISTRATION)} (separation of duties)"
        )
    return ""

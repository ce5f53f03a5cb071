"""The access policy on its own: default deny, need to know, break-glass, restricted records."""

import pytest

from safeguard.access import policy
from safeguard.access.policy import Action, Actor, Role


def actor(*roles: Role, agency: str = "cheshire-police", verified: bool = True) -> Actor:
    return Actor("someone", agency, frozenset(roles), verified)


def test_a_route_without_a_rule_is_refused_to_everyone() -> None:
    admin = actor(*Role)
    decision = policy.route(admin, "people:new-thing")
    assert not decision and "no access rule" in decision.reason


def test_public_routes_need_nobody_and_the_rest_need_both_factors() -> None:
    assert policy.route(None, "login")
    assert policy.route(None, "healthz")
    assert not policy.route(None, "home")
    half = actor(Role.MASH_PRACTITIONER, verified=False)
    refused = policy.route(half, "home")
    assert not refused and "one-time code" in refused.reason
    assert policy.route(actor(Role.MASH_PRACTITIONER), "home")


def test_a_user_with_no_roles_may_do_nothing_but_see_their_own_page() -> None:
    nobody = actor()
    assert policy.route(nobody, "home")
    for action in Action:
        if action not in (Action.PUBLIC, Action.SIGNED_IN):
            assert not policy.act(nobody, action), action


@pytest.mark.parametrize(
    ("role", "route", "allowed"),
    [
        (Role.AUDITOR, "audit:events", True),
        (Role.AUDITOR, "people:search", False),
        (Role.STRATEGIC_LEAD, "people:detail", False),
        (Role.ADMINISTRATOR, "admin:index", True),
        (Role.ADMINISTRATOR, "people:search", False),
        (Role.SCHOOL_DSL, "people:decide", False),
        (Role.MASH_PRACTITIONER, "people:decide", True),
        (Role.MASH_MANAGER, "admin:auth_group_changelist", False),
    ],
)
def test_roles_open_only_their_routes(role: Role, route: str, allowed: bool) -> None:
    assert bool(policy.route(actor(role), route)) is allowed


def test_need_to_know_by_agency_unless_partnership_wide() -> None:
    health_only = {"cheshire-nhs"}
    police = actor(Role.POLICE_OFFICER)
    refused = policy.person(police, health_only)
    assert not refused and "no need to know" in refused.reason
    assert policy.person(police, {"cheshire-nhs", "cheshire-police"})
    mash = actor(Role.MASH_PRACTITIONER, agency="cheshire-east-cs")
    allowed = policy.person(mash, health_only)
    assert allowed and allowed.basis == policy.SAFEGUARDING_BASIS and not allowed.break_glass


def test_break_glass_needs_a_reason_and_is_flagged() -> None:
    school = actor(Role.SCHOOL_DSL, agency="cheshire-schools")
    assert not policy.break_glass(school, "urgent")  # too short to be a reason
    granted = policy.break_glass(school, "Pupil disclosed tonight; checking who else knows her")
    assert granted and granted.break_glass
    opened = policy.person(school, {"cheshire-police"}, glass=True)
    assert opened and opened.break_glass
    assert not policy.break_glass(actor(Role.AUDITOR), "I would like to look at this child")


def test_sexual_health_and_intelligence_details_are_restricted() -> None:
    police, health = actor(Role.POLICE_OFFICER), actor(Role.HEALTH_LEAD, agency="cheshire-nhs")
    assert not policy.record(police, "health_events", "sti_test")
    assert policy.record(police, "health_events", "injury")
    assert policy.record(health, "health_events", "sti_test")
    assert not policy.record(health, "intelligence")
    assert policy.record(police, "intelligence")
    assert policy.record(actor(Role.MASH_MANAGER), "health_events", "pregnancy_test")
    # any event at a sexual health clinic is sexual health, whatever its code
    assert not policy.record(police, "health_events", "injury", "sexual_health_clinic")


def test_unknown_role_names_grant_nothing() -> None:
    someone = Actor.of("x", "cheshire-police", ["superuser", "police_officer"], True)
    assert someone.roles == frozenset({Role.POLICE_OFFICER})


def test_administrators_keep_reference_data_and_accounts_but_never_casework() -> None:
    admin = actor(Role.ADMINISTRATOR)
    for app in ("accounts", "homes", "deliveries", "axes"):
        assert policy.administer(admin, app), app
    for app in ("audit", "people", "intelligence", "auth", "sessions", "otp_totp"):
        refused = policy.administer(admin, app)
        assert not refused and "not kept through the admin" in refused.reason, app
    assert policy.administer(admin, "homes.childrenshome", "change")
    assert policy.administer(admin, "deliveries.agency", "change")
    for model, what in (
        ("deliveries.sourcerecord", "view"),  # a child's record, in an app that is kept
        ("deliveries.agency", "delete"),
        ("accounts.apitoken", "view"),
        ("otp_totp.totpdevice", "view"),  # authenticator secrets
        ("axes.accesslog", "delete"),  # sign-in logs are evidence
    ):
        assert not policy.administer(admin, model, what), (model, what)
    assert policy.administer(admin, "axes.accessattempt", "delete")  # clearing a lockout
    assert not policy.administer(actor(Role.ADMINISTRATOR, verified=False), "homes")
    everyone_else = actor(*(r for r in Role if r is not Role.ADMINISTRATOR))
    assert not policy.administer(everyone_else, "homes")


def test_an_administrator_holds_no_casework_or_audit_role() -> None:
    assert policy.conflicting_roles(["administrator"]) == ""
    assert policy.conflicting_roles(["mash_practitioner", "analyst"]) == ""
    for other in ("mash_practitioner", "police_officer", "auditor"):
        why = policy.conflicting_roles(["administrator", other])
        assert other in why and "separation of duties" in why

"""Reference data kept by administrators: teams within agencies, and children's homes, which
follow the homes' deliveries while keeping what administrators set (Ofsted reference, open,
police single point of contact)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from safeguard.hub.accounts.models import Team, User
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.deliveries.models import Agency, Delivery, SourceRecord
from safeguard.hub.homes.models import ChildrensHome
from safeguard.hub.homes.services import refresh
from tests.hub.conftest import loaded_delivery

pytestmark = pytest.mark.django_db


def _homes_delivery(code: str = "childrens-homes") -> tuple[Agency, Delivery]:
    agency, _ = Agency.objects.get_or_create(code=code, defaults={"name": "Children's homes"})
    return agency, loaded_delivery(agency)


def _home(
    agency: Agency, delivery: Delivery, home_id: str, version: int = 1, **data: str
) -> SourceRecord:
    SourceRecord.objects.filter(agency=agency, kind="care_homes", record_id=home_id).update(
        is_current=False
    )
    return SourceRecord.objects.create(
        agency=agency,
        kind="care_homes",
        record_id=home_id,
        version=version,
        is_current=True,
        delivery=delivery,
        row_number=1,
        row_hash=f"{home_id}-{version}",
        data={"record_id": home_id, **data},
    )


def test_homes_follow_their_delivery_and_keep_what_administrators_set(
    make_user: Callable[..., User],
) -> None:
    agency, first = _homes_delivery()
    _home(agency, first, "H1", name="Oak House", postcode="CW1 2AB", council_area="cheshire_east")
    _home(agency, first, "H2", name="Elm Lodge", town="Runcorn", council_area="halton")
    assert refresh().added == 2

    spoc = make_user("spoc", "police_spoc")
    oak = ChildrensHome.objects.get(home_id="H1")
    assert (oak.name, oak.postcode, oak.agency_id) == ("Oak House", "CW1 2AB", agency.pk)
    oak.ofsted_urn, oak.police_spoc, oak.open = "SC123456", spoc, False
    oak.full_clean()
    oak.save()

    _, second = _homes_delivery()
    _home(
        agency, second, "H1", 2, name="Oak House", postcode="CW1 2AD", council_area="cheshire_east"
    )
    counts = refresh()
    assert (counts.added, counts.updated, counts.unchanged) == (0, 1, 1)
    oak.refresh_from_db()
    assert oak.postcode == "CW1 2AD"  # the delivery's correction
    assert (oak.ofsted_urn, oak.police_spoc, oak.open) == ("SC123456", spoc, False)
    assert refresh().unchanged == 2  # running again changes nothing


def test_a_home_refuses_a_spoc_without_the_role_and_a_malformed_ofsted_reference(
    make_user: Callable[..., User],
) -> None:
    home = ChildrensHome(home_id="H9", name="Birch House", ofsted_urn="123456")
    home.police_spoc = make_user("officer", "police_officer")
    with pytest.raises(ValidationError) as refused:
        home.full_clean()
    assert set(refused.value.message_dict) == {"police_spoc", "ofsted_urn"}


def test_a_users_team_must_be_one_of_their_agencys() -> None:
    police = Team.named("cheshire-police", "Child Exploitation Unit")
    assert Team.named("cheshire-police", "Child Exploitation Unit") == police  # found, not made
    assert Agency.objects.filter(code="cheshire-police").exists()
    user = User(username="nurse", agency="cheshire-nhs", roles=["health_lead"], team=police)
    with pytest.raises(ValidationError) as refused:
        user.clean()
    assert "team" in refused.value.message_dict
    user.team = Team.named("cheshire-nhs", "Safeguarding Children")
    user.clean()
    user.roles = ["health_lead", "superuser"]
    with pytest.raises(ValidationError, match="superuser"):
        user.clean()


def test_administrators_keep_teams_and_homes_in_the_admin(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    agency, delivery = _homes_delivery()
    _home(agency, delivery, "H1", name="Oak House", council_area="cheshire_east")
    refresh()
    make_user("spoc", "police_spoc")
    make_user("officer", "police_officer")
    admin = sign_in(make_user("admin", "administrator"))
    for page in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/team/",
        "/admin/homes/childrenshome/?spoc=no",
        "/admin/axes/accessattempt/",
    ):
        response = admin.get(page)
        assert response.status_code == 200, page
    # authenticators (their secrets) are not kept in the admin
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 403
    assert b"Oak House" in admin.get("/admin/homes/childrenshome/?spoc=no").content
    assert b"Oak House" not in admin.get("/admin/homes/childrenshome/?spoc=yes").content

    home = ChildrensHome.objects.get(home_id="H1")
    form = admin.get(f"/admin/homes/childrenshome/{home.pk}/change/")
    page = form.content.decode()
    assert 'name="name"' not in page  # the delivery's details are read-only
    spoc_choices = form.context["adminform"].form.fields["police_spoc"].queryset
    assert [u.username for u in spoc_choices] == ["spoc"]

    made = admin.post(
        "/admin/accounts/team/add/", {"agency": "childrens-homes", "name": "Residential"}
    )
    assert made.status_code == 302, made.content[:400]
    assert Team.objects.filter(agency_id="childrens-homes", name="Residential").exists()


def test_other_roles_are_refused_the_admin(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    client: Any = sign_in(make_user("mash", "mash_practitioner"))
    assert client.get("/admin/homes/childrenshome/").status_code == 403


def test_a_police_spoc_sees_their_open_homes_on_their_page(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    spoc = make_user("spoc", "police_spoc")
    spoc.team = Team.named("cheshire-police", "Missing from Home")
    spoc.save()
    ChildrensHome.objects.create(home_id="H1", name="Oak House", police_spoc=spoc)
    ChildrensHome.objects.create(home_id="H2", name="Elm Lodge", police_spoc=spoc, open=False)
    ChildrensHome.objects.create(home_id="H3", name="Ash Court")
    page = sign_in(spoc).get("/").content.decode()
    assert "Missing from Home" in page
    assert "Oak House" in page
    assert "Elm Lodge" not in page and "Ash Court" not in page


def test_changes_through_the_admin_are_in_the_audit_trail(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    home = ChildrensHome.objects.create(home_id="H1", name="Oak House")
    spoc = make_user("spoc", "police_spoc")
    admin = sign_in(make_user("admin", "administrator"))
    before = AuditEvent.objects.filter(action="administered").count()
    admin.get(f"/admin/homes/childrenshome/{home.pk}/change/")  # looking changes nothing
    saved = admin.post(
        f"/admin/homes/childrenshome/{home.pk}/change/",
        {"home_id": "H1", "name": "Oak House", "police_spoc": spoc.pk, "open": "on"},
    )
    assert saved.status_code == 302, saved.content[:600]
    admin.post(
        "/admin/accounts/user/",
        {"action": "reset_authenticator", "_selected_action": [spoc.pk]},
    )
    events = list(AuditEvent.objects.filter(action="administered").order_by("pk")[before:])
    assert [e.username for e in events] == ["admin", "admin"]
    assert events[0].target.startswith("homes.ChildrensHome") and "Oak House" in events[0].target
    assert "single point of contact" in events[0].target.lower()
    assert (
        events[1].target.startswith("accounts.User") and "authenticator reset" in events[1].target
    )


def test_an_administrator_may_not_grant_themselves_access_nor_hold_casework_roles(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    me = make_user("admin", "administrator")
    admin = sign_in(me)
    own = admin.get(f"/admin/accounts/user/{me.pk}/change/")
    assert own.status_code == 200
    assert {"roles", "agency", "is_active"} <= set(own.context["adminform"].readonly_fields)

    officer = make_user("officer", "police_officer")
    form = {
        "username": "officer",
        "agency": "cheshire-police",
        "roles": '["police_officer", "administrator"]',
        "is_active": "on",
        "last_login_0": "",
        "date_joined_0": "2026-11-01",
        "date_joined_1": "09:00:00",
    }
    refused = admin.post(f"/admin/accounts/user/{officer.pk}/change/", form)
    assert refused.status_code == 200
    assert "separation of duties" in refused.content.decode()
    officer.refresh_from_db()
    assert officer.roles == ["police_officer"] and not officer.is_staff


def test_account_changes_through_the_admin_are_flagged_and_an_own_password_change_audited(
    make_user: Callable[..., User], sign_in: Callable[[User], Client]
) -> None:
    officer = make_user("officer", "police_officer")
    me = make_user("admin", "administrator")
    admin = sign_in(me)
    admin.post(
        "/admin/accounts/user/", {"action": "reset_authenticator", "_selected_action": [officer.pk]}
    )
    new = "a completely different long passphrase"
    changed = admin.post(
        "/admin/password_change/",
        {
            "old_password": "correct horse battery staple",
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert changed.status_code == 302, changed.content[:500]
    events = AuditEvent.objects.filter(action="administered", username="admin")
    assert [(e.flagged, e.target.split(":")[0]) for e in events.order_by("pk")] == [
        (True, f"accounts.User {officer.pk} (officer)"),
        (True, "accounts.User"),
    ]
    assert admin.get("/admin/").status_code == 200  # still signed in after the change


@pytest.mark.django_db
def test_professionals_are_kept_checked_and_given_to_the_analysis() -> None:
    from safeguard.hub.homes.models import Professional
    from safeguard.hub.homes.queries import professionals_table

    bad = Professional(name="Gary Dean", role="contracted_driver", phone="12345", vehicle="XX")
    with pytest.raises(ValidationError) as wrong:
        bad.full_clean()
    assert set(wrong.value.message_dict) == {"phone", "vehicle"}
    Professional.objects.create(
        name=" Gary Dean ", role="contracted_driver", phone="07911 123456", vehicle="ab12 cde"
    )
    Professional.objects.create(name="Left Long Ago", role="youth_worker", active=False)
    table = professionals_table().to_pylist()
    assert table == [{"name": "Gary Dean", "phone": "+447911123456", "vehicle": "AB12CDE"}]

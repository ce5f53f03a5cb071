"""The hub's pages through Django's test client: signing in with both factors and lockout,
search scoped by need to know, the person's joined-up chronology with restricted details,
break-glass, and the audit trail that records every look."""

from __future__ import annotations

import json
import subprocess
import sys

from django.test import Client

from safeguard.hub import settings as hub_settings
from safeguard.hub.audit.models import AuditEvent
from tests.hub.conftest import PASSWORD, current_code


def test_password_alone_does_not_sign_in(make_user, mini_hub, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # else a wrong code makes the next wait a second
    user = make_user("pc-jones", "police_officer")
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    refused = client.get("/people/?q=smith")
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/verify/")
    wrong = client.post("/accounts/verify/", {"otp_token": "000000"})
    assert wrong.status_code == 200 and "wrong or has expired" in wrong.content.decode()
    assert AuditEvent.objects.filter(username="pc-jones", allowed=False).exists()
    right = client.post("/accounts/verify/?next=/people/", {"otp_token": current_code(user)})
    assert right.status_code == 302 and right["Location"] == "/people/"
    assert client.get("/people/?q=smith").status_code == 200


def test_repeated_failures_lock_the_account(make_user, settings) -> None:
    user = make_user("pc-lock", "police_officer")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong guess"})
    locked = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429 and "locked" in locked.content.decode()


def test_sessions_end_when_idle_and_cookies_are_guarded(settings, make_user, sign_in) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = sign_in(make_user("idle", "police_officer"))
    from django.contrib.sessions.models import Session

    key = client.cookies["sessionid"].value
    first = Session.objects.get(session_key=key).expire_date
    client.get("/")  # within the minute: the expiry stays
    assert Session.objects.get(session_key=key).expire_date == first
    session = client.session
    session["_seen"] = 0  # as if the last push was long ago
    session.save()
    pushed = Session.objects.get(session_key=key).expire_date
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > pushed
    assert settings.SESSION_COOKIE_HTTPONLY and settings.X_FRAME_OPTIONS == "DENY"
    # the hub's own hasher (the tests run a cheaper Argon2: tests/hashers.py)
    assert hub_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_security_headers_on_every_page(client, mini_hub) -> None:
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_search_is_fuzzy_and_scoped_by_need_to_know(make_user, sign_in, mini_hub) -> None:
    school = sign_in(make_user("dsl", "school_dsl", agency="cheshire-schools"))
    page = school.get("/people/?q=Katie Smith 04/07/2011").content.decode()
    assert "/people/1/" in page and "cheshire-schools, cheshire-police" not in page
    assert "cheshire-nhs, cheshire-police, cheshire-schools" in page  # one person, 3 agencies
    # a nickname and a day-month swap still find her
    swapped = school.get("/people/?q=Katherine Smith 2011-04-07").content.decode()
    assert "/people/1/" in swapped and "day and month swapped" in swapped
    health = school.get("/people/?q=john brown").content.decode()
    assert "/people/3/" in health and "Restricted" in health and "John" not in health
    by_nhs = school.get("/people/?q=943 476 5919").content.decode()
    assert "/people/1/" in by_nhs and "NHS number" in by_nhs
    bad = school.get("/people/?q=943 476 5918").content.decode()
    assert "modulus 11" in bad
    event = AuditEvent.objects.filter(username="dsl", action="searched").latest("id")
    assert event.target == "q=943 476 5918" and event.lawful_basis


def test_person_page_joins_agencies_and_restricts_sexual_health(
    make_user, sign_in, mini_hub
) -> None:
    police = sign_in(make_user("pc-smith", "police_officer"))
    page = police.get("/people/1/").content.decode()
    for agency in ("cheshire-police", "cheshire-nhs", "cheshire-schools"):
        assert agency in page
    assert "Missing episodes" in page and "adult male" in page  # police's own record
    assert "Attendance fallen sharply" in page  # the school's
    assert "Vague about how" in page  # an NHS injury: casework
    assert "Requested STI screen" not in page and "sexual health details" in page
    health = sign_in(make_user("nurse", "health_lead", agency="cheshire-nhs"))
    assert "Requested STI screen" in health.get("/people/1/").content.decode()
    only_school = police.get("/people/1/?kind=education_events", HTTP_HX_REQUEST="true")
    text = only_school.content.decode()
    assert "Attendance fallen sharply" in text and "adult male" not in text
    view = AuditEvent.objects.filter(username="pc-smith", person_id=1).first()
    assert view is not None and view.allowed and view.action == "viewed_person"


def test_no_need_to_know_then_break_glass_flagged_for_the_auditor(
    make_user, sign_in, mini_hub
) -> None:
    police = sign_in(make_user("pc-brown", "police_officer"))
    refused = police.get("/people/3/")  # NHS only
    assert refused.status_code == 403 and "no need to know" in refused.content.decode()
    short = police.post("/people/3/break-glass/", {"reason": "need"})
    assert short.status_code == 400
    opened = police.post(
        "/people/3/break-glass/", {"reason": "Found alone at 2am, says she is his carer"}
    )
    assert opened.status_code == 302
    page = police.get("/people/3/").content.decode()
    assert "Break-glass access" in page
    auditor = sign_in(make_user("auditor", "auditor", agency="cheshire-east-cs"))
    trail = auditor.get("/audit/?person=P3").content.decode()
    assert "pc-brown" in trail and "Found alone at 2am" in trail and "Flagged" in trail
    assert "Refused" in trail  # the first look, before the glass was broken
    flagged = auditor.get("/audit/?flagged=1").content.decode()
    assert "pc-brown" in flagged and "pc-smith" not in flagged


def test_serve_refuses_without_a_secret_outside_demo(cli, cli_env) -> None:
    env = {k: v for k, v in cli_env.items() if k not in ("SAFEGUARD_DEMO", "SAFEGUARD_SECRET_KEY")}
    refused = cli(env, "serve", "--port", "1")
    assert refused.returncode == 2 and "secret key" in refused.stderr


def test_users_code_only_in_demo_mode(cli, cli_env) -> None:
    env = {k: v for k, v in cli_env.items() if k != "SAFEGUARD_DEMO"}
    refused = cli(env, "users", "code", "anyone")
    assert refused.returncode == 2 and "demo mode only" in refused.stderr
    weak = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard",
            "users",
            "add",
            "x",
            "--agency",
            "a",
            "--role",
            "police_officer",
            "--password-stdin",
        ],
        input="password123\n",
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )
    assert weak.returncode == 2 and "password refused" in weak.stderr


def test_split_records_off_a_person_with_a_reason(make_user, sign_in, mini_hub) -> None:
    from safeguard.hub.people.models import LinkDecision

    mash = sign_in(make_user("mash", "mash_practitioner", agency="cheshire-east-cs"))
    page = mash.get("/people/1/").content.decode()
    assert "Split the chosen records off" in page
    refused = mash.post("/people/1/split/", {"record": ["cheshire-schools:SCH-1"], "reason": ""})
    assert "not recorded" in mash.get(refused["Location"]).content.decode()
    assert not LinkDecision.objects.exists()
    mash.post(
        "/people/1/split/",
        {"record": ["cheshire-schools:SCH-1"], "reason": "Different child, same school"},
    )
    made = LinkDecision.objects.filter(same=False, current=True)
    assert {(d.left, d.right) for d in made} == {
        ("cheshire-nhs:NHS-1", "cheshire-schools:SCH-1"),
        ("cheshire-police:POL-1", "cheshire-schools:SCH-1"),
    }
    assert "next linkage run" in mash.get("/people/1/").content.decode()  # none here yet
    event = AuditEvent.objects.get(action="person_split")
    assert event.why == "Different child, same school" and event.person_id == 1
    assert AuditEvent.objects.filter(action="refused", person_id=1).count() == 1  # no reason
    school = sign_in(make_user("dsl2", "school_dsl", agency="cheshire-schools"))
    assert school.post("/people/1/split/", {"record": ["x"], "reason": "y"}).status_code == 403


def test_flags_resting_on_restricted_records_are_withheld(make_user, sign_in, mini_hub) -> None:
    import datetime as dt

    from safeguard.hub.intelligence.models import AnalysisRun, Screening

    run = AnalysisRun.objects.create(
        started_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        as_of="2026-10-31",
        catalogue="test 1",
        summary={},
    )
    reasons = [
        {
            "code": "sexually_transmitted_infection",
            "level": "moderate",
            "records": ["cheshire-nhs:health_events:HE-1"],
            "details": [],
            "last_seen": None,
        },
        {
            "code": "exclusion_or_absence",
            "level": "moderate",
            "records": ["cheshire-schools:education_events:ED-1"],
            "details": [],
            "last_seen": None,
        },
    ]
    Screening.objects.create(
        run=run,
        person_id=1,
        assessed_on="2026-10-31",
        age=15,
        score=2,
        band_by_score="low",
        band="mild",
        at_risk=False,
        referral=False,
        disclosed=False,
        reasons=reasons,
        catalogue="test 1",
    )
    police = sign_in(make_user("pc-flags", "police_officer")).get("/people/1/").content.decode()
    assert "exclusion_or_absence" in police and "sexually_transmitted_infection" not in police
    assert "1 indicator not shown" in police
    nurse = sign_in(make_user("nurse-flags", "health_lead", agency="cheshire-nhs"))
    page = nurse.get("/people/1/").content.decode()
    assert "sexually_transmitted_infection" in page
    assert "Shown to police, MASH and analysts only" in page  # findings rest on intelligence


def test_a_half_signed_in_session_can_be_ended(make_user, mini_hub) -> None:
    user = make_user("half", "police_officer")
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    ended = client.post("/accounts/logout/")
    assert ended.status_code == 302 and ended["Location"] == "/accounts/login/"
    assert client.get("/accounts/verify/")["Location"].startswith("/accounts/login/")


def test_users_get_a_team_of_their_agency_and_the_demo_spoc_gets_the_homes(
    cli, cli_env, write_delivery
) -> None:
    added = cli(
        cli_env,
        "users",
        "add",
        "pc1",
        "--agency",
        "cheshire-police",
        "--role",
        "police_officer",
        "--team",
        "Child Exploitation Unit",
        "--json",
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["team"] == "Child Exploitation Unit"
    listing = cli(cli_env, "users", "list")
    assert "Child Exploitation Unit" in listing.stdout, listing.stdout

    homes = write_delivery(
        files={"care_homes.csv": "record_id,name\nH1,Oak House\nH2,Elm Lodge\n"},
        manifest={"agency": "childrens-homes", "agency_name": "Children's homes"},
    )
    operator = cli(cli_env, "users", "add", "op", "--agency", "x", "--role", "data_operator")
    assert operator.returncode == 0, operator.stderr
    taken = cli(cli_env, "--as", "op", "ingest", str(homes))
    assert taken.returncode == 0, taken.stderr
    demo_env = {**cli_env, "SAFEGUARD_DEMO": "true"}
    demo = cli(demo_env, "users", "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Missing from Home" in demo.stdout  # the demo SPOC's team
    # every home but the last gets the demo SPOC: the coverage report has a gap to show
    assert "police-spoc is now the police single point of contact for 1 home" in demo.stdout
    again = cli(demo_env, "users", "demo")  # homes that have a SPOC keep theirs; the gap stays
    assert "is now the police single point of contact" not in again.stdout

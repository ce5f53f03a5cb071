"""Sign-in and sessions against OWASP ASVS V2 and V3 (docs/security.md): no telling an unknown
account from a wrong password, lockout by account and by address, the second factor on every
channel, a code used once, `next` only to the hub's own pages, guarded cookies, a new session
key at sign-in, idle and absolute limits, and sessions that really end."""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access.caller import Refusal
from safeguard.access.roles import Role
from safeguard.hub.accounts import services as accounts
from safeguard.hub.accounts.models import ApiToken
from safeguard.hub.accounts.services import SIGNED_IN_AT
from safeguard.hub.audit.models import AuditEvent
from safeguard.hub.web.signin import own_path
from safeguard.settings import get_settings
from tests.callers import caller
from tests.hashers import QuickArgon2
from tests.hub.conftest import PASSWORD, current_code, password_step


class CountingHasher(QuickArgon2):
    """Argon2 that counts how often it is run (to hash or to check)."""

    runs = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.runs += 1
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.runs += 1
        return super().verify(password, encoded)


def _password(username: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def _problem(page: str) -> list[str]:
    """What a page says is wrong (its error messages, without markup)."""
    found = re.findall(r'class="govuk-error-[^"]*"[^>]*>(.*?)</', page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found]


def test_an_unknown_account_looks_like_a_wrong_password(make_user, settings) -> None:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("pc-known", "police_officer")
    asleep = make_user("pc-asleep", "police_officer")
    asleep.is_active = False
    asleep.save()
    answers = {}
    for name in ("pc-known", "pc-nobody", "pc-asleep"):
        before = CountingHasher.runs
        answer = _password(name, "not the password at all")
        answers[name] = (answer.status_code, _problem(answer.content.decode()))
        assert CountingHasher.runs - before == 1, name  # the same hashing work, known or not
    assert answers["pc-known"] == answers["pc-nobody"] == answers["pc-asleep"]
    assert answers["pc-known"][0] == 200 and "correct username and password" in str(answers)
    settings.AXES_FAILURE_LIMIT = 1  # an unknown account locks like a known one
    assert _password("pc-nobody", "still not it").status_code == 429


def test_an_address_guessing_at_many_accounts_is_refused(make_user, settings) -> None:
    settings.LOCKOUT_SOURCE_FAILURES = 2  # below the account limit (5): no account locks
    user = make_user("pc-target", "police_officer")
    for name in ("pc-a", "pc-b"):
        assert _password(name, "guess", "10.0.0.66").status_code == 200
    locked = _password(user.username, PASSWORD, "10.0.0.66")
    assert locked.status_code == 429 and "locked" in locked.content.decode()
    spoofed = Client(REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR="10.9.9.9").post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert spoofed.status_code == 429  # a header the client writes does not change the source
    elsewhere = _password(user.username, PASSWORD, "10.0.0.2")
    assert elsewhere.status_code == 302  # the account itself is not locked
    settings.LOCKOUT_SOURCE_MINUTES = 0  # the address's failures have aged out
    assert _password(user.username, PASSWORD, "10.0.0.66").status_code == 302


@pytest.fixture
def behind_proxies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The hub behind two reverse proxies (10.0.0.5, and 10.1.0.0/24's load balancers)."""
    monkeypatch.setenv("SAFEGUARD_TRUSTED_PROXIES", '["10.0.0.5", "10.1.0.0/24"]')
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_where_a_request_comes_from_behind_trusted_proxies(behind_proxies: None) -> None:
    from django.test import RequestFactory

    from safeguard.hub.web.client import address

    def source(remote: str, forwarded: str | None = None) -> str:
        headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
        return address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))

    assert source("10.0.0.5", "198.51.100.7") == "198.51.100.7"
    # through both proxies: the nearest address that is not a proxy; what the client wrote
    # further left (a forged address) is never reached
    assert source("10.0.0.5", "6.6.6.6, 198.51.100.7, 10.1.0.9") == "198.51.100.7"
    assert source("10.0.0.5", "2001:db8::7") == "2001:db8::7"
    # not from a proxy: the header is the client's own words, not believed
    assert source("203.0.113.9", "198.51.100.7") == "203.0.113.9"
    # from a proxy with no header, only proxies, or a mangled one: the proxy's own address
    assert source("10.0.0.5") == "10.0.0.5"
    assert source("10.0.0.5", "10.1.0.3") == "10.0.0.5"
    assert source("10.0.0.5", "198.51.100.7, not-an-address") == "10.0.0.5"


def test_the_source_lockout_behind_a_proxy_counts_each_client(
    make_user, settings, behind_proxies: None
) -> None:
    settings.LOCKOUT_SOURCE_FAILURES = 2
    user = make_user("pc-proxied", "police_officer")

    def through_proxy(client_address: str, username: str, password: str) -> Any:
        return Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=client_address).post(
            "/accounts/login/", {"username": username, "password": password}
        )

    for name in ("pc-a", "pc-b"):
        assert through_proxy("198.51.100.66", name, "guess").status_code == 200
    assert through_proxy("198.51.100.66", user.username, PASSWORD).status_code == 429
    # another client behind the same proxy is not shut out by the first one's guesses
    assert through_proxy("198.51.100.2", user.username, PASSWORD).status_code == 302


def test_the_second_factor_guards_every_channel(make_user, mini_hub) -> None:
    admin = make_user("admin-half", "administrator", agency="hub")
    client = password_step(admin)
    for page in ("/", "/people/?q=smith", "/admin/", "/admin/accounts/user/"):
        answer = client.get(page)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/verify/")
    assert client.get("/api/people?q=smith").status_code == 401  # the API takes no session
    signed = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert signed.status_code == 302 and signed["Location"].startswith("/accounts/verify/")


def test_api_tokens_are_only_for_system_accounts(make_user, mini_hub) -> None:
    """A token has no second factor: a person's account may not hold one, and one it holds
    (made before the rule) acts as nobody; a system account's works and cannot sign in."""
    admin = caller(Role.ADMINISTRATOR, username="admin")
    person = make_user("pc-person", "police_officer")
    with pytest.raises(Refusal, match="a person's account"):
        accounts.make_token(admin, person.username, "my scripts")
    assert not ApiToken.objects.filter(user=person).exists()
    ApiToken.objects.create(user=person, name="old", digest=accounts.digest("held-before"))
    old = Client().get("/api/people?q=smith", headers={"Authorization": "Bearer held-before"})
    assert old.status_code == 401

    police = ["police_officer"]
    added = accounts.add_user(admin, "police-system", "cheshire-police", police, system=True)
    assert added.password is None and added.otpauth is None
    token = accounts.make_token(admin, "police-system", "case system")
    good = Client().get("/api/people?q=smith", headers={"Authorization": f"Bearer {token}"})
    assert good.status_code == 200
    tried = Client().post("/accounts/login/", {"username": "police-system", "password": ""})
    assert tried.status_code == 200  # no password signs it in
    with pytest.raises(Refusal, match="no password and no authenticator"):
        accounts.add_user(admin, "x-system", "x", police, password=PASSWORD, system=True)


def test_a_code_is_refused_the_second_time(make_user, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only the replay rule may refuse here
    user = make_user("pc-replay", "police_officer")
    code = current_code(user)
    first = password_step(user).post("/accounts/verify/", {"otp_token": code})
    assert first.status_code == 302
    again = password_step(user).post("/accounts/verify/", {"otp_token": code})
    assert again.status_code == 200 and "wrong or has expired" in again.content.decode()
    assert AuditEvent.objects.filter(username=user.username, allowed=False).exists()


def test_wrong_codes_make_the_next_one_wait(make_user) -> None:
    user = make_user("pc-throttle", "police_officer")
    client = password_step(user)
    for _ in range(2):
        client.post("/accounts/verify/", {"otp_token": "000000"})
    right_too_soon = client.post("/accounts/verify/", {"otp_token": current_code(user)})
    assert right_too_soon.status_code == 200  # within the wait, even the right code is refused
    assert TOTPDevice.objects.get(user=user).throttling_failure_count >= 1


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http://testserver/people/",  # the hub itself, in full: its own links are relative
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        " /people/",
        "/no-such-page/",
        "people/",
    ],
)
def test_next_leaves_for_no_other_site(target: str) -> None:
    assert own_path(target) == "/"


def test_next_keeps_the_hubs_own_pages(make_user, mini_hub) -> None:
    assert own_path("/people/1/?tab=flags") == "/people/1/?tab=flags"
    user = make_user("pc-next", "police_officer")
    client = Client()
    step = client.post(
        "/accounts/login/?next=//evil.example/", {"username": user.username, "password": PASSWORD}
    )
    assert "evil" not in step["Location"]
    done = client.post("/accounts/verify/?next=//evil.example/", {"otp_token": current_code(user)})
    assert done["Location"] == "/"


def _settings_module(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """A fresh copy of the hub's Django settings, read from `env`."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    import safeguard.hub.settings as live

    spec = importlib.util.spec_from_file_location("settings_copy", live.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield lambda **env: _settings_module(monkeypatch, **env)
    monkeypatch.undo()
    get_settings.cache_clear()


def test_session_cookies_are_guarded(make_user, sign_in, fresh_settings) -> None:
    served = fresh_settings(SAFEGUARD_DEMO="false", SAFEGUARD_SECRET_KEY="x" * 50)
    assert served.SESSION_COOKIE_SECURE and served.CSRF_COOKIE_SECURE
    assert served.SECURE_HSTS_SECONDS >= 31_536_000
    demo = fresh_settings(SAFEGUARD_DEMO="true")
    assert not demo.SESSION_COOKIE_SECURE  # plain http on the demo's own machine only
    client = password_step(make_user("pc-cookie", "police_officer"))
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["expires"] and not cookie["max-age"]  # ends when the browser closes


def test_signing_in_gives_a_new_session_key(make_user, mini_hub) -> None:
    user = make_user("pc-fixation", "police_officer")
    client = password_step(user)
    before = client.cookies["sessionid"].value
    assert client.post("/accounts/verify/", {"otp_token": current_code(user)}).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before and not Session.objects.filter(session_key=before).exists()
    stolen = Client()
    stolen.cookies["sessionid"] = before  # a key learnt before the code buys nothing
    assert stolen.get("/people/?q=smith")["Location"].startswith("/accounts/login/")
    assert client.get("/people/?q=smith").status_code == 200


def test_a_session_ends_at_its_absolute_limit_however_busy(make_user, sign_in, settings) -> None:
    client = sign_in(make_user("pc-long-day", "police_officer"))
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS
    session.save()
    ended = client.get("/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_signing_out_ends_the_session_on_the_server(make_user, sign_in) -> None:
    client = sign_in(make_user("pc-leaving", "police_officer"))
    key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replayed = Client()
    replayed.cookies["sessionid"] = key
    assert replayed.get("/")["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_a_new_password_ends_the_users_other_sessions(make_user, sign_in) -> None:
    user = make_user("pc-moved-on", "police_officer")
    laptop = sign_in(user)
    TOTPDevice.objects.filter(user=user).update(last_t=-1)  # as if the next code had come
    phone = sign_in(user)
    assert laptop.get("/").status_code == phone.get("/").status_code == 200
    user.set_password("a different long passphrase")
    user.save()
    for client in (laptop, phone):
        assert client.get("/")["Location"].startswith("/accounts/login/")

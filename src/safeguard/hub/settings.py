"""Django settings, derived from the one typed `safeguard.settings.Settings` object."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from safeguard.settings import get_settings

_s = get_settings()

# `safeguard serve` refuses to start without a real key outside demo mode;
# the CLI's store commands sign nothing that leaves the process, so they may run without one.
DEV_SECRET = "safeguard-demo-only-not-for-serving"  # noqa: S105 - refused outside demo
SECRET_KEY = _s.secret_key or DEV_SECRET
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", *_s.allowed_hosts]

INSTALLED_APPS = [
    "safeguard.hub.web",  # first, so its admin/base_site.html dresses Django admin
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "safeguard.hub.accounts",
    "safeguard.hub.audit",
    "safeguard.hub.deliveries",
    "safeguard.hub.homes",
    "safeguard.hub.people",
    "safeguard.hub.intelligence",
    "safeguard.hub.alerts",
    "safeguard.hub.mash",
    "safeguard.hub.concerns",
    "safeguard.hub.missing",
    "safeguard.hub.carehomes",
    "safeguard.hub.mace",
    "safeguard.hub.governance",
]
MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "safeguard.hub.web.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # the one chokepoint: every route is decided by safeguard.access.policy
    "safeguard.hub.web.middleware.AccessMiddleware",
    "safeguard.hub.web.middleware.AdminAuditMiddleware",
    # a NUL or a broken character anywhere in a request: 400 before the view (after the policy)
    "safeguard.hub.web.characters.CharactersMiddleware",
]
ROOT_URLCONF = "safeguard.hub.urls"
# jobs (people resolved again after a decision) kept in the hub's own database; `safeguard
# serve` runs a worker beside the pages, `safeguard jobs run` runs what is waiting
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WSGI_APPLICATION = "safeguard.hub.wsgi.application"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safeguard.hub.web.context.navigation",
            ]
        },
    }
]
STATIC_URL = "/static/"
STATIC_ROOT = None  # nothing is collected: WhiteNoise serves from the finders below
WHITENOISE_USE_FINDERS = True  # served straight from the packages: no collectstatic step
# GOV.UK Frontend, MOJ Frontend and HTMX, installed from npm (`make assets`) into node_modules
STATICFILES_DIRS = [(prefix, str(d)) for prefix, d in _s.asset_dirs().items() if d.is_dir()]

# --- sign-in: Argon2, NCSC password guidance, two factors, lockout, idle sessions ---
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC: length and a deny-list of common passwords, no composition rules, no forced rotation
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
AUTHENTICATION_BACKENDS = [
    "safeguard.hub.accounts.lockout.LockoutBackend",  # axes's account lockout, then by address
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
AXES_FAILURE_LIMIT = _s.lockout_failures
AXES_COOLOFF_TIME = None  # locked until an administrator unlocks (`safeguard users unlock`)
# the account locks, wherever the attempts come from. An address is refused too, but only past
# a higher limit and for a while (accounts.lockout): a whole office may share one address
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
LOCKOUT_SOURCE_FAILURES = _s.lockout_source_failures
LOCKOUT_SOURCE_MINUTES = _s.lockout_source_minutes
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_CLIENT_IP_CALLABLE = "safeguard.hub.web.client.address"  # SAFEGUARD_TRUSTED_PROXIES
OTP_TOTP_ISSUER = "Safeguard"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no authenticator secrets or QR codes in the admin
SESSION_COOKIE_AGE = _s.idle_minutes * 60
# an idle timeout: IdleSessionMiddleware pushes the expiry back at most once a minute
SESSION_SAVE_EVERY_REQUEST = False
# and however busy, a session ends this long after its sign-in (IdleSessionMiddleware)
SESSION_ABSOLUTE_SECONDS = _s.session_hours * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- security headers ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# behind TLS (outside demo): secure cookies and HSTS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not _s.demo
SECURE_HSTS_SECONDS = 0 if _s.demo else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not _s.demo
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}


# --- alerts by email: SMTP when SAFEGUARD_EMAIL_URL is set, else printed to the console ---
DEFAULT_FROM_EMAIL = _s.alert_email_from


def _email() -> dict[str, Any]:
    if not _s.email_url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    url = urlsplit(_s.email_url)
    if url.scheme not in ("smtp", "smtp+tls", "smtp+ssl"):
        raise ValueError("SAFEGUARD_EMAIL_URL: use smtp://, smtp+tls:// or smtp+ssl://")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": url.hostname or "localhost",
        "EMAIL_PORT": url.port or (465 if url.scheme == "smtp+ssl" else 587),
        "EMAIL_HOST_USER": unquote(url.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
        "EMAIL_USE_TLS": url.scheme == "smtp+tls",
        "EMAIL_USE_SSL": url.scheme == "smtp+ssl",
        "EMAIL_TIMEOUT": 10,
    }


globals().update(_email())


def _database() -> dict[str, Any]:
    if _s.database_url:
        return dict(dj_database_url.parse(_s.database_url, conn_max_age=0))
    _s.data_dir.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_s.sqlite_path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; "
            "PRAGMA temp_store=MEMORY;",
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

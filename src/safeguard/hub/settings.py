"""Django settings, derived from the one typed `safeguard.settings.Settings` object."""

from __future__ import annotations

from typing import Any

import dj_database_url

from safeguard.settings import get_settings

_s = get_settings()

# Outside demo mode a real key is required; until the hub serves pages (issue 5) the CLI only needs
# a key to satisfy Django, and nothing signed with it leaves the process.
SECRET_KEY = _s.secret_key or "safeguard-cli-only-not-for-serving"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "safeguard.hub.deliveries",
    "safeguard.hub.people",
    "safeguard.hub.intelligence",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "safeguard.hub.urls"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


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

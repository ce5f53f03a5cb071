"""Opening the hub's store from the command line: Django set up, migrations applied."""

from __future__ import annotations

import os
from functools import cache


@cache
def open_store() -> None:
    """Set up Django on the configured database and bring its schema up to date (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.hub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)

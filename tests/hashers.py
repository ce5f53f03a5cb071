"""Argon2 at its cheapest for the tests (`tests/conftest.py` puts it in place for every test):
the tests spend their time on what they check, not on hashing passwords. The same hasher
class, so signing in runs the same code; the hub's own cost is asserted in
`tests/hub/test_pages.py` from its settings module, and the command-line tests, which run the
hub as deployed, use it unchanged."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


QUICK = f"{__name__}.QuickArgon2"

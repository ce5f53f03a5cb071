"""The hub's small fixtures (staff, the mini hub and its MASH) for the fuzzing tests."""

from tests.hub.conftest import _fresh_cache, make_user, mini_hub, mini_mash, sign_in

__all__ = ["_fresh_cache", "make_user", "mini_hub", "mini_mash", "sign_in"]

"""Hypothesis profiles: `--hypothesis-profile=thorough` runs each property 20 times as hard."""

from hypothesis import settings

settings.register_profile("thorough", max_examples=2_000)

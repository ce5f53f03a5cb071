"""A fast path for the UK numbers that make up nearly every delivered phone field.

libphonenumber (the `phonenumbers` package) is the authority, but parsing costs tens of
microseconds a number, which dominates an ingest of a million rows. Plain UK numbers (`07911
123456`, `+44 (0)1244 123456`, `0044...`) are checked here against **libphonenumber's own GB
metadata patterns**, compiled once; anything else, and any UK number these patterns refuse, goes
to the full library. A property test checks that both paths agree.
"""

from __future__ import annotations

import re

from phonenumbers import PhoneMetadata

_GB = PhoneMetadata.metadata_for_region("GB")
if _GB is None or _GB.general_desc is None or not _GB.general_desc.national_number_pattern:
    raise ImportError("phonenumbers has no GB metadata")
_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)


def _types_pattern() -> re.Pattern[str]:
    parts = []
    for name in _TYPES:
        desc = getattr(_GB, name, None)
        if desc is not None and desc.national_number_pattern:
            parts.append(f"(?:{desc.national_number_pattern})")
    return re.compile("|".join(parts))


_GENERAL = re.compile(str(_GB.general_desc.national_number_pattern))
_ANY_TYPE = _types_pattern()
_SEPARATORS = re.compile(r"[\s\-.()]")
_UK_DIALLED = re.compile(r"(?:\+44|0044)0?(\d{9,10})|0(\d{9,10})")


def uk_e164(raw: str) -> str | None:
    """E.164 for a plain UK number that libphonenumber's GB patterns accept; None otherwise."""
    match = _UK_DIALLED.fullmatch(_SEPARATORS.sub("", raw))
    if match is None:
        return None
    national = match.group(1) or match.group(2)
    if _GENERAL.fullmatch(national) and _ANY_TYPE.fullmatch(national):
        return "+44" + national
    return None

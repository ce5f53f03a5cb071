"""UK identifier normalisers, each checked by its public rule.

Every normaliser takes the raw delivered text and returns a `Checked`: the normalised value, or
None with a plain-English problem. They never raise on any input, and normalising a normalised value
returns it unchanged (both are property-tested).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers

from safeguard.contract.phones import uk_e164


class Checked(NamedTuple):
    """A normalised value (None when the raw value failed) and what was wrong, if anything."""

    value: str | None
    problem: str | None = None


def _fail(problem: str) -> Checked:
    return Checked(None, problem)


_SPACES = re.compile(r"[\s\-]+")


# --- NHS number: 10 digits, the 10th a modulus-11 check digit -------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine NHS-number digits, or None when none exists (check value 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number(raw: str) -> Checked:
    """Ten digits (spaces and hyphens ignored) whose last is the modulus 11 check digit."""
    digits = _SPACES.sub("", raw)
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        return _fail("an NHS number has 10 digits")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        return _fail("NHS number fails its modulus 11 check digit")
    return Checked(digits)


# --- Unique pupil number: check letter + 12 characters ------------------------------------------

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2-13 of a UPN (weights 2..13, modulus 23)."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * weight
    return UPN_LETTERS[total % 23]


_UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")


def upn(raw: str) -> Checked:
    """A unique pupil number: check letter, 11 digits, then a digit (or a letter if temporary)."""
    value = _SPACES.sub("", raw).upper()
    if not _UPN.match(value):
        return _fail("a UPN is a check letter, 11 digits and a final digit or letter")
    if upn_check_letter(value[1:]) != value[0]:
        return _fail("UPN check letter does not match")
    return Checked(value)


# --- Police national computer id: YY/NNNNNNNL ---------------------------------------------------

PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
_PNC = re.compile(r"^(\d{2}|\d{4})/?(\d{1,7})([A-Z])$", re.ASCII)


def pnc_check_letter(year2: str, serial7: str) -> str:
    """The PNC id check character: the number YY followed by the 7-digit serial, modulus 23."""
    return PNC_LETTERS[int(year2 + serial7) % 23]


def pnc_id(raw: str) -> Checked:
    """A PNC id as `YY/NNNNNNNL`: a four-digit year is cut to two, the serial padded to seven."""
    match = _PNC.match(_SPACES.sub("", raw).upper())
    if not match:
        return _fail("a PNC id looks like 09/1234567A")
    year, serial, letter = match.groups()
    year2, serial7 = year[-2:], serial.zfill(7)
    if pnc_check_letter(year2, serial7) != letter:
        return _fail("PNC id check letter does not match")
    return Checked(f"{year2}/{serial7}{letter}")


# --- Postcode -------------------------------------------------------------------------------------

# Outward: area (1-2 letters; never Q, V or X first, nor I, J or Z second) and district (a digit,
# then a digit or a letter from a short list). Inward: sector digit and a unit of two letters
# that are never C, I, K, M, O or V.
_POSTCODE = re.compile(
    r"^([A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?))"
    r"([0-9][ABD-HJLNP-UW-Z]{2})$"
)


def postcode(raw: str) -> Checked:
    """A UK postcode in capitals with one space between the outward and inward codes."""
    value = re.sub(r"\s+", "", raw).upper()
    if value == "GIR0AA":
        return Checked("GIR 0AA")
    match = _POSTCODE.match(value)
    if not match:
        return _fail("not a UK postcode (outward code, space, digit and two letters)")
    return Checked(f"{match.group(1)} {match.group(2)}")


class PostcodeParts(NamedTuple):
    """The nested areas a postcode names, from the widest to the single street or building."""

    area: str
    district: str
    sector: str
    unit: str


def postcode_parts(normalised: str) -> PostcodeParts:
    """Area (CW), district (CW1), sector (CW1 2) and unit (CW1 2AB) of a normalised postcode."""
    outward, inward = normalised.split(" ")
    area = re.match(r"[A-Z]+", outward)
    return PostcodeParts(
        area.group(0) if area else outward, outward, f"{outward} {inward[0]}", normalised
    )


# --- Phone: E.164 via libphonenumber --------------------------------------------------------------


def phone(raw: str) -> Checked:
    """A phone number valid for its country, as E.164 (`+447...`); no country code means UK."""
    text = raw.strip()
    if not text or len(text) > 40:
        return _fail("not a phone number")
    fast = uk_e164(text)
    if fast is not None:
        return Checked(fast)
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return _fail("not a phone number")
    if not phonenumbers.is_valid_number(number):
        return _fail("not a valid phone number for its country")
    return Checked(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


# --- Email ----------------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_EMAIL_LONGEST = 254  # the most a mail server will carry (RFC 5321)


def email(raw: str) -> Checked:
    """An email address (name@domain.tld) in lower case, for matching rather than sending."""
    value = raw.strip().lower()
    if len(value) > _EMAIL_LONGEST or not value.isprintable() or not _EMAIL.match(value):
        return _fail("not an email address (name@domain)")
    return Checked(value)


# --- Vehicle registration mark --------------------------------------------------------------------

_VRM_FORMATS = (
    re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$"),  # current, 2001-: AB12 CDE
    re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$"),  # prefix, 1983-2001: A123 BCD
    re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$"),  # suffix, 1963-1983: ABC 123D
    re.compile(r"^[0-9]{1,4}[A-Z]{1,3}$"),  # dateless: 1234 AB
    re.compile(r"^[A-Z]{1,3}[0-9]{1,4}$"),  # dateless and Northern Ireland: AB 1234
)


def vrm(raw: str) -> Checked:
    """A UK registration mark in a current, prefix, suffix or dateless layout, without spaces."""
    value = _SPACES.sub("", raw).upper()
    if not any(f.match(value) for f in _VRM_FORMATS):
        return _fail("not a UK vehicle registration mark")
    return Checked(value)


# --- Names ----------------------------------------------------------------------------------------


def name(raw: str) -> Checked:
    """A name as recorded, with surrounding and repeated whitespace removed."""
    value = " ".join(raw.split())
    return Checked(value) if value else _fail("empty name")

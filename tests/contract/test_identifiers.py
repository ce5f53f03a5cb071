"""Known-good and known-bad examples for each UK identifier rule.

Check digits and letters in the good examples were worked by hand from the published rules, so a
change to an algorithm shows up here rather than being checked against itself.
"""

from __future__ import annotations

import pytest

from safeguard.contract.identifiers import (
    Checked,
    PostcodeParts,
    email,
    name,
    nhs_check_digit,
    nhs_number,
    phone,
    pnc_check_letter,
    pnc_id,
    postcode,
    postcode_parts,
    upn,
    upn_check_letter,
    vrm,
)


def _accepts(checked: Checked, expected: str) -> None:
    assert checked == Checked(expected, None)


def _refuses(checked: Checked, *words: str) -> None:
    assert checked.value is None
    assert checked.problem
    for word in words:
        assert word in checked.problem


# --- NHS number ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("943 476 5919", "9434765919"),  # the NHS's own published test number
        ("9434765919", "9434765919"),
        ("943-476-5919", "9434765919"),
        ("  943 476 5919\t", "9434765919"),
        ("401 023 2137", "4010232137"),  # 92 -> 11 - 92 % 11 = 7
        ("000 000 0019", "0000000019"),  # 2 -> 11 - 2 = 9
        ("100 000 0001", "1000000001"),  # 10 -> 11 - 10 = 1
        ("000 000 0000", "0000000000"),  # total 0: check value 11 is written as 0
    ],
)
def test_nhs_number_accepts_valid_numbers(raw: str, expected: str) -> None:
    _accepts(nhs_number(raw), expected)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("943 476 5918", "check digit"),  # last digit wrong
        ("943 476 9519", "check digit"),  # two neighbouring digits swapped
        ("000 000 0060", "check digit"),  # total 12: check value 10, so no number can end here
        ("943 476 591", "10 digits"),
        ("943 476 59190", "10 digits"),
        ("943 476 591A", "10 digits"),
        ("٩٤٣٤٧٦٥٩١٩", "10 digits"),  # Arabic-Indic digits are digits, but not NHS digits
        ("", "10 digits"),
    ],
)
def test_nhs_number_refuses_invalid_numbers(raw: str, why: str) -> None:
    _refuses(nhs_number(raw), why)


def test_nhs_check_digit_is_none_when_the_check_value_is_ten() -> None:
    assert nhs_check_digit("943476591") == 9
    assert nhs_check_digit("000000000") == 0
    assert nhs_check_digit("000000006") is None


# --- Unique pupil number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B801200005001", "B801200005001"),  # 93 % 23 = 1 -> B
        ("b801200005001", "B801200005001"),
        ("B80 1200 005 001", "B801200005001"),
        ("M80120000500A", "M80120000500A"),  # temporary UPN: final A counts 0; 80 % 23 = 11 -> M
        ("A000000000000", "A000000000000"),
    ],
)
def test_upn_accepts_valid_numbers(raw: str, expected: str) -> None:
    _accepts(upn(raw), expected)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("A801200005001", "check letter"),
        ("B801200005002", "check letter"),
        ("I801200005001", "check letter"),  # I is never a check letter
        ("B80120000500", "check letter, 11 digits"),  # 12 characters
        ("B8012000050011", "check letter, 11 digits"),
        ("8801200005001", "check letter, 11 digits"),  # no check letter
        ("B80120000500I", "check letter, 11 digits"),  # I, O and S are not used
        ("B8012000X5001", "check letter, 11 digits"),
    ],
)
def test_upn_refuses_invalid_numbers(raw: str, why: str) -> None:
    _refuses(upn(raw), why)


def test_upn_check_letter_skips_i_o_and_s() -> None:
    assert upn_check_letter("801200005001") == "B"
    assert upn_check_letter("000000000009") == "C"  # 9 * 13 = 117; 117 % 23 = 2 -> C
    assert "I" not in {upn_check_letter(f"{n:012d}") for n in range(0, 5000, 7)}


# --- PNC id --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09/1234567G", "09/1234567G"),  # 91234567 % 23 = 7 -> G (Z=0, A=1, ...)
        ("09/1234567g", "09/1234567G"),
        ("091234567G", "09/1234567G"),
        ("2009/1234567G", "09/1234567G"),  # four-digit year
        (" 09 / 1234567G ", "09/1234567G"),
        ("00/0000000Z", "00/0000000Z"),  # 0 -> Z
        ("00/23Z", "00/0000023Z"),  # serial padded to seven digits; 23 % 23 = 0 -> Z
        ("00/1A", "00/0000001A"),
    ],
)
def test_pnc_id_accepts_valid_ids(raw: str, expected: str) -> None:
    _accepts(pnc_id(raw), expected)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("09/1234567H", "check letter"),
        ("10/1234567G", "check letter"),
        ("09/12345678G", "looks like"),  # eight-digit serial
        ("9/1234567G", "looks like"),
        ("09/1234567", "looks like"),
        ("09/12A4567G", "looks like"),
        ("٠٩/١٢٣٤٥٦٧G", "looks like"),
    ],
)
def test_pnc_id_refuses_invalid_ids(raw: str, why: str) -> None:
    _refuses(pnc_id(raw), why)


def test_pnc_check_letter() -> None:
    assert pnc_check_letter("09", "1234567") == "G"
    assert pnc_check_letter("00", "0000022") == "Y"  # the last of the 23 letters


# --- Postcode ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CW1 2AB", "CW1 2AB"),  # AA9 9AA
        ("cw12ab", "CW1 2AB"),
        (" Cw1   2aB ", "CW1 2AB"),
        ("M1 1AE", "M1 1AE"),  # A9 9AA
        ("B33 8TH", "B33 8TH"),  # A99 9AA
        ("CH65 9HQ", "CH65 9HQ"),  # AA99 9AA
        ("W1A 0AX", "W1A 0AX"),  # A9A 9AA
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A 9AA
        ("SW1A 2AA", "SW1A 2AA"),
        ("CW112AB", "CW11 2AB"),  # the inward code is always the last three characters
        ("GIR 0AA", "GIR 0AA"),  # the one historic exception
    ],
)
def test_postcode_accepts_uk_postcodes(raw: str, expected: str) -> None:
    _accepts(postcode(raw), expected)


@pytest.mark.parametrize(
    "raw",
    [
        "CW1 2CB",  # C is not used in the unit
        "CW1 2AI",
        "CW1 AB",  # inward code must start with a digit
        "CW1",  # outward code alone
        "QA1 1AA",  # Q is never first
        "VA1 1AA",
        "XA1 1AA",
        "AI1 1AA",  # I, J and Z are never second
        "AZ1 1AA",
        "W1L 0AX",  # L is not used in an A9A district
        "EC1C 1BB",  # C is not used in an AA9A district
        "CWW1 2AB",
        "CW123 2AB",
        "CW1-2AB",
        "",
    ],
)
def test_postcode_refuses_what_is_not_a_postcode(raw: str) -> None:
    _refuses(postcode(raw), "postcode")


@pytest.mark.parametrize(
    ("normalised", "parts"),
    [
        ("CW1 2AB", PostcodeParts("CW", "CW1", "CW1 2", "CW1 2AB")),
        ("M1 1AE", PostcodeParts("M", "M1", "M1 1", "M1 1AE")),
        ("EC1A 1BB", PostcodeParts("EC", "EC1A", "EC1A 1", "EC1A 1BB")),
        ("CH65 9HQ", PostcodeParts("CH", "CH65", "CH65 9", "CH65 9HQ")),
    ],
)
def test_postcode_parts_split_outward_and_inward(normalised: str, parts: PostcodeParts) -> None:
    assert postcode_parts(normalised) == parts


# --- Vehicle registration mark -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AB12 CDE", "AB12CDE"),  # current, from 2001
        ("ab12cde", "AB12CDE"),
        ("AB-12-CDE", "AB12CDE"),
        ("A123 BCD", "A123BCD"),  # prefix, 1983-2001
        ("A1 BCD", "A1BCD"),
        ("ABC 123D", "ABC123D"),  # suffix, 1963-1983
        ("ABC 1D", "ABC1D"),
        ("1234 AB", "1234AB"),  # dateless, number first
        ("1 A", "1A"),
        ("AB 1234", "AB1234"),  # dateless, letters first
        ("ABZ 1234", "ABZ1234"),  # Northern Ireland
    ],
)
def test_vrm_accepts_every_uk_layout(raw: str, expected: str) -> None:
    _accepts(vrm(raw), expected)


@pytest.mark.parametrize(
    "raw",
    ["AB12 CDEF", "AB123 CDE", "ABCD 123", "12345 AB", "A1234 BCD", "ABC 1234D", "AB1C", "", "!"],
)
def test_vrm_refuses_other_marks(raw: str) -> None:
    _refuses(vrm(raw), "registration")


# --- Phone ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07400 123456", "+447400123456"),
        ("+44 7400 123456", "+447400123456"),
        ("+44 (0)7400 123456", "+447400123456"),
        ("0044 7400 123456", "+447400123456"),
        ("(0161) 496 0000", "+441614960000"),
        ("020 7946 0000", "+442079460000"),
        ("+33 1 42 68 53 00", "+33142685300"),  # other countries keep their own code
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_phone_normalises_to_e164(raw: str, expected: str) -> None:
    _accepts(phone(raw), expected)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("07400 12345", "valid"),  # one digit short
        ("07700 900123", "valid"),  # Ofcom's range for drama: never a real number
        ("12345", "valid"),
        ("not a number", "not a phone number"),
        ("", "not a phone number"),
        ("0" * 41, "not a phone number"),
    ],
)
def test_phone_refuses_invalid_numbers(raw: str, why: str) -> None:
    _refuses(phone(raw), why)


# --- Email and names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jo.bloggs@example.org", "jo.bloggs@example.org"),
        (" Jo.Bloggs@Example.ORG ", "jo.bloggs@example.org"),
        ("jo+mash@mail.example.co.uk", "jo+mash@mail.example.co.uk"),
    ],
)
def test_email_accepts_addresses(raw: str, expected: str) -> None:
    _accepts(email(raw), expected)


@pytest.mark.parametrize(
    "raw",
    [
        "jo",
        "jo@",
        "@example.org",
        "jo@localhost",
        "jo@@example.org",
        "jo bloggs@example.org",
        "jo@example..org",
        "jo@example.org.",
        "jo\x00@example.org",
        "j" * 250 + "@example.org",
        "",
    ],
)
def test_email_refuses_what_is_not_an_address(raw: str) -> None:
    _refuses(email(raw), "email")


def test_name_tidies_whitespace_only() -> None:
    _accepts(name("  Mary-Jane   O'Neil-Smith "), "Mary-Jane O'Neil-Smith")
    _accepts(name("zoë\tDe la Cruz"), "zoë De la Cruz")
    _refuses(name(" \t\n"), "empty")

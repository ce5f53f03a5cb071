"""Known-good and known-bad examples for dates, date-times, yes/no and whole numbers."""

from __future__ import annotations

import pytest

from safeguard.contract.identifiers import Checked
from safeguard.contract.values import boolean, date, datetime, integer, partial_date


def _refuses(checked: Checked, *words: str) -> None:
    assert checked.value is None
    assert checked.problem
    for word in words:
        assert word in checked.problem


# --- Dates ---------------------------------------------------------------------------------------

EVERY_LAYOUT_OF_2_JAN_2020 = [
    "2020-01-02",
    "2020-1-2",
    "20200102",
    "02/01/2020",  # day first: 2 January, not 1 February
    "2/1/2020",
    "02-01-2020",
    "02.01.2020",
    "2 January 2020",
    "2 january 2020",
    "02 JAN 2020",
    "2 Jan. 2020",
    "2 Jan, 2020",
    "  2020-01-02\t",
]


@pytest.mark.parametrize("raw", EVERY_LAYOUT_OF_2_JAN_2020)
def test_date_reads_every_accepted_layout(raw: str) -> None:
    assert date(raw) == Checked("2020-01-02")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("29/02/2020", "2020-02-29"),  # leap year
        ("29/02/2000", "2000-02-29"),  # divisible by 400
        ("31/12/1999", "1999-12-31"),
        ("01/01/1900", "1900-01-01"),  # the earliest date accepted
        ("3 Sept 2021", "2021-09-03"),
        ("30 OCTOBER 2021", "2021-10-30"),
    ],
)
def test_date_accepts_real_days(raw: str, expected: str) -> None:
    assert date(raw) == Checked(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2020",  # no such day
        "29/02/2021",  # not a leap year
        "29/02/1900",  # divisible by 100, not 400
        "31/04/2020",
        "00/01/2020",
        "01/13/2020",  # no thirteenth month (and no US month-first reading)
        "2020-13-01",
        "2020-00-10",
        "31/12/1899",  # before 1900
        "01/02-2020",  # mixed separators
        "2 Janus 2020",  # not a month
        "2 Junk 2020",
        "2020/01/02",
        "2020-01-02 and more",
        "",
    ],
)
def test_date_refuses_impossible_or_unclear_dates(raw: str) -> None:
    _refuses(date(raw), "date")


@pytest.mark.parametrize("raw", ["02/01/20", "2/1/20", "02-01-20", "02.01.20"])
def test_date_refuses_two_digit_years_and_says_why(raw: str) -> None:
    _refuses(date(raw), "two-digit years")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-01-02", "2020-01-02"),
        ("02/01/2020", "2020-01-02"),
        ("2020", "2020"),
        ("2020-03", "2020-03"),
        ("2020-3", "2020-03"),
        ("03/2020", "2020-03"),
        ("3-2020", "2020-03"),
        ("1900", "1900"),
    ],
)
def test_partial_date_keeps_what_is_known(raw: str, expected: str) -> None:
    assert partial_date(raw) == Checked(expected)


@pytest.mark.parametrize(
    "raw", ["2020-13", "13/2020", "00/2020", "1899", "1899-12", "20", "202", "03/20", "٢٠٢٠", ""]
)
def test_partial_date_refuses_impossible_dates(raw: str) -> None:
    _refuses(partial_date(raw), "date")


# --- Date-times ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-01-02T10:30", "2020-01-02T10:30:00"),
        ("2020-01-02T10:30:15", "2020-01-02T10:30:15"),
        ("2020-01-02T10:30:15.123", "2020-01-02T10:30:15"),
        ("2020-01-02 10:30", "2020-01-02T10:30:00"),
        ("02/01/2020 10:30", "2020-01-02T10:30:00"),
        ("02/01/2020 9:05", "2020-01-02T09:05:00"),
        ("2 January 2020 23:59:59", "2020-01-02T23:59:59"),
        ("02 OCT 2020 10:00", "2020-10-02T10:00:00"),  # upper-case month holding a T
        ("2020-01-02", "2020-01-02T00:00:00"),  # a date alone is midnight
        ("02/01/2020", "2020-01-02T00:00:00"),
    ],
)
def test_datetime_reads_every_accepted_layout(raw: str, expected: str) -> None:
    assert datetime(raw) == Checked(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-01-15T09:00:00Z", "2020-01-15T09:00:00"),  # winter: UK time is UTC
        ("2020-07-15T09:00:00Z", "2020-07-15T10:00:00"),  # summer: UK time is UTC + 1
        ("2020-07-15T09:00:00+01:00", "2020-07-15T09:00:00"),
        ("2020-07-15T09:00:00+0200", "2020-07-15T08:00:00"),
        ("2020-07-15T09:00-05:00", "2020-07-15T15:00:00"),
        ("2020-07-15 09:00 +05:30", "2020-07-15T04:30:00"),
        ("2020-01-15T23:30:00-01:00", "2020-01-16T00:30:00"),  # crosses midnight
        ("2020-03-29T00:59:59Z", "2020-03-29T00:59:59"),  # last second of GMT
        ("2020-03-29T01:00:00Z", "2020-03-29T02:00:00"),  # clocks go forward
        ("2020-10-25T00:30:00Z", "2020-10-25T01:30:00"),  # BST, before clocks go back
        ("2020-10-25T01:30:00Z", "2020-10-25T01:30:00"),  # GMT, after
    ],
)
def test_datetime_converts_offsets_to_uk_local_time(raw: str, expected: str) -> None:
    assert datetime(raw) == Checked(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "2020-01-02T24:00",
        "2020-01-02T10:60",
        "2020-01-02T10:30:60",
        "2020-02-30T10:30",
        "2020-01-02T10",
        "2020-01-02T10:30+24:00",  # no such offset
        "2020-01-02T10:30+01:60",
        "2020-01-02Z",  # a zone needs a time
        "2020-01-02 +01:00",
        "1900-01-01T00:30+01:00",  # 1899 in UK time
        "9999-12-31T23:30-05:00",  # beyond the calendar in UK time
        "10:30",
        "02/01/2020 10.30",
        "",
    ],
)
def test_datetime_refuses_impossible_times(raw: str) -> None:
    _refuses(datetime(raw), "date and time")


def test_datetime_refuses_two_digit_years_and_says_why() -> None:
    _refuses(datetime("02/01/20 10:30"), "two-digit years")


# --- Yes/no and whole numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("Y", "true"), ("yes", "true"), (" TRUE ", "true"), ("1", "true"), ("t", "true")],
        *[("N", "false"), ("No", "false"), ("false", "false"), ("0", "false"), ("F", "false")],
    ],
)
def test_boolean_reads_yes_and_no(raw: str, expected: str) -> None:
    assert boolean(raw) == Checked(expected)


@pytest.mark.parametrize("raw", ["", "maybe", "2", "yes please", "o"])
def test_boolean_refuses_anything_else(raw: str) -> None:
    _refuses(boolean(raw), "yes or no")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", "42"),
        (" 42 ", "42"),
        ("+42", "42"),
        ("-3", "-3"),
        ("007", "7"),
        ("-0", "0"),
        ("1,234", "1234"),
        ("1,234,567", "1234567"),
        ("999999999999999", "999999999999999"),
    ],
)
def test_integer_reads_whole_numbers(raw: str, expected: str) -> None:
    assert integer(raw) == Checked(expected)


@pytest.mark.parametrize(
    "raw", ["", "4.5", "1e3", "12a", "1,23", "1,2,3", ",123", "1 000", "1" * 16, "٤٢", "--1"]
)
def test_integer_refuses_anything_else(raw: str) -> None:
    _refuses(integer(raw), "whole number")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Children's Home", "childrens_home"),
        ("CHILDREN\u2019S  HOME", "childrens_home"),
        ("foster-care", "foster_care"),
        ("Semi Independent", "semi_independent"),
        ("(kinship)", "kinship"),
        ("children home", None),
        ("hostel", None),
    ],
)
def test_codes_ignore_the_punctuation_agencies_write(raw: str, expected: str | None) -> None:
    from safeguard.contract.kinds import PLACEMENTS

    placement_type = next(f for f in PLACEMENTS.fields if f.name == "placement_type")
    assert placement_type.code_for(raw) == expected


@pytest.mark.parametrize(
    ("kind_name", "field_name", "raw", "expected"),
    [
        ("people", "flags", "LAC", "looked_after"),
        ("people", "flags", "CP Plan", "child_protection_plan"),
        ("people", "ethnicity", "White British", "white"),
        ("missing_episodes", "risk_grade", "High Risk", "high"),
        (
            "missing_episodes",
            "category",
            "Away from placement without authorisation",
            "away_without_authorisation",
        ),
        ("incidents", "incident_type", "CSE", "child_sexual_exploitation"),
        ("involvements", "role", "Offender", "suspect"),
        ("placements", "placing_council", "Cheshire West & Chester", "cheshire_west_and_chester"),
        ("health_events", "setting", "A and E", "emergency_department"),
        ("education_events", "event_type", "Exclusion", None),  # suspension or permanent?
    ],
)
def test_the_spellings_agencies_systems_write_are_read(
    kind_name: str, field_name: str, raw: str, expected: str | None
) -> None:
    from safeguard.contract.kinds import KINDS

    field = next(f for f in KINDS[kind_name].fields if f.name == field_name)
    assert field.code_for(raw) == expected

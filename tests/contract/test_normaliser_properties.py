"""Properties every normaliser keeps, checked by Hypothesis on arbitrary and generated input.

1. It never raises, whatever text arrives (any unicode, control characters, huge strings).
2. It answers with exactly one of a value or a plain-English problem.
3. It is idempotent: normalising a normalised value returns it unchanged, with no problem.
4. Values built by the published rules (check digits, letters, layouts) are accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from safeguard.contract import identifiers as ids
from safeguard.contract import values
from safeguard.contract.identifiers import Checked

Normaliser = Callable[[str], Checked]

NORMALISERS: dict[str, Normaliser] = {
    "nhs_number": ids.nhs_number,
    "upn": ids.upn,
    "pnc_id": ids.pnc_id,
    "postcode": ids.postcode,
    "phone": ids.phone,
    "email": ids.email,
    "vrm": ids.vrm,
    "name": ids.name,
    "date": values.date,
    "partial_date": values.partial_date,
    "datetime": values.datetime,
    "boolean": values.boolean,
    "integer": values.integer,
}
#: Normalisers whose output is always plain ASCII (names and email addresses may be in any script).
ASCII_OUTPUT = set(NORMALISERS) - {"name", "email"}

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Text that is nearly an identifier, date or number: the inputs most likely to find an edge.
near_misses = st.text(DIGITS + LETTERS + "abcxyz /-.:+,@TZ\t\n٣", max_size=30)
huge = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=5), st.integers(1, 30_000)
)
arbitrary = st.one_of(st.text(), near_misses, huge)


# --- Generators of valid values, by each published rule ------------------------------------------


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    first_nine = draw(st.text(DIGITS, min_size=9, max_size=9))
    check = ids.nhs_check_digit(first_nine)
    assume(check is not None)
    return f"{first_nine}{check}"


@st.composite
def upns(draw: st.DrawFn) -> str:
    last = draw(st.sampled_from(DIGITS + ids.UPN_LETTERS))  # a letter here marks a temporary UPN
    rest = draw(st.text(DIGITS, min_size=11, max_size=11)) + last
    return ids.upn_check_letter(rest) + rest


@st.composite
def pnc_ids(draw: st.DrawFn) -> str:
    year, serial = draw(st.text(DIGITS, min_size=2, max_size=2)), draw(st.integers(0, 9_999_999))
    return f"{year}/{serial:07d}{ids.pnc_check_letter(year, f'{serial:07d}')}"


_AREA_FIRST, _AREA_SECOND = "ABCDEFGHIJKLMNOPRSTUWYZ", "ABCDEFGHKLMNOPQRSTUVWXY"
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    first, digit = draw(st.sampled_from(_AREA_FIRST)), draw(st.sampled_from(DIGITS))
    outward = draw(
        st.sampled_from(
            [
                f"{first}{digit}",
                f"{first}{digit}{draw(st.sampled_from(DIGITS + 'ABCDEFGHJKPSTUW'))}",
                f"{first}{draw(st.sampled_from(_AREA_SECOND))}{digit}",
                f"{first}{draw(st.sampled_from(_AREA_SECOND))}{digit}"
                f"{draw(st.sampled_from(DIGITS + 'ABEHMNPRVWXY'))}",
            ]
        )
    )
    unit = draw(st.text(_UNIT, min_size=2, max_size=2))
    return f"{outward} {draw(st.sampled_from(DIGITS))}{unit}"


def _pattern(layout: str) -> st.SearchStrategy[str]:
    """Text in a layout such as `LL99LLL`: L any capital letter, 9 any digit."""
    return st.tuples(*(st.sampled_from(LETTERS if c == "L" else DIGITS) for c in layout)).map(
        "".join
    )


vrms = st.sampled_from(
    ["LL99LLL", "L9LLL", "L99LLL", "L999LLL", "LLL9L", "LLL999L", "9L", "9999LLL", "L9", "LLL9999"]
).flatmap(_pattern)

uk_mobiles = st.tuples(st.sampled_from("123458"), _pattern("99999999"))  # 071-075, 078

emails = st.tuples(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=20),
    st.lists(
        st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12),
        min_size=2,
        max_size=4,
    ),
).map(lambda t: f"{t[0]}@{'.'.join(t[1])}")

dates = st.dates(min_value=dt.date(1900, 1, 1))
# Within a day of the ends of the calendar a time zone could carry the day out of range.
datetimes = st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(9999, 12, 30))


def _spaced(text: str, data: st.DataObject) -> str:
    """The same text with spaces scattered through it and a random case, as agencies type it."""
    out = "".join(c + data.draw(st.sampled_from(["", "", " "])) for c in text)
    return out.lower() if data.draw(st.booleans()) else out


# --- Valid values are accepted -------------------------------------------------------------------


@given(number=nhs_numbers(), data=st.data())
def test_nhs_numbers_built_by_the_rule_pass(number: str, data: st.DataObject) -> None:
    assert ids.nhs_number(_spaced(number, data)) == Checked(number)


@given(number=nhs_numbers(), position=st.integers(0, 9), digit=st.sampled_from(DIGITS))
def test_nhs_number_catches_every_single_digit_error(
    number: str, position: int, digit: str
) -> None:
    assume(number[position] != digit)
    wrong = number[:position] + digit + number[position + 1 :]
    assert ids.nhs_number(wrong).value is None


@given(number=upns(), data=st.data())
def test_upns_built_by_the_rule_pass(number: str, data: st.DataObject) -> None:
    assert ids.upn(_spaced(number, data)) == Checked(number)


@given(number=upns(), position=st.integers(1, 11), digit=st.sampled_from(DIGITS))
def test_upn_catches_every_single_digit_error(number: str, position: int, digit: str) -> None:
    assume(number[position] != digit)
    assert ids.upn(number[:position] + digit + number[position + 1 :]).value is None


@given(pnc=pnc_ids(), century=st.sampled_from(["19", "20"]))
def test_pnc_ids_built_by_the_rule_pass(pnc: str, century: str) -> None:
    assert ids.pnc_id(pnc) == Checked(pnc)
    assert ids.pnc_id(century + pnc.replace("/", "").lower()) == Checked(pnc)


@given(
    pnc=pnc_ids(),
    position=st.sampled_from([0, 1, 3, 4, 5, 6, 7, 8, 9]),
    digit=st.sampled_from(DIGITS),
)
def test_pnc_id_catches_every_single_digit_error(pnc: str, position: int, digit: str) -> None:
    assume(pnc[position] != digit)
    assert ids.pnc_id(pnc[:position] + digit + pnc[position + 1 :]).value is None


@given(code=postcodes(), data=st.data())
def test_postcodes_built_by_the_rules_pass_and_split(code: str, data: st.DataObject) -> None:
    assert ids.postcode(_spaced(code.replace(" ", ""), data)) == Checked(code)
    parts = ids.postcode_parts(code)
    outward, inward = code.split(" ")
    assert parts.unit == code
    assert parts.district == outward
    assert parts.sector == f"{outward} {inward[0]}"
    assert parts.area.isalpha() and outward.startswith(parts.area)
    assert outward[len(parts.area)].isdigit()


@given(mark=vrms, data=st.data())
def test_vrms_in_every_layout_pass(mark: str, data: st.DataObject) -> None:
    assert ids.vrm(_spaced(mark, data)) == Checked(mark)


@given(
    mobile=uk_mobiles, layout=st.sampled_from(["07{}{}", "+447{}{}", "0044 7{} {}", "(07{}) {}"])
)
def test_uk_mobiles_in_any_layout_become_e164(mobile: tuple[str, str], layout: str) -> None:
    prefix, rest = mobile
    assert ids.phone(layout.format(prefix, rest)) == Checked(f"+447{prefix}{rest}")


@given(address=emails)
def test_email_addresses_pass_in_lower_case(address: str) -> None:
    assume(".." not in address and not address.split("@")[1].startswith("."))
    assert ids.email(address.upper()) == Checked(address)


@given(
    day=dates,
    layout=st.sampled_from(
        ["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"]
    ),
)
def test_dates_in_every_layout_pass(day: dt.date, layout: str) -> None:
    text = _strftime(day, layout)
    assert values.date(text) == Checked(day.isoformat())
    assert values.partial_date(text) == Checked(day.isoformat())


def _strftime(day: dt.date, layout: str) -> str:
    """strftime with the year always four digits (some platforms drop leading zeros)."""
    return day.strftime(layout.replace("%Y", f"{day.year:04d}"))


@given(
    day=dates,
    layout=st.sampled_from(["{y:04d}", "{y:04d}-{m:02d}", "{y:04d}-{m}", "{m:02d}/{y:04d}"]),
)
def test_partial_dates_pass(day: dt.date, layout: str) -> None:
    text = layout.format(y=day.year, m=day.month)
    expected = f"{day.year:04d}" if layout == "{y:04d}" else f"{day.year:04d}-{day.month:02d}"
    assert values.partial_date(text) == Checked(expected)


@given(
    moment=datetimes,
    layout=st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S"]),
)
def test_local_datetimes_pass(moment: dt.datetime, layout: str) -> None:
    text = _strftime(moment, layout)
    assert values.datetime(text) == Checked(moment.replace(microsecond=0).isoformat())


@given(moment=datetimes, minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59))
def test_datetimes_with_offsets_become_uk_local_time(moment: dt.datetime, minutes: int) -> None:
    moment = moment.replace(microsecond=0)
    sign, size = ("+" if minutes >= 0 else "-"), abs(minutes)
    text = f"{_strftime(moment, '%Y-%m-%dT%H:%M:%S')}{sign}{size // 60:02d}:{size % 60:02d}"
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    local = moment.replace(tzinfo=zone).astimezone(values.UK).replace(tzinfo=None)
    expected = Checked(local.isoformat()) if local.date() >= values.EARLIEST else None
    assume(expected is not None)
    assert values.datetime(text) == expected


@given(number=st.integers(-(10**15) + 1, 10**15 - 1), commas=st.booleans())
def test_whole_numbers_pass(number: int, commas: bool) -> None:
    assert values.integer(f"{number:,}" if commas else str(number)) == Checked(str(number))


YES, NO = ("y", "yes", "true", "t", "1"), ("n", "no", "false", "f", "0")


@given(word=st.sampled_from(YES + NO), data=st.data())
def test_yes_and_no_pass_in_any_case(word: str, data: st.DataObject) -> None:
    text = "".join(c.upper() if data.draw(st.booleans()) else c for c in word)
    assert values.boolean(f" {text} ") == Checked("true" if word in YES else "false")


# --- Near misses: the shapes of real values, with any digits, letters and offsets ---------------

# `\d` in these patterns also draws digits from other scripts (Arabic-Indic, Devanagari, ...).
offsets = st.one_of(
    st.sampled_from(["", "Z", " Z"]),
    st.builds(
        "{}{:02d}{}{:02d}".format,
        st.sampled_from("+-"),
        st.integers(0, 99),
        st.sampled_from(["", ":"]),
        st.integers(0, 99),
    ),
)
datetime_texts = st.builds(
    lambda moment, layout, offset: _strftime(moment, layout) + offset,
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),  # to the end of the calendar
    st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d %b %Y %H:%M"]),
    offsets,
)
date_shapes = st.from_regex(r"\d{1,4}([-/. ]\d{1,2}){0,2}([-/. ]\d{2,4})?", fullmatch=True)
NEAR: dict[str, st.SearchStrategy[str]] = {
    "nhs_number": st.from_regex(r"\d{3} ?\d{3} ?\d{4}", fullmatch=True),
    "upn": st.from_regex(r"[A-Z]\d{11}[\dA-Z]", fullmatch=True),
    "pnc_id": st.from_regex(r"\d{2,4}/?\d{1,8}[A-Za-z]", fullmatch=True),
    "postcode": st.from_regex(r"[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}", fullmatch=True),
    "phone": st.from_regex(r"\+?[\d ()-]{5,20}", fullmatch=True),
    "email": st.from_regex(r"[^@]{1,10}@[^@]{1,10}\.[^@]{1,5}", fullmatch=True),
    "vrm": st.from_regex(r"[A-Za-z\d ]{1,9}", fullmatch=True),
    "name": st.text(),
    "date": st.one_of(date_shapes, datetime_texts),
    "partial_date": st.one_of(date_shapes, datetime_texts),
    "datetime": st.one_of(date_shapes, datetime_texts),
    "boolean": st.text(max_size=5),
    "integer": st.from_regex(r"[+-]?[\d,]{1,20}", fullmatch=True),
}

VALID: dict[str, st.SearchStrategy[str]] = {
    "nhs_number": nhs_numbers(),
    "upn": upns(),
    "pnc_id": pnc_ids(),
    "postcode": postcodes(),
    "phone": uk_mobiles.map(lambda m: f"07{m[0]} {m[1]}"),
    "email": emails,
    "vrm": vrms,
    "name": st.text(),
    "date": dates.map(lambda d: _strftime(d, "%d/%m/%Y")),
    "partial_date": dates.map(lambda d: f"{d.month}/{d.year:04d}"),
    "datetime": datetime_texts,
    "boolean": st.sampled_from(["Y", "No", "TRUE", "0"]),
    "integer": st.integers().map(str),
}


def _any_input(kind: str) -> st.SearchStrategy[str]:
    return st.one_of(arbitrary, NEAR[kind], VALID[kind])


def test_every_normaliser_has_generators() -> None:
    assert set(NEAR) == set(VALID) == set(NORMALISERS)


# --- The promises ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NORMALISERS)
@given(data=st.data())
def test_never_raises_and_answers_value_or_problem(kind: str, data: st.DataObject) -> None:
    result = NORMALISERS[kind](data.draw(_any_input(kind), label="raw"))
    assert isinstance(result, Checked)
    if result.value is None:
        assert isinstance(result.problem, str) and result.problem
    else:
        assert result.problem is None
        assert result.value == result.value.strip()
        if kind in ASCII_OUTPUT:
            assert result.value.isascii()


@pytest.mark.parametrize("kind", NORMALISERS)
@given(data=st.data())
def test_normalising_twice_changes_nothing(kind: str, data: st.DataObject) -> None:
    normalise = NORMALISERS[kind]
    first = normalise(data.draw(_any_input(kind), label="raw"))
    if first.value is not None:
        assert normalise(first.value) == Checked(first.value)


# --- the UK phone fast path agrees with libphonenumber -------------------------------------------

_PREFIXES = st.sampled_from(["0", "+44", "+44 (0)", "0044", "+44 0", "(0"])


@given(
    _PREFIXES,
    st.text(alphabet="0123456789", min_size=8, max_size=11),
    st.sampled_from(["", " ", "-", "."]),
)
def test_uk_phone_fast_path_agrees_with_libphonenumber(prefix: str, digits: str, sep: str) -> None:
    import phonenumbers

    from safeguard.contract.phones import uk_e164

    raw = prefix + sep.join([digits[:4], digits[4:]])
    fast = uk_e164(raw)
    if fast is None:
        return  # not taken by the fast path: the full library decides
    number = phonenumbers.parse(raw, "GB")
    assert phonenumbers.is_valid_number(number)
    assert fast == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

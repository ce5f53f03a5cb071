"""Hostile values for fuzzing the forms and the API: very long text, a NUL, mixed scripts with
right-to-left overrides and stacked combining marks, markup that would run or break out of an
attribute, and spreadsheet formulae (OWASP's CSV injection prefixes)."""

from __future__ import annotations

from hypothesis import strategies as st

LONG = "Zoë O'Brien-Øst " * 700  # 11,200 characters
NUL = "Katie\x00Smith"
SCRIPTS = "Кейт سميث 凯特 \u202egnp.exe\u202c e\u0301\u0301\u0301\u0301 👩\u200d👧 ﷽"
SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = "\"><img src=x onerror=alert('xss')>'"
FORMULAE = ("=CMD|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0")
VALUES = (LONG, NUL, SCRIPTS, SCRIPT, ATTRIBUTE, *FORMULAE, "\t=1+1", "\r=1+1")
#: Markup that, if it appears as it was sent in a page, was not escaped.
RAW_MARKUP = (SCRIPT, "<img src=x onerror")


def values() -> st.SearchStrategy[str]:
    """One of the hostile values, or a short text of the characters that do the harm."""
    harmful = st.text(alphabet="<>\"'&=+-@\t\r\x00\u202e\u0301ЖسZ", min_size=1, max_size=40)
    return st.one_of(st.sampled_from(VALUES), harmful)

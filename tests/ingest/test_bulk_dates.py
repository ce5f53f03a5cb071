"""The bulk date path agrees with the per-value rules on everything it takes."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from safeguard.contract import values
from safeguard.contract.fields import FieldType
from safeguard.ingest.validate import bulk_temporal

LAYOUTS = [
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%SZ",
    "%d/%m/%y",
    "%Y-%m-%d %H:%M:%S.%f",
]
MOMENTS = st.datetimes(min_value=dt.datetime(1850, 1, 1), max_value=dt.datetime(2100, 1, 1))
NOISE = st.text(alphabet="0123456789-/: T.Z", max_size=22)


@given(
    st.lists(
        st.one_of(
            st.builds(lambda m, layout: m.strftime(layout), MOMENTS, st.sampled_from(LAYOUTS)),
            NOISE,
        ),
        max_size=40,
    )
)
def test_bulk_dates_agree_with_the_rules(texts: list[str]) -> None:
    array = pa.array(texts, pa.string())
    for kind, rule in (
        (FieldType.DATETIME, values.datetime),
        (FieldType.DATE, values.date),
        (FieldType.PARTIAL_DATE, values.partial_date),
    ):
        for text, fast in zip(texts, bulk_temporal(kind, array).to_pylist(), strict=True):
            if fast is not None:
                assert rule(text).value == fast, (kind, text)


def test_bulk_dates_take_common_layouts_and_leave_the_rest() -> None:
    texts = [
        "2024-01-05T10:30:00",
        "05/01/2024 10:30",
        "2024-02-30T10:00:00",
        "5/1/2024 10:30",
        "2024-01-05T10:30:00Z",
        "1899-12-31T00:00:00",
    ]
    got = bulk_temporal(FieldType.DATETIME, pa.array(texts)).to_pylist()
    assert got == ["2024-01-05T10:30:00", "2024-01-05T10:30:00", None, None, None, None]

"""The shortcuts taken in writing results for speed write exactly what the general path writes."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gaoqi.rules.results import format_number
from gaoqi.rules.tests.test_properties import SETTINGS

UNITS = ["yuan", "persons", "items", "days", "points", "count", "precise", "percent", "", "ratio", "fen"]
WHOLE = st.one_of(
    st.integers(-(10**15), 10**15),
    st.integers(-(10**15), 10**15).map(float),
    st.sampled_from([0, 0.0, -0.0, 1, -1, 999_999_999_999_999.0, 1e15, 2**53]),
)


@SETTINGS
@given(WHOLE, st.sampled_from(UNITS), st.booleans())
def test_a_whole_number_is_written_as_the_decimal_rounding_writes_it(value: float, unit: str, gap: bool) -> None:
    # a Decimal takes the general path: the same number, rounded by the decimal module
    general = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    assert format_number(value, unit, gap=gap) == format_number(general, unit, gap=gap)  # type: ignore[arg-type]

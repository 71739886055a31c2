"""One enterprise as a row of plain values reaches the rules without a frame, with the same results as a frame."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gaoqi.rules import evaluate, facts_frame
from gaoqi.rules.tests.test_properties import AS_OF, SETTINGS, _comparable, _same, enterprise


def _equal(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    if len(a) != len(b):
        return False
    return all(x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x) for x, y in zip(a, b, strict=True))


@SETTINGS
@given(st.lists(enterprise(), min_size=1, max_size=3))
def test_rows_and_frame_give_the_same_results(rows: list[dict[str, Any]]) -> None:
    from_rows = evaluate(rows, as_of=AS_OF)
    from_frame = evaluate(facts_frame(rows), as_of=AS_OF)
    assert from_rows.frame.schema == from_frame.frame.schema
    assert _equal(_comparable(from_rows.frame), _comparable(from_frame.frame))
    assert from_rows.to_dict(0) == from_frame.to_dict(0)


def test_values_not_of_their_facts_type_are_converted_as_a_frame_converts_them() -> None:
    # staff counts are Float64 facts (full-time equivalents): whole numbers given as int are read as floats
    row = {"registered_on": date(2019, 4, 2), "staff_total_y3": 200, "staff_st_y3": 20, "uscc": "91440700MA0000000X"}
    as_frame = evaluate(facts_frame([row]), program="hnte", as_of=AS_OF)
    as_row = evaluate([row], program="hnte", as_of=AS_OF)
    assert as_row.to_dict(0) == as_frame.to_dict(0)
    assert as_row.frame["uscc"].to_list() == ["91440700MA0000000X"]
    staff = {c["id"]: c for c in as_row.to_dict(0)["programs"]["hnte"]["criteria"]}["st_staff_share"]
    assert staff["value"] == "0.10"


def test_many_rows_are_screened_by_polars() -> None:
    rows = [{"registered_on": date(2019, 4, 2)}] * 100
    results = evaluate(rows, program="hnte", as_of=AS_OF, explain=False)
    assert results.polars_frame is not None
    assert results.frame.height == 100

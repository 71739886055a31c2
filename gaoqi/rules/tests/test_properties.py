"""Properties that hold for any enterprise: batch equals one-by-one, row order is irrelevant, more R&D never hurts."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoqi.rules import evaluate, facts_frame
from gaoqi.rules.engine import PROGRAMS
from gaoqi.rules.facts import FACTS, RD_BREAKDOWN

AS_OF = date(2025, 6, 30)
SETTINGS = settings(
    max_examples=int(os.environ.get("GAOQI_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _value(draw: st.DrawFn, name: str) -> Any:
    fact = FACTS[name]
    if fact.dtype == pl.Boolean:
        return draw(st.booleans())
    if fact.dtype == pl.Date:
        return AS_OF - timedelta(days=draw(st.integers(0, 15 * 365)))
    if fact.choices:
        return draw(st.sampled_from(fact.choices))
    if fact.dtype == pl.String:
        return None
    low = int(fact.minimum) if fact.minimum is not None else -(10**9)
    high = int(fact.maximum) if fact.maximum is not None else (10**9 if fact.unit == "yuan" else 500)
    if fact.dtype == pl.Float64:
        return draw(st.floats(low, high, allow_nan=False)) if fact.unit != "ratio" else draw(st.floats(0, 1))
    return draw(st.integers(low, high))


@st.composite
def enterprise(draw: st.DrawFn) -> dict[str, Any]:
    """Any facts row: each fact present or unknown, parts never above their wholes (the reader rejects that)."""
    names = [n for n in FACTS if FACTS[n].dtype != pl.String or FACTS[n].choices]
    present = draw(st.sets(st.sampled_from(names), min_size=len(names) // 2))
    row = {name: _value(draw, name) for name in present}
    for k in (1, 2, 3):
        for part, whole in (
            ("staff_st", "staff_total"),
            ("staff_rd", "staff_total"),
            ("rd_expense_domestic", "rd_expense"),
        ):
            if row.get(f"{part}_y{k}") is not None and row.get(f"{whole}_y{k}") is not None:
                row[f"{part}_y{k}"] = min(row[f"{part}_y{k}"], row[f"{whole}_y{k}"])
        # a breakdown item not given is none, so the part entrusted to individuals is bounded even then
        individuals = f"rd_entrusted_overseas_individuals_y{k}"
        if row.get(individuals) is not None:
            row[individuals] = min(row[individuals], row.get(f"rd_entrusted_overseas_y{k}") or 0)
    return row


def _comparable(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.drop([c for c in frame.columns if c in ("uscc", "name")]).to_dicts()


@SETTINGS
@given(st.lists(enterprise(), min_size=1, max_size=6))
def test_batch_and_one_by_one_agree(rows: list[dict[str, Any]]) -> None:
    """The batch executor (Polars) and the one-enterprise executor (compiled Python) give the same results."""
    batch = _comparable(evaluate(facts_frame(rows), as_of=AS_OF, backend="polars").frame)
    single = [_comparable(evaluate(facts_frame([row]), as_of=AS_OF, backend="python").frame)[0] for row in rows]
    for one, many in zip(single, batch, strict=True):
        assert one.keys() == many.keys()
        different = {k: (one[k], many[k]) for k in one if not _same(one[k], many[k])}
        assert not different


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b) or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return bool(a == b) and type(a) is type(b)


@SETTINGS
@given(st.lists(enterprise(), min_size=2, max_size=8), st.randoms(use_true_random=False))
def test_outcomes_do_not_depend_on_row_order(rows: list[dict[str, Any]], random: Any) -> None:
    order = list(range(len(rows)))
    random.shuffle(order)
    straight = _comparable(evaluate(facts_frame(rows), as_of=AS_OF, backend="polars").frame)
    shuffled = _comparable(evaluate(facts_frame([rows[i] for i in order]), as_of=AS_OF, backend="polars").frame)
    for position, row in enumerate(order):
        different = {k: (straight[row][k], v) for k, v in shuffled[position].items() if not _same(straight[row][k], v)}
        assert not different


RD_CRITERIA = [
    (program.name, c.id)
    for program in PROGRAMS.values()
    for c in program.criteria
    if "rd" in c.id and "staff" not in c.id
]


def _more_rd(row: dict[str, Any], extra: int) -> dict[str, Any]:
    """The same enterprise with ``extra`` yuan more domestic R&D personnel cost in every year it reports R&D.

    A year given as totals gets the amount on every total it states; a year given as a breakdown gets it on the
    personnel line — unless it also states its own domestic or tax-caliber total, which would then no longer describe
    the same breakdown (the HNTE caliber lets more personnel cost raise the other-expense cap, so the derived total can
    grow by more than a stated domestic part), and such a year is left as it is.
    """
    more = dict(row)
    for k in (1, 2, 3):
        breakdown = any(more.get(f"rd_{key}_y{k}") is not None for key in RD_BREAKDOWN)
        stated = [f"rd_expense_y{k}", f"rd_expense_domestic_y{k}", f"rd_expense_tax_y{k}"]
        if breakdown and any(more.get(name) is not None for name in stated[1:]):
            continue
        names = [f"rd_personnel_y{k}"] if breakdown else stated
        for name in names:
            if more.get(name) is not None:
                more[name] += extra
    return more


@SETTINGS
@given(enterprise(), st.integers(1, 10**8))
def test_more_rd_never_turns_a_pass_into_a_fail(row: dict[str, Any], extra: int) -> None:
    assert RD_CRITERIA, "no R&D criteria found"
    before = evaluate(facts_frame([row]), as_of=AS_OF).frame.row(0, named=True)
    after = evaluate(facts_frame([_more_rd(row, extra)]), as_of=AS_OF).frame.row(0, named=True)
    for program, criterion in RD_CRITERIA:
        column = f"{program}.{criterion}.passed"
        if column in before and before[column] is True:
            assert after[column] is True, f"{column} turned from pass to {after[column]} with {extra} yuan more R&D"

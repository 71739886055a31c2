"""Every result row agrees with itself: for any enterprise, every criterion of every program shows a value, threshold
and comparison that give its outcome, a positive gap only on a fail, and an id of its own within its program."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gaoqi.rules import evaluate, facts_frame
from gaoqi.rules.tests.test_properties import SETTINGS, enterprise

COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
PLAIN = re.compile(r"-?\d+(\.\d+)?")
"""How a number is written for people: digits and a decimal point, never exponent notation such as ``0E-8``."""
DATES = (date(2025, 6, 30), date(2026, 9, 30))
"""One date under each regime of the quality-SME tiers."""


def disagreements(row: dict[str, Any]) -> list[str]:
    """What a criterion row (or one of its parts) shows that contradicts its own outcome."""
    found = []
    outcome, value, threshold, gap = row["outcome"], row["value"], row["threshold"], row["gap"]
    shown_numbers = [n for n in (value, threshold, gap, row.get("value_max")) if n is not None]
    found += [f"{n} is not written as a plain decimal" for n in shown_numbers if not PLAIN.fullmatch(n)]
    if outcome in ("pass", "fail") and value is not None and threshold is not None:
        # a range passes by its lower end and fails by its upper end
        shown = row["value_max"] if outcome == "fail" and row.get("value_max") is not None else value
        if COMPARE[row["comparison"]](Decimal(shown), Decimal(threshold)) != (outcome == "pass"):
            found.append(f"{outcome} although {shown} {row['comparison']} {threshold}")
    if outcome == "fail" and gap is not None and Decimal(gap) <= 0:
        found.append(f"a gap of {gap} on a fail")
    if outcome != "fail" and gap is not None:
        found.append(f"a gap of {gap} on {outcome}")
    return found


def inconsistencies(document: dict[str, Any]) -> list[str]:
    found = []
    for name, program in document["programs"].items():
        ids = [c["id"] for c in program["criteria"]]
        found += [f"{name}: id {i} twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        for c in program["criteria"]:
            found += [f"{name}.{c['id']}: {d}" for d in disagreements(c)]
            for part in c.get("parts", []):
                found += [f"{name}.{c['id']} ({part['label']}): {d}" for d in disagreements(part)]
    return found


@SETTINGS
@given(st.lists(enterprise(), min_size=1, max_size=4), st.sampled_from(DATES))
def test_every_row_agrees_with_itself(rows: list[dict[str, Any]], as_of: date) -> None:
    # the one-enterprise executor: fast, and test_properties checks that it agrees with Polars
    results = evaluate(facts_frame(rows), as_of=as_of, backend="python")
    for i in range(len(rows)):
        assert not inconsistencies(results.to_dict(i))


def test_little_giant_direct_routes_keep_their_own_ids() -> None:
    """A national award meets three 创新能力 criteria of the 2022 little giant at once; each keeps its id."""
    row: dict[str, object] = {"num_awards_national_top3_3y": 1, "num_maker_china_top50_3y": 0}
    criteria = evaluate(facts_frame([row]), program="little_giant", as_of=DATES[0]).to_dict()["programs"]
    ids = [c["id"] for c in criteria["little_giant"]["criteria"]]
    assert len(ids) == len(set(ids))
    assert {"rd_expense", "rd_institution", "class_1_ip"} <= set(ids)


def test_the_issue_examples_agree_with_themselves() -> None:
    """The synthetic city of the demo: no row contradicts itself (the examples of issue 7 came from it)."""
    from gaoqi.rules.synthetic import population

    for as_of in DATES:
        frame = population(300, seed=7, as_of=as_of)
        results = evaluate(frame, as_of=as_of)
        found = [f for i in range(frame.height) for f in inconsistencies(results.to_dict(i))]
        assert not found, found[:10]

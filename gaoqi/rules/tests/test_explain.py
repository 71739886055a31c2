"""Screening without explanations (``evaluate(..., explain=False)``) decides exactly as the explained evaluation."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from gaoqi.rules import evaluate
from gaoqi.rules.engine import PROGRAMS
from gaoqi.rules.synthetic import population

# one date in each regime of the SME programs (2022 rules; 2026 rules) and one before the super deduction's 2023 rate
DATES = [date(2022, 12, 31), date(2025, 6, 30), date(2026, 6, 30)]


@pytest.fixture(scope="module", params=DATES, ids=str)
def city(request: pytest.FixtureRequest) -> tuple[date, pl.DataFrame]:
    return request.param, population(3_000, seed=7, as_of=request.param)


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_outcomes_and_scores_equal_the_explained_run(city: tuple[date, pl.DataFrame], program: str) -> None:
    as_of, facts = city
    explained = evaluate(facts, program=program, as_of=as_of).frame
    screened = evaluate(facts, program=program, as_of=as_of, explain=False).frame
    assert screened.columns == [c for c in explained.columns if c in screened.columns]
    assert f"{program}.outcome" in screened.columns
    assert screened.equals(explained.select(screened.columns))
    # the criteria pass and fail in this city, so the programs' outcomes are not decided by constants
    assert explained.select(pl.col(r"^.*\.passed$")).unpivot()["value"].n_unique() > 1


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_one_enterprise_without_explanations_equals_the_batch(city: tuple[date, pl.DataFrame], program: str) -> None:
    as_of, facts = city
    few = facts.head(40)
    batch = evaluate(few, program=program, as_of=as_of, explain=False, backend="polars").frame
    rows = evaluate(few, program=program, as_of=as_of, explain=False, backend="python").frame
    assert rows.equals(batch)


def test_no_explanation_column_is_computed() -> None:
    screened = evaluate(population(10, as_of=DATES[1]), as_of=DATES[1], explain=False).frame
    kinds = {c.rsplit(".", 1)[-1] for c in screened.columns if c.count(".") == 2}
    assert not kinds & {"passed", "value", "threshold", "gap", "missing", "notes"}
    assert {f"{name}.outcome" for name in PROGRAMS} <= set(screened.columns)
    assert {"hnte.score_min", "hnte.score_max", "uscc", "name"} <= set(screened.columns)


@pytest.mark.parametrize("backend", ["polars", "python"])
def test_explanations_in_words_are_refused_without_them(backend: str) -> None:
    facts = population(3, as_of=DATES[1])
    results = evaluate(facts, as_of=DATES[1], explain=False, backend=backend)  # type: ignore[arg-type]
    assert results.outcome(0, "hnte") in ("pass", "fail", "undetermined")
    with pytest.raises(ValueError, match="explain=False"):
        results.to_dict(0)

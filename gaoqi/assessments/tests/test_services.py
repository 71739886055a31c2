"""What-if evaluates a changed copy and leaves the document as it was; saving stores what the server computed."""

from __future__ import annotations

import copy

import pytest

from gaoqi.assessments.services import assessment_evaluate, assessment_what_if
from gaoqi.rules.ingest import InputError

DOCUMENT = {
    "as_of": "2025-06-30",
    "years": {
        "2022": {"sales_revenue": "30000000", "rd_expense": "1500000"},
        "2023": {"sales_revenue": "42000000", "rd_expense": "2000000"},
        "2024": {"sales_revenue": "50000000", "rd_breakdown": {"personnel": "1500000", "direct": "500000"}},
    },
}


def _rd_ratio(result: dict) -> dict:
    return next(c for c in result["programs"]["hnte"]["criteria"] if c["id"] == "rd_expense_ratio")


def test_a_what_if_changes_a_copy_and_a_total_replaces_the_breakdown() -> None:
    before = copy.deepcopy(DOCUMENT)
    evaluation = assessment_what_if(document=DOCUMENT, changes={"rd_expense": "2600000", "sales_revenue": " "})

    assert before == DOCUMENT  # unchanged
    assert evaluation.document["years"]["2024"] == {"sales_revenue": "50000000", "rd_expense": "2600000"}
    assert _rd_ratio(evaluation.result)["outcome"] == "pass"  # 6,100,000 of 122,000,000 is exactly 5 %
    assert _rd_ratio(assessment_evaluate(document=DOCUMENT).result)["outcome"] == "fail"


def test_a_what_if_one_yuan_short_of_the_threshold_fails_with_a_one_yuan_gap() -> None:
    result = assessment_what_if(document=DOCUMENT, changes={"rd_expense": "2599999"}).result
    assert _rd_ratio(result)["outcome"] == "fail" and _rd_ratio(result)["gap"] == "1"


def test_a_what_if_names_a_bad_figure_by_its_place_in_the_document() -> None:
    with pytest.raises(InputError) as caught:
        assessment_what_if(document=DOCUMENT, changes={"sales_revenue": "很多"})
    assert [p.path for p in caught.value.problems] == ["years.2024.sales_revenue"]

"""The results page in words: a criterion with several parts shows the one that decides and lists them all."""

from __future__ import annotations

from datetime import date

from gaoqi.assessments.selectors import results_display
from gaoqi.rules import evaluate, facts_frame


def test_a_criterion_with_several_caps_lists_each_with_its_outcome_and_the_excess_of_the_one_exceeded() -> None:
    row: dict[str, object] = {"staff_total_y3": 88, "sales_revenue_y3": 50_000_000, "total_assets_y3": 250_000_000}
    result = evaluate(facts_frame([row]), program="tsme", as_of=date(2025, 6, 30)).to_dict()
    (size,) = [c for c in results_display(result)["programs"][0]["criteria"] if c["id"] == "size_caps"]
    assert size["part"] == "资产总额不超过2亿元"
    assert size["value"] == "250,000,000 元" and size["requirement"] == "≤ 200,000,000 元"
    parts = {part["label"]: part for part in size["parts"]}
    assert parts["职工总数不超过500人"]["outcome"] == "pass" and parts["职工总数不超过500人"]["value"] == "88 人"
    assert parts["资产总额不超过2亿元"]["outcome"] == "fail"
    assert parts["资产总额不超过2亿元"]["gap"] == "超出 50,000,000 元"


def test_a_criterion_without_parts_lists_none() -> None:
    result = evaluate(facts_frame([{"staff_total_y3": 88}]), program="tsme", as_of=date(2025, 6, 30)).to_dict()
    (resident,) = [c for c in results_display(result)["programs"][0]["criteria"] if c["id"] == "mainland_resident"]
    assert resident["parts"] == []

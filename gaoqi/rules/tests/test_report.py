"""The text report shows, for a criterion with parts, the part that decides, in its own unit and direction."""

from __future__ import annotations

from datetime import date

from gaoqi.rules import evaluate, facts_frame
from gaoqi.rules.report import render

AS_OF = date(2025, 6, 30)


def _report(row: dict[str, object], program: str) -> str:
    return render(evaluate(facts_frame([row]), program=program, as_of=AS_OF).to_dict())


def test_a_cap_exceeded_in_yuan_is_shown_with_its_excess() -> None:
    text = _report({"staff_total_y3": 88, "sales_revenue_y3": 50_000_000, "total_assets_y3": 250_000_000}, "tsme")
    assert "250,000,000 元（要求 ≤ 200,000,000 元）" in text
    assert "决定结果的一项：资产总额不超过2亿元" in text
    assert "超出 50,000,000 元" in text
    assert "88 人" not in text


def test_a_direct_route_shows_no_score_against_the_pass_mark() -> None:
    text = _report({"hnte_issued_on": date(2023, 12, 1), "has_certificate_record": True}, "tsme")
    assert "符合直接认定条件" in text
    assert "（要求 ≥ 60 分）" not in text.split("符合直接认定条件")[1].split("\n")[0]

"""Conditions (一)–(四) of 《科技型中小企业评价办法》（国科发政〔2017〕115号）第六条.

They hold for every tech-based SME, including one confirmed directly under art. 8 ("符合第六条第（一）～（四）项条件的
企业……可直接确认"): a high-tech enterprise with 600 staff is not a tech-based SME. Condition (五), the score, is in
:mod:`.score`. The data year is year 3, the accounting year before the evaluation.
"""

from __future__ import annotations

import polars as pl

from gaoqi.rules.engine import Condition, Note, Part
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import col_y
from gaoqi.rules.programs.tsme.program import tsme


def _yuan_words(amount: int) -> str:
    """2亿元, 5,000万元 — the cap as the text writes it, for notes."""
    if amount % 100_000_000 == 0:
        return f"{amount // 100_000_000}亿元"
    return f"{amount / 10_000:,.0f}万元"


@tsme.criterion(
    "mainland_resident",
    label="在中国境内（不包括港、澳、台地区）注册的居民企业",
    citation="国科发政〔2017〕115号 第六条（一）",
)
def mainland_resident(p: Parameters) -> Condition:
    """第六条第（一）项：在中国境内（不包括港、澳、台地区）注册的居民企业。"""
    return Condition(passed=pl.col("is_mainland_resident"), needs=["is_mainland_resident"])


@tsme.criterion(
    "size_caps",
    label="职工总数不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元",
    citation="国科发政〔2017〕115号 第六条（二）、第九条（二）（四）",
    value_unit="persons",
    gap_unit="persons",
    comparison="<=",
)
def size_caps(p: Parameters) -> Condition:
    """第六条第（二）项：职工总数不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元。

    "不超过" includes the number: exactly 500 staff or exactly 2亿元 passes. Staff is the year-3 average, sales
    revenue (主营业务与其他业务收入之和，第九条第（四）项) and total assets those of year 3. The caps apply to the
    direct routes of art. 8 as well.

    The three caps are the parts of the criterion: the row shows the first cap exceeded (or, on a pass, the staff
    cap), and the gap is the amount over that cap.
    """
    staff_max, sales_max, assets_max = p.tsme.staff_total_max, p.tsme.sales_revenue_max, p.tsme.total_assets_max
    staff, sales, assets = col_y("staff_total", 3), col_y("sales_revenue", 3), col_y("total_assets", 3)
    parts = [
        _cap(f"职工总数不超过{staff_max}人", staff, staff_max, "persons"),
        _cap(f"年销售收入不超过{_yuan_words(sales_max)}", sales, sales_max, "yuan"),
        _cap(f"资产总额不超过{_yuan_words(assets_max)}", assets, assets_max, "yuan"),
    ]
    return Condition(
        passed=pl.all_horizontal([part.passed for part in parts]),
        parts=parts,
        needs=["staff_total_y3", "sales_revenue_y3", "total_assets_y3"],
        notes=[
            Note(f"职工总数超过{staff_max}人。", staff > staff_max),
            Note(f"年销售收入超过{_yuan_words(sales_max)}。", sales > sales_max),
            Note(f"资产总额超过{_yuan_words(assets_max)}。", assets > assets_max),
        ],
    )


def _cap(label: str, value: pl.Expr, cap: int, unit: str) -> Part:
    """不超过: the cap itself passes; the gap is how far the value is over it."""
    return Part(
        label,
        value <= cap,
        value=value,
        threshold=pl.lit(cap),
        gap=value - cap,
        unit=unit,
        gap_unit=unit,
        comparison="<=",
    )


def _excess(column: str, cap: int) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value > cap).then(value - cap)


tsme.output("sales_revenue_excess", unit="yuan")(lambda p: _excess("sales_revenue_y3", p.tsme.sales_revenue_max))
tsme.output("total_assets_excess", unit="yuan")(lambda p: _excess("total_assets_y3", p.tsme.total_assets_max))


@tsme.criterion(
    "not_prohibited",
    label="企业提供的产品和服务不属于国家规定的禁止、限制和淘汰类",
    citation="国科发政〔2017〕115号 第六条（三）",
)
def not_prohibited(p: Parameters) -> Condition:
    """第六条第（三）项：企业提供的产品和服务不属于国家规定的禁止、限制和淘汰类。"""
    return Condition(passed=pl.col("has_prohibited_products").not_(), needs=["has_prohibited_products"])


@tsme.criterion(
    "clean_record",
    label="上一年及当年内未发生重大事故、严重环境违法、科研严重失信行为，且未列入经营异常名录和严重违法失信企业名单",
    citation="国科发政〔2017〕115号 第六条（四）",
    value_unit="count",
    comparison="==",
)
def clean_record(p: Parameters) -> Condition:
    """第六条第（四）项：企业在填报上一年及当年内未发生重大安全、重大质量事故和严重环境违法、科研严重失信行为，
    且企业未列入经营异常名录和严重违法失信企业名单。

    Interpretation: "填报上一年及当年" is the calendar year before the evaluation and the evaluation year up to the
    evaluation date; research misconduct and the two lists are read as the enterprise's status on the evaluation
    date. Any one known violation fails the condition even when the others are unknown. The value is the number of
    violations (incidents plus each flag that holds), required to be 0.
    """
    incidents = pl.col("num_major_incidents_this_and_last_year")
    misconduct, abnormal, dishonest = (
        pl.col("has_research_misconduct"),
        pl.col("is_on_abnormal_list"),
        pl.col("is_seriously_dishonest"),
    )
    passed = (incidents == 0) & misconduct.not_() & abnormal.not_() & dishonest.not_()
    # the value is the number of violations: incidents plus each list or misconduct flag that holds
    flags = [flag.cast(pl.Int64) for flag in (misconduct, abnormal, dishonest)]
    violations = incidents + flags[0] + flags[1] + flags[2]
    known = pl.sum_horizontal(incidents, *flags)  # a known violation is shown even when another fact is unknown
    return Condition(
        passed=passed,
        value=pl.coalesce(violations, pl.when(passed.not_()).then(known)),
        threshold=pl.lit(0),
        needs=[
            "num_major_incidents_this_and_last_year",
            "has_research_misconduct",
            "is_on_abnormal_list",
            "is_seriously_dishonest",
        ],
        notes=[
            Note("上一年或当年发生重大安全、重大质量事故或严重环境违法行为。", incidents > 0),
            Note("有科研严重失信行为。", misconduct),
            Note("列入经营异常名录。", abnormal),
            Note("列入严重违法失信企业名单。", dishonest),
        ],
    )

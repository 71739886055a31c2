"""The eight conditions of 《高新技术企业认定管理办法》（国科发火〔2016〕32号）第十一条 (C1–C8).

C5 is two criteria (the tiered R&D ratio and the 60 % domestic share), so the program has nine criterion ids, as
``shared/reference/facts.md`` lists them. The innovation score (C7) is computed in :mod:`.score`.
"""

from __future__ import annotations

import math

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note
from gaoqi.rules.facts import YEARS
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import HNTE_UNIT, has_breakdown, hnte_rd_units
from gaoqi.rules.programs.common import (
    ceil_div,
    col_y,
    fraction,
    is_active,
    num_active_years,
    ratio,
    share_at_least,
    staff_share_at_least,
    sum_active_years,
)
from gaoqi.rules.programs.hnte.program import hnte


@hnte.derive
def rd_sums(p: Parameters) -> dict[str, pl.Expr]:
    """Three-year R&D and domestic R&D on the HNTE caliber (1/20 yuan), counting only years the firm existed."""
    rd_total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    domestic_total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for k in YEARS:
        rd, domestic = hnte_rd_units(k, p)
        rd_total = rd_total + pl.when(is_active(k, p)).then(rd).otherwise(0)
        domestic_total = domestic_total + pl.when(is_active(k, p)).then(domestic).otherwise(0)
    return {
        "_hnte_rd": rd_total,
        "_hnte_rd_domestic": domestic_total,
        "_hnte_sales": sum_active_years("sales_revenue", p)[0],
    }


def _rd_needs(p: Parameters, *, domestic: bool = False) -> list[Need]:
    """A year's R&D is missing when the firm existed, gave no breakdown and no total."""
    base = "rd_expense_domestic" if domestic else "rd_expense"
    return [Need(f"{base}_y{k}", is_active(k, p) & has_breakdown(k).not_()) for k in YEARS]


def _short_history(p: Parameters) -> Note:
    return Note(
        "成立不满三个会计年度，按实际经营年度计算（32号第十一条第（五）项）。", num_active_years(p) < len(YEARS)
    )


@hnte.criterion(
    "registered_365_days",
    label="注册成立一年以上",
    citation="国科发火〔2016〕32号 第十一条（一）；国科发火〔2016〕195号 三（一）",
    value_unit="days",
    gap_unit="days",
)
def registered_365_days(p: Parameters) -> Condition:
    """第十一条第（一）项：企业申请认定时须注册成立一年以上。

    Interpretation (195号 三（一）): at least 365 calendar days from registration to the application date.
    """
    days = (pl.lit(p.on) - pl.col("registered_on")).dt.total_days()
    minimum = p.hnte.min_days_registered
    return Condition(
        passed=days >= minimum, value=days, threshold=pl.lit(minimum), gap=minimum - days, needs=["registered_on"]
    )


@hnte.criterion(
    "owns_core_ip",
    label="拥有对主要产品（服务）发挥核心支持作用的知识产权",
    citation="国科发火〔2016〕32号 第十一条（二）；国科发火〔2016〕195号 三（八）",
    value_unit="items",
    gap_unit="items",
)
def owns_core_ip(p: Parameters) -> Condition:
    """第十一条第（二）项：企业通过自主研发、受让、受赠、并购等方式，获得对其主要产品（服务）在技术上发挥核心支持
    作用的知识产权的所有权。

    Interpretation: only IP granted by the evaluation date counts; a Class II item already used in an earlier
    recognition does not (195号 三（八）). Whether an item supports the main products is the enterprise's or the
    experts' statement; unstated items leave the criterion undetermined rather than failed.
    """
    core = pl.col("ip_core")
    eligible = pl.col("ip_class_1") + pl.col("ip_class_2_unused")
    passed = (
        pl.when(core >= 1)
        .then(True)
        .when((eligible == 0) | (pl.col("ip_core_unknown") == 0))
        .then(False)
        .otherwise(None)
    )
    used = pl.col("ip_class_2") > pl.col("ip_class_2_unused")
    return Condition(
        passed=passed,
        value=core,
        threshold=pl.lit(1),
        gap=1 - core,
        needs=["ip_core", "ip_class_1", "ip_class_2_unused"],
        notes=[Note("已在以往认定中使用过的Ⅱ类知识产权不再计入（195号 三（八））。", used)],
    )


@hnte.criterion(
    "priority_domain",
    label="核心技术属于《国家重点支持的高新技术领域》",
    citation="国科发火〔2016〕32号 第十一条（三）及附件",
    value_unit="code",
    comparison="in",
)
def priority_domain(p: Parameters) -> Condition:
    """第十一条第（三）项：对企业主要产品（服务）发挥核心支持作用的技术属于《国家重点支持的高新技术领域》规定的范围。"""
    domain = pl.col("hnte_domain")
    return Condition(passed=domain.is_between(1, 8), value=domain, needs=["hnte_domain"])


@hnte.criterion(
    "st_staff_share",
    label="科技人员占当年职工总数的比例",
    citation="国科发火〔2016〕32号 第十一条（四）；国科发火〔2016〕195号 三（五）",
    value_unit="ratio",
    gap_unit="persons",
)
def st_staff_share(p: Parameters) -> Condition:
    """第十一条第（四）项：企业从事研发和相关技术创新活动的科技人员占企业当年职工总数的比例不低于10%。

    Interpretation (195号 三（五）): both counts are yearly averages of monthly averages of staff who worked
    183 days or more; the gap is the number of additional S&T staff, who also raise the total.
    """
    st, total = col_y("staff_st", 3), col_y("staff_total", 3)
    pct = p.hnte.st_staff_share_min
    f = fraction(pct) / 100
    needed = ((total * float(f) - st) / float(1 - f)).ceil()
    return Condition(
        passed=(total > 0) & staff_share_at_least(st, total, pct),
        value=ratio(st, total),
        threshold=pl.lit(float(f)),
        gap=pl.max_horizontal(needed, pl.lit(1.0)),
        needs=["staff_st_y3", "staff_total_y3"],
    )


def _rd_tier_pct(p: Parameters) -> tuple[pl.Expr, int]:
    """The percentage required by the latest year's sales, as an integer column scaled by a common denominator."""
    latest = col_y("sales_revenue", 3)
    small, medium, large = (
        fraction(p.hnte.rd_ratio_small),
        fraction(p.hnte.rd_ratio_medium),
        fraction(p.hnte.rd_ratio_large),
    )
    scale = math.lcm(small.denominator, medium.denominator, large.denominator)
    tier = (
        pl.when(latest <= p.hnte.rd_tier_small_sales_max)
        .then(int(small * scale))
        .when(latest <= p.hnte.rd_tier_medium_sales_max)
        .then(int(medium * scale))
        .otherwise(int(large * scale))
    )
    return tier, scale


@hnte.criterion(
    "rd_expense_ratio",
    label="近三个会计年度研究开发费用总额占同期销售收入总额的比例",
    citation="国科发火〔2016〕32号 第十一条（五）；国科发火〔2016〕195号 三（六）",
    value_unit="ratio",
    gap_unit="yuan",
)
def rd_expense_ratio(p: Parameters) -> Condition:
    """第十一条第（五）项：企业近三个会计年度的研究开发费用总额占同期销售收入总额的比例符合如下要求：
    1. 最近一年销售收入小于5,000万元（含）的企业，比例不低于5%；
    2. 最近一年销售收入在5,000万元至2亿元（含）的企业，比例不低于4%；
    3. 最近一年销售收入在2亿元以上的企业，比例不低于3%。

    Interpretation: the ratio is pooled (three-year sums), the tier is chosen by year 3 alone; R&D from a
    breakdown is on the 195号 caliber (entrusted × 80 %, other ≤ 20 %).
    """
    rd, sales = pl.col("_hnte_rd"), pl.col("_hnte_sales")
    _, sales_needs = sum_active_years("sales_revenue", p)
    pct, scale = _rd_tier_pct(p)  # pct / scale = the required percentage
    # R&D still needed, in whole yuan: ⌈sales × pct − rd⌉ (rd in 1/20 yuan)
    deficit = sales * HNTE_UNIT * pct - rd * (100 * scale)
    return Condition(
        passed=(sales > 0) & (rd * (100 * scale) >= sales * HNTE_UNIT * pct),
        value=ratio(rd, sales * HNTE_UNIT),
        threshold=pct / (100 * scale),
        # no sales, no ratio and no amount of R&D to reach it: the gap is left empty rather than shown as 0 yuan
        gap=pl.when(sales > 0).then(ceil_div(deficit, HNTE_UNIT * 100 * scale)),
        needs=[*_rd_needs(p), *sales_needs],
        notes=[_short_history(p)],
    )


@hnte.criterion(
    "domestic_rd_share",
    label="在中国境内发生的研究开发费用总额占全部研究开发费用总额的比例",
    citation="国科发火〔2016〕32号 第十一条（五）；国科发火〔2016〕195号 三（六）3",
    value_unit="ratio",
    gap_unit="yuan",
)
def domestic_rd_share(p: Parameters) -> Condition:
    """第十一条第（五）项：其中，企业在中国境内发生的研究开发费用总额占全部研究开发费用总额的比例不低于60%。

    Interpretation: R&D entrusted to overseas organisations or individuals (incl. HK, Macao, Taiwan) counts in the
    total at 80 % but not in the domestic part; the gap is additional domestic R&D, which also raises the total.
    """
    rd, domestic = pl.col("_hnte_rd"), pl.col("_hnte_rd_domestic")
    pct = fraction(p.hnte.domestic_rd_share_min)
    deficit = rd * pct.numerator - domestic * (100 * pct.denominator)
    per_yuan = (100 * pct.denominator - pct.numerator) * HNTE_UNIT
    return Condition(
        passed=(rd > 0) & share_at_least(domestic, rd, pct),
        value=ratio(domestic, rd),
        threshold=pl.lit(float(pct) / 100),
        gap=pl.max_horizontal(ceil_div(deficit, per_yuan), pl.lit(1)),
        needs=[*_rd_needs(p), *_rd_needs(p, domestic=True)],
        notes=[_short_history(p)],
    )


@hnte.criterion(
    "hightech_income_share",
    label="近一年高新技术产品（服务）收入占同期总收入的比例",
    citation="国科发火〔2016〕32号 第十一条（六）；国科发火〔2016〕195号 三（四）",
    value_unit="ratio",
    gap_unit="yuan",
)
def hightech_income_share(p: Parameters) -> Condition:
    """第十一条第（六）项：近一年高新技术产品（服务）收入占企业同期总收入的比例不低于60%。

    Interpretation (195号 三（四）): total income = 收入总额 − 不征税收入 of year 3; the gap is additional
    high-tech income, which also raises total income.
    """
    income = col_y("hightech_income", 3)
    total = col_y("total_income", 3) - col_y("non_taxable_income", 3)
    pct = fraction(p.hnte.hightech_income_share_min)
    deficit = total * pct.numerator - income * (100 * pct.denominator)
    return Condition(
        passed=(total > 0) & share_at_least(income, total, pct),
        value=ratio(income, total),
        threshold=pl.lit(float(pct) / 100),
        gap=pl.max_horizontal(ceil_div(deficit, 100 * pct.denominator - pct.numerator), pl.lit(1)),
        needs=["hightech_income_y3", "total_income_y3", "non_taxable_income_y3"],
    )


@hnte.criterion(
    "innovation_score",
    label="企业创新能力评价",
    citation="国科发火〔2016〕32号 第十一条（七）；国科发火〔2016〕195号 三（七）",
    value_unit="points",
    gap_unit="points",
    comparison=">",
)
def innovation_score(p: Parameters) -> Condition:
    """第十一条第（七）项：企业创新能力评价应达到相应要求。

    Interpretation (195号 三（七）、二（四）): the panel's mean score must be above 70 — 70 itself fails. Items that
    only experts can judge and that are not given make the score a range; the criterion is decided only when the
    whole range lies on one side of 70.
    """
    pass_above = p.hnte.pass_score_exclusive
    low, high = pl.col("_hnte_score_min"), pl.col("_hnte_score_max")
    experts = pl.col("expert_score_sum").is_not_null() & pl.col("expert_score_count").is_not_null()
    by_experts = pl.col("expert_score_sum") > pl.col("expert_score_count") * pass_above
    by_range = pl.when(low > pass_above).then(True).when(high <= pass_above).then(False).otherwise(None)
    return Condition(
        passed=pl.when(experts).then(by_experts).otherwise(by_range),
        value=low,
        value_max=high,
        threshold=pl.lit(pass_above),
        gap=(pass_above - high).floor() + 1,
        needs=[Need(name, experts.not_()) for name in _SCORE_INPUTS],
        notes=[
            Note("综合得分须高于70分，恰为70分不符合（195号 三（七））。"),
            Note("评分区间来自未提供的专家评分项，按各档分值范围计算。", experts.not_() & (low != high)),
            Note(
                "成长性：增长率计算中出现负数分母（净资产或销售收入为负），该项按0分计，建议人工复核。",
                pl.col("_hnte_assets_negative") | pl.col("_hnte_sales_negative"),
            ),
            Note(
                "成长性：第三年净资产或销售收入为零，增长率仍按公式计算并计分，建议人工复核。",
                pl.col("_hnte_growth_review")
                & (pl.col("_hnte_assets_negative") | pl.col("_hnte_sales_negative")).not_(),
            ),
            Note(
                "科技成果转化：年均转化数大于0但不足1项，无对应档次，按F档0分计，建议人工复核。",
                pl.col("_hnte_conversion_review"),
            ),
        ],
    )


_SCORE_INPUTS = (
    "ip_advancement",
    "ip_core_support",
    "ip_acquisition",
    "conversion_score",
    "rd_management_1",
    "rd_management_2",
    "rd_management_3",
    "rd_management_4",
)


@hnte.criterion(
    "no_major_incident",
    label="申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为",
    citation="国科发火〔2016〕32号 第十一条（八）",
    value_unit="count",
    comparison="==",
)
def no_major_incident(p: Parameters) -> Condition:
    """第十一条第（八）项：企业申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为。

    Interpretation (195号 三（一）): "申请认定前一年内" is the 365 days before the application, including the
    application year.
    """
    p.hnte.no_incident_window  # noqa: B018  (cited: the facts count incidents in this window)
    count = pl.col("num_major_incidents_365d")
    return Condition(passed=count == 0, value=count, threshold=pl.lit(0), needs=["num_major_incidents_365d"])

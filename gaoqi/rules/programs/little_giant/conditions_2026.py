"""专精特新“小巨人”企业认定 under 工信部企业〔2026〕2号 (national-criteria §3B), for evaluation dates from 2026-04-01.
Known only from secondary sources (two agree on every little-giant number). All seven:

1. holds the SRDI SME title (``holds_prerequisite``); niche ≥ 3 years at last year-end (``niche_years``);
2. last-year operating revenue ≥ 5000万 (``operating_revenue``); main business ≥ 90 % (``main_business_share``);
   two-year compound operating-revenue growth ≥ 5 % (``revenue_growth``); debt ratio ≤ 75 % (``debt_ratio``);
3. R&D expense of the last 2 years ≥ 1200万 in total (``rd_expense``) and ≥ 3 % of revenue in each year
   (``rd_expense_ratio``);
4. ≥ 4 Class I IP related to the leading product, applied with economic benefit, unless waived by a national S&T
   award ranked top three in the last 3 years (``class_1_ip``);
5. niche market share ≥ 10 % or national rank top 3 (``market_share``);
6. the leading product's field and position in a key chain link (``industry_field``);
7. this year's SRDI development evaluation score ≥ 60 (``platform_score``).

Quality certification, own brand and an R&D institution are no longer conditions.
"""

from __future__ import annotations

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import fraction, is_active
from gaoqi.rules.programs.little_giant.conditions import class_1_ip_condition, field_condition
from gaoqi.rules.programs.little_giant.program import little_giant
from gaoqi.rules.programs.parts import share_or_rank
from gaoqi.rules.programs.quality_sme import (
    DOC_2026,
    RD_NOTE,
    REGIME_2026,
    any_of,
    at_least_condition,
    compound_growth,
    compound_growth_at_least,
    compound_growth_v3_needed,
    debt_ratio_condition,
    each_year_rd_ratio_condition,
    holds_title,
    main_business_share_condition,
    register_common_scope,
    revenue,
    revenue_need,
    revenue_note,
)
from gaoqi.rules.programs.renewal import is_renewal, platform_score_condition, renewal_needs

CITATION = f"{DOC_2026} 附件2《专精特新“小巨人”企业认定标准》"
SECONDARY = Note("2号的认定条件仅见于二手资料，官方文本未核对；本项目各条件均按二手资料所述判断。")
"""Shown once per program, on its first 2号 criterion, not on every row."""
RENEWAL = Note(
    "2026年对此前批次“小巨人”企业的复核仍按63号标准（工信厅企业函〔2026〕117号，二手资料）；本结果按2号标准判断，复核企业请另按63号标准核对。"
)
SCOPE_NOTE = Note("参考资料未列出2号的一般条件，按63号一般条件沿用（待核对2号原文）。")

register_common_scope(
    little_giant, citation=f"{DOC_2026}（一般条件）", since=REGIME_2026, until=None, notes=[SCOPE_NOTE]
)


@little_giant.criterion(
    "holds_prerequisite",
    label="已获评专精特新中小企业且在有效期内",
    citation=f"{CITATION} 条件1",
    since=REGIME_2026,
)
def holds_prerequisite(p: Parameters) -> Condition:
    """条件1：已获评专精特新中小企业。

    Interpretation: the SRDI SME title is valid for three years from its date (national-criteria §3A.1).
    """
    return Condition(
        passed=holds_title("srdi_sme_issued_on", p, p.quality_sme.title_validity_years),
        needs=["has_certificate_record"],
        notes=[SECONDARY, RENEWAL],
    )


@little_giant.criterion(
    "niche_years",
    label="截至上年末，从事特定细分市场时间达到3年以上",
    citation=f"{CITATION} 条件1",
    value_unit="years",
    gap_unit="years",
    since=REGIME_2026,
)
def niche_years(p: Parameters) -> Condition:
    """条件1：截至上年末，企业从事特定细分市场时间达到3年以上（不再放宽至2年）。"""
    return at_least_condition("niche_years", p.little_giant.niche_years_min)


@little_giant.criterion(
    "operating_revenue",
    label="上年度营业收入总额不低于5000万元",
    citation=f"{CITATION} 条件2",
    value_unit="yuan",
    gap_unit="yuan",
    since=REGIME_2026,
)
def operating_revenue(p: Parameters) -> Condition:
    """条件2：上年度营业收入总额不低于5000万元。"""
    rev, minimum = revenue(3), p.little_giant.operating_revenue_min
    return Condition(
        passed=rev >= minimum,
        value=rev,
        threshold=pl.lit(minimum),
        gap=minimum - rev,
        needs=[revenue_need(3)],
        notes=[revenue_note(3)],
    )


@little_giant.criterion(
    "main_business_share",
    label="上年度主营业务收入总额占营业收入总额比重不低于90%",
    citation=f"{CITATION} 条件2",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
)
def main_business_share(p: Parameters) -> Condition:
    """条件2：上年度主营业务收入总额占营业收入总额比重不低于90%。

    Interpretation: the gap is main business revenue to add, which also adds to operating revenue.
    """
    return main_business_share_condition(p.little_giant.main_business_share_min)


@little_giant.criterion(
    "revenue_growth",
    label="近两年营业收入复合增长率不低于5%",
    citation=f"{CITATION} 条件2",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
)
def revenue_growth(p: Parameters) -> Condition:
    """条件2：近两年营业收入复合增长率不低于5%（复核企业不考核）。

    Interpretation (national-criteria §0.4-10, unverified): sqrt(Y3/Y1) − 1 on operating revenue, tested exactly as
    (100b)²·Y3 ≥ (100b + a)²·Y1 (at 5 %: 400·Y3 ≥ 441·Y1); a year-1 revenue of zero, or fewer than three accounting
    years, gives no rate and fails. The gap is last year's revenue still needed. A renewal (declared, or impossible
    without a little-giant certificate) is not assessed on growth and passes.
    """
    y1, y3 = revenue(1), revenue(3)
    pct = p.little_giant.revenue_growth_min
    active = is_active(1, p)
    renewal = is_renewal("little_giant")
    grown = active & compound_growth_at_least(y1, y3, pct)
    return Condition(
        passed=renewal | grown,
        # fewer than three accounting years give no rate, and a renewal is not assessed on growth: no value, no gap
        value=pl.when(active & renewal.fill_null(False).not_()).then(compound_growth(y1, y3)),
        threshold=pl.lit(float(fraction(pct)) / 100),
        gap=pl.when(active & (y1 > 0)).then(compound_growth_v3_needed(y1, pct) - y3),
        needs=[revenue_need(1, active), revenue_need(3), *renewal_needs("little_giant", grown.fill_null(False).not_())],
        notes=[
            Note("复核企业不考核营业收入增长率。", renewal.fill_null(False)),
            Note("复合增长率按第3年营业收入与第1年营业收入之比的平方根减1计算（本项目读法，未经官方核对）。"),
            Note(
                "第1年营业收入为零或经营不足三个会计年度，复合增长率无法计算，按不符合处理，建议人工复核。",
                active.not_() | (y1 == 0),
            ),
            revenue_note(1, 3),
            RENEWAL,
        ],
    )


@little_giant.criterion(
    "debt_ratio",
    label="截至上年末，资产负债率不高于75%",
    citation=f"{CITATION} 条件2",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
    comparison="<=",
)
def debt_ratio(p: Parameters) -> Condition:
    """条件2：截至上年末，资产负债率不高于75%。

    Interpretation: the gap is the liabilities to repay out of assets.
    """
    return debt_ratio_condition(p.little_giant.debt_ratio_max)


@little_giant.criterion(
    "rd_expense",
    label="近2年研发费用总额不低于1200万元",
    citation=f"{CITATION} 条件3",
    value_unit="yuan",
    gap_unit="yuan",
    since=REGIME_2026,
)
def rd_expense(p: Parameters) -> Condition:
    """条件3：近2年研发费用总额不低于1200万元，且占营业收入总额比重均不低于3%（金额部分）。

    Interpretation: the two years' R&D summed (national-criteria §3.D Q4: 450 + 470 = 920 < 1200).
    """
    active = is_active(2, p)
    total = pl.when(active).then(rd_accounts(2)).otherwise(0) + rd_accounts(3)
    minimum = p.little_giant.rd_expense_min_2y
    return Condition(
        passed=total >= minimum,
        value=total,
        threshold=pl.lit(minimum),
        gap=minimum - total,
        needs=[Need("rd_expense_y2", active), "rd_expense_y3"],
        notes=[RD_NOTE],
    )


@little_giant.criterion(
    "rd_expense_ratio",
    label="近2年研发费用总额占营业收入总额比重均不低于3%",
    citation=f"{CITATION} 条件3",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
)
def rd_expense_ratio(p: Parameters) -> Condition:
    """条件3：……且近2年研发费用总额占营业收入总额比重均不低于3%（比重部分）。

    Interpretation (national-criteria §3.C-2): each year's R&D over that year's revenue.
    """
    return each_year_rd_ratio_condition(p, p.little_giant.rd_ratio_min)


@little_giant.criterion(
    "class_1_ip",
    label="拥有4项以上与主导产品相关的Ⅰ类知识产权，且实际应用并已产生经济效益",
    citation=f"{CITATION} 条件4",
    value_unit="items",
    gap_unit="items",
    since=REGIME_2026,
)
def class_1_ip(p: Parameters) -> Condition:
    """条件4：拥有4项以上与主导产品相关的Ⅰ类知识产权，且实际应用并已产生经济效益（一个来源另称：不含受让，且企业
    须为前三位权利人）；近三年获得国家级科技奖励并在获奖单位中排名前三的，不受此限。

    Interpretation: counted by ``ip_class_1_sme_benefit_top3``: related to the leading product (§0.4-14), with
    economic benefit, not transferred in, and the enterprise among the first three rights holders — the secondary
    source's reading is applied, and an item without that flag leaves the count unknown.
    """
    return class_1_ip_condition(
        p,
        pl.col("num_awards_national_top3_3y") >= 1,
        "近三年获得国家级科技奖励并在获奖单位中排名前三，不受知识产权条件限制",
        ["num_awards_national_top3_3y"],
        column="ip_class_1_sme_benefit_top3",
    )


@little_giant.criterion(
    "market_share",
    label="主导产品在国内或国际细分市场占有率达到10%以上，或在全国细分市场排名前三",
    citation=f"{CITATION} 条件5",
    value_unit="ratio",
    gap_unit="ratio",
    since=REGIME_2026,
)
def market_share(p: Parameters) -> Condition:
    """条件5：主导产品在国内或国际细分市场占有率达到10%以上，或在全国细分市场排名前三（市场占有率为企业自主申报）。

    Interpretation: the share is held as a float and compared with a relative tolerance of 1e-9.
    """
    q = p.little_giant
    parts = share_or_rank(q.market_share_min, q.market_rank_max)
    return Condition(
        passed=any_of([part.passed for part in parts]),
        parts=parts,
        needs=["market_share", "market_rank"],
    )


@little_giant.criterion(
    "industry_field",
    label="主导产品属于工业“六基”或服务于改造提升传统产业、培育壮大新兴产业、布局建设未来产业，且处于重点产业链关键环节",
    citation=f"{CITATION} 条件6",
    value_unit="code",
    since=REGIME_2026,
)
def industry_field(p: Parameters) -> Condition:
    """条件6：主导产品属于工业“六基”领域，或服务于改造提升传统产业、培育壮大新兴产业、布局建设未来产业，处于重点
    产业链关键环节。

    Interpretation: ``chain_field`` in gap_filling, six_bases or key_field qualifies; ``other`` is left for review
    (the field list is open-ended: "改造提升传统产业" covers much).
    """
    return field_condition(
        p,
        other_fails=False,
        notes=[
            Note(
                "主导产品不属于已编码的领域（六基、重点领域、补短板），是否服务于传统产业改造提升、新兴产业或未来产业"
                "并处于关键环节，须人工研判。",
                pl.col("chain_field") == "other",
            ),
        ],
    )


@little_giant.criterion(
    "platform_score",
    label="当年专精特新发展评价得分不低于60分",
    citation=f"{CITATION} 条件7；工信厅企业〔2024〕75号",
    value_unit="points",
    gap_unit="points",
    since=REGIME_2026,
)
def platform_score(p: Parameters) -> Condition:
    """条件7：当年专精特新发展评价得分不低于60分（复核企业为近2年任一年）。

    Interpretation: the platform's score is an input, never recomputed; a renewal (declared, or impossible without a
    little-giant certificate) passes on either of the last two years' scores.
    """
    return platform_score_condition("little_giant", p.little_giant.platform_score_min)

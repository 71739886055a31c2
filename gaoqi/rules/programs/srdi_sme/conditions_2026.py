"""专精特新中小企业认定 under 工信部企业〔2026〕2号 (national-criteria §3B), for evaluation dates from 2026-04-01. Known
only from secondary sources (two agree on every SRDI number). All of:

1. holds the 科技和创新型中小企业 title (``holds_prerequisite``); niche ≥ 3 years at last year-end (``niche_years``);
2. last-year operating revenue ≥ 1500万, or new qualified equity ≥ 2000万 in 2 years (``operating_revenue``); main
   business ≥ 80 % of revenue (``main_business_share``); debt ratio ≤ 80 % (``debt_ratio``);
3. R&D expense in each of the last 2 years ≥ 100万 and ≥ 3 % of that year's revenue (``rd_expense``,
   ``rd_expense_ratio``);
4. ≥ 1 Class I IP related to the leading product, applied with economic benefit, unless waived (``class_1_ip``);
5. leading product's market share "fairly high" (``market_share``);
6. this year's SRDI development evaluation score ≥ 50 (``platform_score``).

The 2022 60-point table and its direct routes no longer apply.
"""

from __future__ import annotations

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note, Part
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import is_active
from gaoqi.rules.programs.parts import share_or_rank
from gaoqi.rules.programs.quality_sme import (
    DOC_2026,
    RD_NOTE,
    REGIME_2026,
    YEAR_WORDS,
    active_two_years,
    all_of,
    any_of,
    debt_ratio_condition,
    each_year_rd_ratio_condition,
    holds_title,
    main_business_share_condition,
    register_common_scope,
)
from gaoqi.rules.programs.renewal import platform_score_condition
from gaoqi.rules.programs.srdi_sme.conditions import niche_years_condition, operating_revenue_condition
from gaoqi.rules.programs.srdi_sme.program import srdi_sme

CITATION = f"{DOC_2026} 附件1《专精特新中小企业认定标准》"
SECONDARY = Note("2号的认定条件仅见于二手资料，官方文本未核对；本项目各条件均按二手资料所述判断。")
"""Shown once per program, on its first 2号 criterion, not on every row."""
SCOPE_NOTE = Note("参考资料未列出2号的一般条件，按63号一般条件沿用（待核对2号原文）。")
LAST_TWO = (2, 3)

register_common_scope(srdi_sme, citation=f"{DOC_2026}（一般条件）", since=REGIME_2026, until=None, notes=[SCOPE_NOTE])


@srdi_sme.criterion(
    "holds_prerequisite",
    label="已获评科技和创新型中小企业（创新型中小企业或科技型中小企业）且在有效期内",
    citation=f"{CITATION} 条件1",
    since=REGIME_2026,
)
def holds_prerequisite(p: Parameters) -> Condition:
    """条件1：已获评科技和创新型中小企业。

    Interpretation: until the merged 科技和创新型中小企业 standard is issued (2号 第三十条), the first tier is held by a
    valid innovative-SME title (3 years) or a tech-based SME registration of the last year (national-criteria §3B,
    §2.6).
    """
    q = p.quality_sme
    return Condition(
        passed=any_of(
            [
                holds_title("innovative_sme_issued_on", p, q.title_validity_years),
                holds_title("tsme_issued_on", p, q.tsme_validity_years),
            ]
        ),
        needs=["has_certificate_record"],
        notes=[SECONDARY],
    )


@srdi_sme.criterion(
    "niche_years",
    label="截至上年末，从事特定细分市场时间达到3年以上",
    citation=f"{CITATION} 条件1",
    value_unit="years",
    gap_unit="years",
    since=REGIME_2026,
)
def niche_years(p: Parameters) -> Condition:
    """条件1：截至上年末，企业从事特定细分市场时间达到3年以上。"""
    return niche_years_condition(p)


@srdi_sme.criterion(
    "operating_revenue",
    label="上年度营业收入总额在1500万元以上，或近2年新增股权融资总额（合格机构投资者的实缴额）达2000万元以上",
    citation=f"{CITATION} 条件2",
    value_unit="yuan",
    gap_unit="yuan",
    since=REGIME_2026,
)
def operating_revenue(p: Parameters) -> Condition:
    """条件2：上年度营业收入总额不低于1500万元；低于1500万元的，近2年新增股权融资总额（合格机构投资者的实缴额）
    不低于2000万元。"""
    return operating_revenue_condition(p)


@srdi_sme.criterion(
    "main_business_share",
    label="上年度主营业务收入总额占营业收入总额比重不低于80%",
    citation=f"{CITATION} 条件2",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
)
def main_business_share(p: Parameters) -> Condition:
    """条件2：上年度主营业务收入总额占营业收入总额比重不低于80%。

    Interpretation: the gap is main business revenue to add, which also adds to operating revenue.
    """
    return main_business_share_condition(p.srdi_sme.main_business_share_min)


@srdi_sme.criterion(
    "debt_ratio",
    label="上年末资产负债率不高于80%",
    citation=f"{CITATION} 条件2",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
    comparison="<=",
)
def debt_ratio(p: Parameters) -> Condition:
    """条件2：截至上年末，资产负债率不高于80%。

    Interpretation: the gap is the liabilities to repay out of assets.
    """
    return debt_ratio_condition(p.srdi_sme.debt_ratio_max)


@srdi_sme.criterion(
    "rd_expense",
    label="近2年研发费用总额均不低于100万元",
    citation=f"{CITATION} 条件3",
    value_unit="yuan",
    gap_unit="yuan",
    since=REGIME_2026,
)
def rd_expense(p: Parameters) -> Condition:
    """条件3：近2年研发费用总额均不低于100万元，且占营业收入总额比重均不低于3%（金额部分）。

    Interpretation (national-criteria §3.C-2): "均不低于" means each of the two years; each year is a part, and
    the row shows the first year that fails (or, on a pass, the earlier year).
    """
    minimum = p.srdi_sme.rd_expense_min
    parts = [
        Part(
            f"{YEAR_WORDS[k]}研发费用总额不低于{minimum // 10_000}万元",
            rd_accounts(k) >= minimum,
            value=rd_accounts(k),
            threshold=pl.lit(minimum),
            gap=minimum - rd_accounts(k),
            unit="yuan",
            gap_unit="yuan",
        )
        for k in LAST_TWO
    ]
    parts.append(active_two_years(p))
    return Condition(
        passed=all_of([part.passed for part in parts]),
        parts=parts,
        needs=[Need("rd_expense_y2", is_active(2, p)), "rd_expense_y3"],
        notes=[RD_NOTE],
    )


@srdi_sme.criterion(
    "rd_expense_ratio",
    label="近2年研发费用总额占营业收入总额比重均不低于3%",
    citation=f"{CITATION} 条件3",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2026,
)
def rd_expense_ratio(p: Parameters) -> Condition:
    """条件3：近2年研发费用总额……占营业收入总额比重均不低于3%（比重部分）。

    Interpretation: each year's R&D over that year's revenue; the value is the lower ratio, the gap the R&D to add in
    the worse year.
    """
    return each_year_rd_ratio_condition(p, p.srdi_sme.rd_ratio_min)


@srdi_sme.criterion(
    "class_1_ip",
    label="拥有与主导产品相关的Ⅰ类知识产权1项以上，且实际应用并已产生经济效益",
    citation=f"{CITATION} 条件4",
    value_unit="items",
    gap_unit="items",
    since=REGIME_2026,
)
def class_1_ip(p: Parameters) -> Condition:
    """条件4：拥有与主导产品相关的Ⅰ类知识产权1项以上，且实际应用并已产生经济效益；近三年获得省部级以上科技奖励
    并在获奖单位中排名前三，或拥有省部级以上研发机构的，不受此限。

    Interpretation (national-criteria §0.4-14): "related" is flagged related or core to the main product; an item
    flagged neither leaves the count unknown.
    """
    q = p.srdi_sme
    count, minimum = pl.col("ip_class_1_sme_benefit"), q.class_1_ip_min
    waived = any_of(
        [
            pl.col("num_awards_provincial_top3_3y") >= 1,
            pl.col("rd_institution_level") >= q.ip_waiver_rd_institution_level_min,
        ]
    )
    return Condition(
        passed=waived | (count >= minimum),
        value=count,
        threshold=pl.lit(minimum),
        gap=minimum - count,
        direct=waived,
        direct_label="近三年获省部级以上科技奖励（前三名）或拥有省部级以上研发机构，不受知识产权条件限制",
        needs=[
            "ip_class_1_sme_benefit",
            Need("num_awards_provincial_top3_3y", waived.is_null()),
            Need("rd_institution_level", waived.is_null()),
        ],
        notes=[
            Note(
                "知识产权按与主导产品相关、已产生经济效益、不含受让的Ⅰ类知识产权计；2号本条是否排除受让"
                "未经核对，如有受让的此类知识产权请人工复核。",
                (count < minimum).fill_null(False),
            ),
        ],
    )


@srdi_sme.criterion(
    "market_share",
    label="主导产品在细分市场的占有率较高",
    citation=f"{CITATION} 条件5",
    value_unit="ratio",
    since=REGIME_2026,
)
def market_share(p: Parameters) -> Condition:
    """条件5：主导产品在细分市场的占有率较高（无量化标准）。

    Interpretation: "较高" has no number. Meeting the little-giant threshold (share ≥ 10 % or national rank ≤ 3) is
    read as sufficient; otherwise the criterion stays undetermined for review by the provincial department — it is
    never failed on a number the text does not give (national-criteria §3.D Q3: "a market-share review").
    """
    rule = p.srdi_sme.market_share_sufficient
    parts = share_or_rank(rule["share_min"], rule["rank_max"])
    sufficient = any_of([part.passed for part in parts])
    return Condition(
        passed=pl.when(sufficient.fill_null(False)).then(True).otherwise(pl.lit(None, dtype=pl.Boolean)),
        parts=parts,
        needs=["market_share", "market_rank"],
        notes=[
            Note(
                "“占有率较高”无量化标准：达到“小巨人”门槛（占有率10%以上或全国前三）视为较高；否则须省级主管部门审核。",
                sufficient.fill_null(False).not_(),
            ),
        ],
    )


@srdi_sme.criterion(
    "platform_score",
    label="当年专精特新发展评价得分不低于50分",
    citation=f"{CITATION} 条件6；工信厅企业〔2024〕75号",
    value_unit="points",
    gap_unit="points",
    since=REGIME_2026,
)
def platform_score(p: Parameters) -> Condition:
    """条件6：当年专精特新发展评价得分不低于50分（复核企业为近2年任一年）。

    Interpretation: the score is the platform's (指标体系 工信厅企业〔2024〕75号), an input never recomputed; a
    renewal (declared, or impossible without an SRDI certificate) passes on either of the last two years' scores.
    """
    return platform_score_condition("srdi_sme", p.srdi_sme.platform_score_min)

"""专精特新中小企业认定 under 工信部企业〔2022〕63号 annex 2 (national-criteria §3A.1, §3A.3), for evaluation dates
before 2026-04-01: the common scope and all four conditions —

1. 从事特定细分市场时间达到2年以上 (``niche_years``);
2. 上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3% (``rd_expense``, ``rd_expense_ratio``);
3. 上年度营业收入总额在1000万元以上，或……近2年新增股权融资总额达2000万元以上 (``operating_revenue``);
4. 评价得分达到60分以上或满足直接认定条件之一 (``evaluation_score``).

Interpretation (§0.4-11): 63号 does not say that an applicant must already hold the innovative-SME title (only
provincial rules and 2号 do), so it is not required here.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note, Part
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import col_y, is_active, ratio, share_at_least
from gaoqi.rules.programs.quality_sme import (
    BOUNDARY_NOTE,
    DOC_2022,
    IP_FACTS,
    RD_NOTE,
    REGIME_2022,
    REGIME_2026,
    any_of,
    at_least_condition,
    cite,
    register_common_scope,
    revenue,
    revenue_need,
    revenue_note,
    yuan_to_reach_ratio,
)
from gaoqi.rules.programs.srdi_sme.program import srdi_sme
from gaoqi.rules.programs.srdi_sme.score import SCORE_PARAMETERS

CITATION = f"{DOC_2022} 附件2《专精特新中小企业认定标准》"

register_common_scope(srdi_sme, citation=f"{DOC_2022} 第二章", since=REGIME_2022, until=REGIME_2026)


def niche_years_condition(p: Parameters, notes: Sequence[Note] = ()) -> Condition:
    """Years in the niche (``niche_years``, an assessment) against the minimum in force."""
    return at_least_condition("niche_years", p.srdi_sme.niche_years_min, notes)


def operating_revenue_condition(p: Parameters, notes: Sequence[Note] = ()) -> Condition:
    """Last-year operating revenue at the minimum, or below it with the equity-financing alternative."""
    q = p.srdi_sme
    rev, equity = revenue(3), pl.col("equity_financing_2y")
    minimum, alternative = q.operating_revenue_min, q.equity_financing_alternative_min
    by_equity = equity >= alternative
    parts = [
        Part(
            f"上年度营业收入达到{minimum // 10_000}万元",
            rev >= minimum,
            value=rev,
            threshold=pl.lit(minimum),
            gap=minimum - rev,
            unit="yuan",
            gap_unit="yuan",
        ),
        Part(
            f"近2年新增股权融资总额（合格机构投资者的实缴额）达到{alternative // 10_000}万元",
            by_equity,
            value=equity,
            threshold=pl.lit(alternative),
            unit="yuan",
            alternative=True,
        ),
    ]
    return Condition(
        passed=any_of([rev >= minimum, by_equity]),
        parts=parts,
        needs=[revenue_need(3), Need("equity_financing_2y", (rev < minimum).fill_null(True))],
        notes=[
            revenue_note(3),
            Note(
                "营业收入未达下限，以近2年新增合格机构投资者实缴股权融资达到替代金额满足本条件。",
                (rev < minimum).fill_null(True) & by_equity.fill_null(False),
            ),
            *notes,
        ],
    )


@srdi_sme.criterion(
    "niche_years",
    label="从事特定细分市场时间达到2年以上",
    citation=f"{CITATION} 认定条件（一）",
    value_unit="years",
    gap_unit="years",
    since=REGIME_2022,
    until=REGIME_2026,
)
def niche_years(p: Parameters) -> Condition:
    """认定条件（一）：从事特定细分市场时间达到2年以上。"""
    return niche_years_condition(p)


@srdi_sme.criterion(
    "rd_expense",
    label="上年度研发费用总额不低于100万元",
    citation=f"{CITATION} 认定条件（二）",
    value_unit="yuan",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
)
def rd_expense(p: Parameters) -> Condition:
    """认定条件（二）：上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%（金额部分）。"""
    rd, minimum = rd_accounts(3), p.srdi_sme.rd_expense_min
    return Condition(
        passed=rd >= minimum,
        value=rd,
        threshold=pl.lit(minimum),
        gap=minimum - rd,
        needs=["rd_expense_y3"],
        notes=[RD_NOTE],
    )


@srdi_sme.criterion(
    "rd_expense_ratio",
    label="上年度研发费用总额占营业收入总额比重不低于3%",
    citation=f"{CITATION} 认定条件（二）",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
)
def rd_expense_ratio(p: Parameters) -> Condition:
    """认定条件（二）：上年度研发费用总额……占营业收入总额比重不低于3%（比重部分）。

    Interpretation: a last-year revenue of zero gives no ratio and fails (the gap is then undefined).
    """
    rd, rev, pct = rd_accounts(3), revenue(3), p.srdi_sme.rd_ratio_min
    return Condition(
        passed=(rev > 0) & share_at_least(rd, rev, pct),
        value=ratio(rd, rev),
        threshold=pl.lit(float(pct) / 100),
        gap=yuan_to_reach_ratio(rd, rev, pct),
        needs=["rd_expense_y3", revenue_need(3)],
        notes=[RD_NOTE, revenue_note(3)],
    )


@srdi_sme.criterion(
    "operating_revenue",
    label="上年度营业收入总额在1000万元以上，或近2年新增股权融资总额（合格机构投资者的实缴额）达2000万元以上",
    citation=f"{CITATION} 认定条件（三）",
    value_unit="yuan",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
)
def operating_revenue(p: Parameters) -> Condition:
    """认定条件（三）：上年度营业收入总额在1000万元以上，或上年度营业收入总额在1000万元以下，但近2年新增股权融资
    总额（合格机构投资者的实缴额）达2000万元以上。"""
    return operating_revenue_condition(p)


def direct_route(p: Parameters) -> pl.Expr:
    """认定条件（四）的直接认定情形: a provincial S&T award in the last 3 years ranked top three, or a national one
    ranked top five; mean R&D expense of the last 2 years ≥ 1000万; new qualified equity financing in the last 2 years
    ≥ 6000万; the national top-500 enterprise group of the "创客中国" competition in the last 3 years."""
    q = p.srdi_sme
    rd_two_years = rd_accounts(2) + rd_accounts(3)
    return any_of(
        [
            pl.col("num_awards_provincial_top3_3y") >= 1,
            pl.col("num_awards_national_top5_3y") >= 1,
            is_active(2, p) & (rd_two_years >= 2 * q.direct_mean_rd_min),
            pl.col("equity_financing_2y") >= q.direct_equity_financing_min,
            pl.col("num_maker_china_top500_3y") >= 1,
        ]
    )


@srdi_sme.derive
def direct_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_srdi_sme_direct``: the direct routes of condition 4, computed once (63号 regime only)."""
    return {"_srdi_sme_direct": direct_route(p)} if REGIME_2022 <= p.on < REGIME_2026 else {}


@srdi_sme.criterion(
    "evaluation_score",
    label="评价得分达到60分以上",
    citation=f"{CITATION} 认定条件（四）、评价指标",
    value_unit="points",
    gap_unit="points",
    since=REGIME_2022,
    until=REGIME_2026,
)
def evaluation_score(p: Parameters) -> Condition:
    """认定条件（四）：评价得分达到60分以上或满足下列条件之一：（1）近三年获得过省级科技奖励，并在获奖单位中排名
    前三；或获得国家级科技奖励，并在获奖单位中排名前五。（2）近两年研发费用总额均值在1000万元以上。（3）近两年新增
    股权融资总额（合格机构投资者的实缴额）6000万元以上。（4）近三年进入“创客中国”中小企业创新创业大赛全国500强企业
    组名单。

    Interpretation: the 13-indicator score is a range when inputs are unknown (the provincial distinctiveness
    indicators are the fact ``local_score``); boundary values score the higher band (§0.4-8).
    """
    q = p.srdi_sme
    cite(p, "srdi_sme", SCORE_PARAMETERS)
    cite(p, "srdi_sme", ("direct_mean_rd_min", "direct_equity_financing_min"))
    low, high = pl.col("_srdi_sme_score_min"), pl.col("_srdi_sme_score_max")
    scored, direct = pl.col("_srdi_sme_scored"), pl.col("_srdi_sme_direct")
    undecided = scored.is_null()
    m1_needed = undecided & is_active(1, p)
    score_inputs = [
        *IP_FACTS.values(),
        "rd_expense_y3",
        "main_business_revenue_y3",
        "main_business_revenue_y2",
        "niche_years",
        "chain_field",
        "is_time_honoured_brand",
        "is_chain_leader_supplier",
        "digital_level_y3",
        "has_quality_award",
        "has_certification",
        "has_own_brand",
        "num_standards_drafted",
        "net_profit_y3",
        "total_liabilities_y3",
        "total_assets_y3",
        "local_score",
        "staff_rd_y3",
        "staff_total_y3",
        "rd_institution_level",
    ]
    direct_inputs = [
        "num_awards_provincial_top3_3y",
        "num_awards_national_top5_3y",
        "rd_expense_y2",
        "equity_financing_2y",
        "num_maker_china_top500_3y",
    ]
    return Condition(
        passed=direct | scored,
        value=low,
        value_max=high,
        threshold=pl.lit(q.pass_score),
        gap=q.pass_score - high,
        direct=direct,
        direct_label="符合专精特新中小企业免评条件（省级科技奖励前三或国家级前五、近两年研发费用均值1000万元以上、"
        "近两年股权融资6000万元以上或“创客中国”全国500强）",
        needs=[
            *(Need(column, undecided) for column in score_inputs),
            Need("main_business_revenue_y1", m1_needed),
            revenue_need(3, undecided),
            *(Need(column, direct.is_null()) for column in direct_inputs),
        ],
        notes=[
            BOUNDARY_NOTE,
            RD_NOTE,
            revenue_note(3),
            Note("评分区间来自未提供的事实（特色化指标由省级主管部门设定，未提供时按0–15分计）。", low != high),
            Note(
                "近2年主营业务收入平均增长率取两个年度增长率的算术平均（本项目读法，未经官方核对）；"
                "前两年主营业务收入为零或经营不足三个会计年度时无法计算，按0分计，建议人工复核。",
                is_active(1, p).not_()
                | (col_y("main_business_revenue", 1) == 0)
                | (col_y("main_business_revenue", 2) == 0),
            ),
            Note("63号未明确要求申报企业已获评创新型中小企业（仅部分省级细则要求），本项目未作要求。"),
        ],
    )

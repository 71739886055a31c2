"""The conditions of 创新型中小企业评价 (工信部企业〔2022〕63号, national-criteria §3A.1–3A.2): the common scope and
the evaluation score with its four direct routes."""

from __future__ import annotations

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import col_y, is_active
from gaoqi.rules.programs.innovative_sme.program import innovative_sme
from gaoqi.rules.programs.innovative_sme.score import PARTS, SCORE_PARAMETERS
from gaoqi.rules.programs.parts import score_at_least
from gaoqi.rules.programs.quality_sme import (
    BOUNDARY_NOTE,
    DOC_2022,
    IP_FACTS,
    RD_NOTE,
    REGIME_2022,
    REGIME_2026,
    any_of,
    cite,
    holds_title,
    on_or_after,
    register_common_scope,
    revenue,
    revenue_need,
    revenue_note,
)

GROUP_LABELS = {"innovation": "创新能力", "growth": "成长性", "specialisation": "专业化"}

CITATION = f"{DOC_2022} 附件1《创新型中小企业评价标准》"

register_common_scope(innovative_sme, citation=f"{DOC_2022} 第二章", since=REGIME_2022, until=None)


def direct_route(p: Parameters) -> pl.Expr:
    """63号附件1 直接认定: any of (1) a national or provincial S&T award in the last 3 years (any rank); (2) a valid
    HNTE certificate, or a valid title of national technology-innovation demonstration enterprise or of IP advantage
    or IP demonstration enterprise; (3) a recognised provincial/ministerial-level or higher R&D institution; (4) new
    equity financing from qualified institutional investors (paid-in) of 500万 or more in the last 3 years."""
    q = p.innovative_sme
    return any_of(
        [
            pl.col("num_awards_3y") >= 1,
            holds_title("hnte_issued_on", p, p.hnte.validity_years),
            pl.col("is_tech_innovation_demo"),
            pl.col("is_ip_advantage_or_demo"),
            pl.col("rd_institution_level") >= q.direct_rd_institution_level_min,
            pl.col("equity_financing_3y") >= q.direct_equity_financing_min,
        ]
    )


@innovative_sme.derive
def direct_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_innovative_sme_direct``: the direct route, computed once (the criterion reads it several times)."""
    return {"_innovative_sme_direct": direct_route(p)} if p.on >= REGIME_2022 else {}


@innovative_sme.criterion(
    "evaluation_score",
    label="评价得分达到60分以上，且创新能力、成长性、专业化三类指标得分分别不低于20分、15分、15分",
    citation=CITATION,
    value_unit="points",
    gap_unit="points",
    since=REGIME_2022,
)
def evaluation_score(p: Parameters) -> Condition:
    """附件1：评价得分达到60分以上（其中创新能力指标得分不低于20分、成长性指标及专业化指标得分均不低于15分），
    或满足直接认定条件之一（近三年获得省级以上科技奖励；获评高新技术企业、国家级技术创新示范企业、知识产权优势企业
    和知识产权示范企业等荣誉；拥有经认定的省部级以上研发机构；近三年新增股权融资总额（合格机构投资者的实缴额）
    500万元以上）。

    Interpretation: the score is a range when inputs are unknown; it passes when its minimum meets every threshold
    and fails when its maximum misses one. Band boundaries go to the higher-scoring band (§0.4-8). R&D expense is
    ``rd_expense``; revenue is operating revenue (else sales revenue).
    """
    q = p.innovative_sme
    cite(p, "innovative_sme", (*SCORE_PARAMETERS, "direct_rd_institution_level_min", "direct_equity_financing_min"))
    cite(p, "hnte", ("validity_years",))
    total = (pl.col("_innovative_sme_score_min"), pl.col("_innovative_sme_score_max"))
    parts = {name: (pl.col(f"_innovative_sme_{name}_min"), pl.col(f"_innovative_sme_{name}_max")) for name in PARTS}
    minimums = {"innovation": q.innovation_min, "growth": q.growth_min, "specialisation": q.specialisation_min}
    scored, direct = pl.col("_innovative_sme_scored"), pl.col("_innovative_sme_direct")
    group_short = any_of([parts[name][1] < minimums[name] for name in PARTS])
    rev, m2 = revenue(3), col_y("main_business_revenue", 2)
    undecided = scored.is_null()
    return Condition(
        passed=direct | scored,
        parts=[
            score_at_least(f"评价得分达到{q.pass_score}分以上", *total, q.pass_score),
            *(
                score_at_least(f"{GROUP_LABELS[name]}指标得分不低于{minimums[name]}分", *parts[name], minimums[name])
                for name in PARTS
            ),
        ],
        direct=direct,
        direct_label="符合创新型中小企业直接认定条件（近三年省级以上科技奖励，有效的高新技术企业、国家级技术创新示范企业或知识产权优势（示范）企业称号，省部级以上研发机构，或近三年股权融资500万元以上）",
        needs=[
            *(Need(column, undecided) for column in IP_FACTS.values()),
            Need("rd_expense_y3", undecided),
            revenue_need(3, undecided),
            Need("main_business_revenue_y2", undecided & is_active(2, p)),
            Need("main_business_revenue_y3", undecided),
            Need("total_liabilities_y3", undecided),
            Need("total_assets_y3", undecided),
            Need("is_strategic_emerging", undecided),
            Need("num_awards_3y", direct.is_null()),
            Need("has_certificate_record", direct.is_null()),
            Need("is_tech_innovation_demo", direct.is_null()),
            Need("is_ip_advantage_or_demo", direct.is_null()),
            Need("rd_institution_level", direct.is_null()),
            Need("equity_financing_3y", direct.is_null()),
        ],
        notes=[
            BOUNDARY_NOTE,
            RD_NOTE,
            revenue_note(3),
            Note("评分区间来自未提供的事实，按各档分值范围计算。", total[0] != total[1]),
            Note(
                "创新能力、成长性、专业化三类指标得分须分别不低于20分、15分、15分；总分达到60分但分类得分不足仍不符合。",
                group_short,
            ),
            Note("上年度营业收入为零，研发费用占比和主营业务收入占比无法计算，按0分计，建议人工复核。", rev == 0),
            Note(
                "前一年主营业务收入为零或企业成立不足两个会计年度，主营业务收入增长率无法计算，按0分计，建议人工复核。",
                (m2 == 0) | is_active(2, p).not_(),
            ),
            Note("上年末资产总额为零，资产负债率无法计算，按0分计，建议人工复核。", col_y("total_assets", 3) == 0),
            Note(
                "2号施行后，科技和创新型中小企业标准出台前，沿用63号创新型中小企业评价标准（2号第三十条，二手资料）。",
                on_or_after(p, REGIME_2026),
            ),
        ],
    )

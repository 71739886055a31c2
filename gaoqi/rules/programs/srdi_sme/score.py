"""专精特新中小企业评价指标 — the 13 indicators of 工信部企业〔2022〕63号 annex 2 in four groups, 100 points
(national-criteria §3A.3). In force for applications before 2026-04-01 only. Every indicator is a range
``[min, max]``: an unknown input spans the bands it could fall in.

==========================  ==============================================================================  ===
group                       indicators                                                                      max
==========================  ==============================================================================  ===
specialisation 专业化         main business share (5), 2-year mean main-business growth (10), niche years (5),  25
                            field of the leading product (5)
refinement 精细化             digitalisation level (5), quality management (5), net profit margin (10),       25
                            debt ratio (5)
distinctiveness 特色化        1–3 provincial indicators (15)                                                   15
innovation 创新能力            valid IP (10), R&D input (10), R&D staff share (5), R&D institution level (10)   35
==========================  ==============================================================================  ===
"""

from __future__ import annotations

import polars as pl

from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import col_y, is_active
from gaoqi.rules.programs.quality_sme import (
    POINTS,
    REGIME_2022,
    REGIME_2026,
    Range,
    amount_bands,
    any_of,
    band_range,
    ceiling_bands,
    column_output,
    debt_ratio_parts,
    indicator_columns,
    ip_bands,
    main_business_growth_at_least,
    range_max,
    revenue,
    score_columns,
    share_bands,
)
from gaoqi.rules.programs.srdi_sme.program import srdi_sme

PARTS = ("specialisation", "refinement", "distinctiveness", "innovation")
SCORE_PARAMETERS = (
    "main_business_share_bands",
    "main_business_growth_bands",
    "niche_year_points",
    "chain_field_points",
    "digital_level_bands",
    "quality_management_points",
    "net_profit_margin_bands",
    "debt_ratio_bands",
    "local_score_max",
    "ip_bands",
    "rd_amount_bands",
    "rd_ratio_bands",
    "rd_staff_share_bands",
    "rd_institution_bands",
)


def _known_or(points: pl.Expr, low: int, high: int) -> Range:
    points = points.cast(POINTS)
    return pl.coalesce(points, pl.lit(low, dtype=POINTS)), pl.coalesce(points, pl.lit(high, dtype=POINTS))


def main_business_growth(p: Parameters) -> Range:
    """近2年主营业务收入平均增长率 (10): the arithmetic mean of the two annual growth rates (national-criteria
    §0.4-10), tested exactly; without year 1, or with a year-1 or year-2 value of zero, no band but the last."""
    m1, m2, _ = (col_y("main_business_revenue", k) for k in (1, 2, 3))
    bands = p.srdi_sme.main_business_growth_bands
    no_rate = is_active(1, p).not_() | (m1 <= 0) | (m2 <= 0)  # the last band, not unknown
    tests = [
        (
            pl.when(no_rate).then(pl.lit(False)).otherwise(main_business_growth_at_least(band["min"])),
            int(band["points"]),
        )
        for band in bands
        if band.get("min") is not None
    ]
    return band_range(tests, int(bands[-1]["points"]))


def niche_points(p: Parameters) -> Range:
    """从事特定细分市场年限 (5): one point per full two years, at most five."""
    rule = p.srdi_sme.niche_year_points
    points = (pl.col("niche_years") // rule["years_per_point"]).clip(0, rule["max"])
    return _known_or(points, 0, rule["max"])


def quality_points(p: Parameters) -> Range:
    """质量管理水平 (5): 3 points per item held — provincial-or-higher quality award, quality-management-system
    certification, own brand, (re)drafting of standards — at most 5."""
    rule = p.srdi_sme.quality_management_points
    items = [
        pl.col("has_quality_award"),
        pl.col("has_certification"),
        pl.col("has_own_brand"),
        any_of([pl.col("num_standards_drafted") > 0, pl.col("num_standards_led_5y") > 0]),
    ]
    held = [
        sum((item.fill_null(fill).cast(POINTS) for item in items), start=pl.lit(0, dtype=POINTS))
        for fill in (False, True)
    ]
    low, high = ((count * rule["per_item"]).clip(0, rule["max"]) for count in held)
    return low.cast(POINTS), high.cast(POINTS)


LISTED_FIELDS = {"time_honoured_brand": "is_time_honoured_brand", "chain_leader_supplier": "is_chain_leader_supplier"}
"""Items of the field indicator that are not a field of the leading product but a fact of their own."""


def field_points(points: dict[str, int]) -> Range:
    """专业化：主导产品所属领域情况 (5): the best-scoring of the leading product's field (``chain_field``) and the
    items the text lists beside the fields (中华老字号, 服务关键产业链重点龙头企业), each a fact; unknown ones widen the
    range."""
    tests = [
        (pl.col(LISTED_FIELDS[key]) if key in LISTED_FIELDS else pl.col("chain_field") == key, n)
        for key, n in sorted(points.items(), key=lambda item: -item[1])
    ]
    return band_range(tests, min(points.values()))


def indicators(p: Parameters) -> dict[str, Range]:
    """The thirteen indicators, each as a range, by group."""
    q = p.srdi_sme
    rev, rd = revenue(3), rd_accounts(3)
    liabilities, assets = debt_ratio_parts()
    local_max = q.local_score_max
    return {
        "main_business_share": share_bands(col_y("main_business_revenue", 3), rev, q.main_business_share_bands),
        "main_business_growth": main_business_growth(p),
        "niche_years": niche_points(p),
        "chain_field": field_points(q.chain_field_points),
        "digital_level": amount_bands(col_y("digital_level", 3), q.digital_level_bands),
        "quality_management": quality_points(p),
        "net_profit_margin": share_bands(col_y("net_profit", 3), rev, q.net_profit_margin_bands),
        "debt_ratio": ceiling_bands(liabilities, assets, q.debt_ratio_bands),
        "local": _known_or(pl.col("local_score").clip(0, local_max), 0, local_max),
        "ip": ip_bands(q.ip_bands),
        "rd_input": range_max([amount_bands(rd, q.rd_amount_bands), share_bands(rd, rev, q.rd_ratio_bands)]),
        "rd_staff_share": share_bands(
            col_y("staff_rd", 3), col_y("staff_total", 3), q.rd_staff_share_bands, staff=True
        ),
        "rd_institution": amount_bands(pl.col("rd_institution_level"), q.rd_institution_bands),
    }


GROUPS = {
    "specialisation": ("main_business_share", "main_business_growth", "niche_years", "chain_field"),
    "refinement": ("digital_level", "quality_management", "net_profit_margin", "debt_ratio"),
    "distinctiveness": ("local",),
    "innovation": ("ip", "rd_input", "rd_staff_share", "rd_institution"),
}


@srdi_sme.derive
def indicator_stage(p: Parameters) -> dict[str, pl.Expr]:
    """Stage 1: each indicator's range, ``_srdi_sme_i_<indicator>_min/_max`` (63号 regime only)."""
    return indicator_columns("srdi_sme", indicators(p)) if REGIME_2022 <= p.on < REGIME_2026 else {}


@srdi_sme.derive
def score_stage(p: Parameters) -> dict[str, pl.Expr]:
    """Stage 2: group and total ranges, and ``_srdi_sme_scored`` — the total at least 60 (63号 regime only)."""
    if not REGIME_2022 <= p.on < REGIME_2026:
        return {}
    return score_columns("srdi_sme", GROUPS, {"score": p.srdi_sme.pass_score})


for _name in ("score", *PARTS):
    for _bound in ("min", "max"):
        srdi_sme.output(f"{_name}_{_bound}", unit="points", since=REGIME_2022, until=REGIME_2026)(
            column_output(f"_srdi_sme_{_name}_{_bound}")
        )

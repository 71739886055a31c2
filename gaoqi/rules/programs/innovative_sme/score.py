"""创新型中小企业评价标准 — the six indicators of 工信部企业〔2022〕63号 annex 1 in three groups (national-criteria
§3A.2). Every indicator is a range ``[min, max]``: an unknown input spans the bands it could fall in.

=================  ========================================================  ====  =======
group              indicators                                                max   minimum
=================  ========================================================  ====  =======
innovation 创新能力  1 valid IP (20); 2 last-year R&D / operating revenue (20)   40    20
growth 成长性       3 last-year main business revenue growth (20); 4 debt (10)  30    15
specialisation 专业化 5 field of the leading product (10); 6 main share (20)     30    15
=================  ========================================================  ====  =======
"""

from __future__ import annotations

import polars as pl

from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import col_y, is_active
from gaoqi.rules.programs.innovative_sme.program import innovative_sme
from gaoqi.rules.programs.quality_sme import (
    REGIME_2022,
    Range,
    annual_growth_at_least,
    band_range,
    ceiling_bands,
    column_output,
    debt_ratio_parts,
    indicator_columns,
    ip_bands,
    revenue,
    score_columns,
    share_bands,
)

PARTS = ("innovation", "growth", "specialisation")
SCORE_PARAMETERS = (
    "ip_bands",
    "rd_ratio_bands",
    "growth_bands",
    "debt_ratio_bands",
    "field_points",
    "main_business_share_bands",
)


def main_business_growth(p: Parameters) -> Range:
    """3. 上年度主营业务收入增长率 (20): g = 第3年 / 第2年 − 1, exactly; no year 2 or a year-2 value of zero
    fits no band but the last (0 points, flagged for review)."""
    m2, m3 = col_y("main_business_revenue", 2), col_y("main_business_revenue", 3)
    bands = p.innovative_sme.growth_bands
    tests = [
        (is_active(2, p) & annual_growth_at_least(m2, m3, band["min"]), int(band["points"]))
        for band in bands
        if band.get("min") is not None
    ]
    return band_range(tests, int(bands[-1]["points"]))


def indicators(p: Parameters) -> dict[str, Range]:
    """The six indicators, each as a range."""
    q = p.innovative_sme
    rev = revenue(3)
    liabilities, assets = debt_ratio_parts()
    field = q.field_points
    return {
        "ip": ip_bands(q.ip_bands),
        "rd_ratio": share_bands(rd_accounts(3), rev, q.rd_ratio_bands),
        "growth": main_business_growth(p),
        "debt_ratio": ceiling_bands(liabilities, assets, q.debt_ratio_bands),
        "field": band_range([(pl.col("is_strategic_emerging"), int(field["strategic_emerging"]))], int(field["other"])),
        "main_business_share": share_bands(col_y("main_business_revenue", 3), rev, q.main_business_share_bands),
    }


GROUPS = {
    "innovation": ("ip", "rd_ratio"),
    "growth": ("growth", "debt_ratio"),
    "specialisation": ("field", "main_business_share"),
}


@innovative_sme.derive
def indicator_stage(p: Parameters) -> dict[str, pl.Expr]:
    """Stage 1: each indicator's range, ``_innovative_sme_i_<indicator>_min/_max``."""
    return indicator_columns("innovative_sme", indicators(p)) if p.on >= REGIME_2022 else {}


@innovative_sme.derive
def score_stage(p: Parameters) -> dict[str, pl.Expr]:
    """Stage 2: group and total ranges, and ``_innovative_sme_scored`` — the total ≥ 60 and each group at least
    its minimum (innovation 20, growth 15, specialisation 15)."""
    if p.on < REGIME_2022:
        return {}
    q = p.innovative_sme
    minimums = {
        "score": q.pass_score,
        "innovation": q.innovation_min,
        "growth": q.growth_min,
        "specialisation": q.specialisation_min,
    }
    return score_columns("innovative_sme", GROUPS, minimums)


for _name in ("score", *PARTS):
    for _bound in ("min", "max"):
        innovative_sme.output(f"{_name}_{_bound}", unit="points", since=REGIME_2022)(
            column_output(f"_innovative_sme_{_name}_{_bound}")
        )

"""What the three quality-SME tiers share (优质中小企业梯度培育): regimes, common scope, measures and exact tests.

Two regimes, chosen by the evaluation date (national-criteria §3): 《优质中小企业梯度培育管理暂行办法》
（工信部企业〔2022〕63号） for dates from :data:`REGIME_2022` and before :data:`REGIME_2026`, and 《优质中小企业梯度培育
管理办法》（工信部企业〔2026〕2号） from :data:`REGIME_2026`. Both are known only from secondary sources (§0.3).

The measures the three programs read the same way:

- revenue is 营业收入 (``operating_revenue``), falling back to ``sales_revenue`` when it is not given (facts.md);
- R&D expense is the enterprise's R&D total, ``rd_expense`` (63号 and 2号 define no caliber of their own);
- growth is tested exactly in integers: the annual rate, the mean of two annual rates, the compound rate;
- the bands of 63号 are written "5%以上 / 3%-5%" without (含): a boundary value goes to the higher-scoring band
  (§0.4-8).

>>> REGIME_2026.isoformat()
'2026-04-01'
"""

from __future__ import annotations

from gaoqi.rules.programs.quality_sme.bands import (
    amount_bands,
    band_range,
    ceiling_bands,
    choice_bands,
    cite,
    column_output,
    indicator_columns,
    ip_bands,
    range_max,
    range_sum,
    score_columns,
    score_outcome,
    share_bands,
)
from gaoqi.rules.programs.quality_sme.conditions import (
    YEAR_WORDS,
    active_two_years,
    at_least_condition,
    debt_ratio_condition,
    each_year_rd_ratio_condition,
    main_business_share_condition,
)
from gaoqi.rules.programs.quality_sme.measures import (
    BOUNDARY_NOTE,
    DOC_2022,
    DOC_2026,
    IP_FACTS,
    MAIN_BUSINESS_GROWTH_SCALE,
    POINTS,
    RD_NOTE,
    REGIME_2022,
    REGIME_2026,
    Range,
    all_of,
    annual_growth_at_least,
    any_of,
    ceil_div_expr,
    compound_growth,
    compound_growth_at_least,
    compound_growth_v3_needed,
    debt_ratio_parts,
    debt_to_repay,
    growth_scale,
    main_business_growth_at_least,
    main_business_growth_stage,
    mean_growth,
    mean_growth_at_least,
    mean_growth_scaled,
    mean_growth_v3_needed,
    on_scale,
    revenue,
    revenue_need,
    revenue_note,
    yuan_to_reach_ratio,
    yuan_to_reach_share,
)
from gaoqi.rules.programs.quality_sme.scope import first_valid_issue, holds_title, on_or_after, register_common_scope
from gaoqi.rules.programs.quality_sme.size import (
    SIZE_ROW,
    SME_BY_SIZE,
    is_sme,
    size_row,
    size_row_stage,
    sme_by_size,
    sme_by_size_stage,
    sme_size_steps,
)

__all__ = [
    "BOUNDARY_NOTE",
    "DOC_2022",
    "DOC_2026",
    "IP_FACTS",
    "MAIN_BUSINESS_GROWTH_SCALE",
    "POINTS",
    "RD_NOTE",
    "REGIME_2022",
    "REGIME_2026",
    "SIZE_ROW",
    "SME_BY_SIZE",
    "YEAR_WORDS",
    "Range",
    "active_two_years",
    "all_of",
    "amount_bands",
    "annual_growth_at_least",
    "any_of",
    "at_least_condition",
    "band_range",
    "ceil_div_expr",
    "ceiling_bands",
    "choice_bands",
    "cite",
    "column_output",
    "compound_growth",
    "compound_growth_at_least",
    "compound_growth_v3_needed",
    "debt_ratio_condition",
    "debt_ratio_parts",
    "debt_to_repay",
    "each_year_rd_ratio_condition",
    "first_valid_issue",
    "growth_scale",
    "holds_title",
    "indicator_columns",
    "ip_bands",
    "is_sme",
    "main_business_growth_at_least",
    "main_business_growth_stage",
    "main_business_share_condition",
    "mean_growth",
    "mean_growth_at_least",
    "mean_growth_scaled",
    "mean_growth_v3_needed",
    "on_or_after",
    "on_scale",
    "range_max",
    "range_sum",
    "register_common_scope",
    "revenue",
    "revenue_need",
    "revenue_note",
    "score_columns",
    "score_outcome",
    "share_bands",
    "size_row",
    "size_row_stage",
    "sme_by_size",
    "sme_by_size_stage",
    "sme_size_steps",
    "yuan_to_reach_ratio",
    "yuan_to_reach_share",
]

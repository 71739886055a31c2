"""企业创新能力评价 — the 100-point innovation score of 国科发火〔2016〕195号 三（七） and annexes 3–5.

Four parts: IP ≤ 30, conversion of S&T results ≤ 30, R&D organisation and management ≤ 20, growth ≤ 20. Experts
score each item as an integer within a band; the rules can place an enterprise in a band from its facts but not
pick the point within it, so every part is a range ``[min, max]``. Items the experts scored (``assessments``)
narrow the range to a point.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import polars as pl

from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import col_y, fraction, is_active, num_active_years, sum_active_years
from gaoqi.rules.programs.hnte.program import hnte

Range = tuple[pl.Expr, pl.Expr]
PARTS = ("ip", "conversion", "rd_management", "growth")


def _given_or(column: str, low: pl.Expr | int, high: pl.Expr | int) -> Range:
    """An expert's score if given, otherwise the band's range."""
    given = pl.col(column)
    return pl.coalesce(given, pl.lit(low) if isinstance(low, int) else low), pl.coalesce(
        given, pl.lit(high) if isinstance(high, int) else high
    )


def _ip_count_points(p: Parameters) -> Range:
    """1.3 知识产权数量: A ≥1 Class I 7–8; B ≥5 Class II 5–6; C 3–4 Class II; D 1–2 Class II; E none 0."""
    class_1, class_2 = pl.col("ip_class_1"), pl.col("ip_class_2_unused")
    unknown = class_1.is_null() | class_2.is_null()
    bands = p.hnte.ip_count_bands
    low: Any = pl.when(unknown).then(0)
    high: Any = pl.when(unknown).then(p.hnte.ip_item_max["count"])
    for band in bands:
        if "class_1_min" in band:
            test = class_1 >= band["class_1_min"]
        elif "class_2_min" in band:
            test = class_2 >= band["class_2_min"]
        else:
            test = pl.lit(True)
        low, high = low.when(test).then(band["points"][0]), high.when(test).then(band["points"][1])
    return low.cast(pl.Int64), high.cast(pl.Int64)


def _ip_points(p: Parameters) -> Range:
    """1. 知识产权 ≤ 30: advancement, core support, count, acquisition, plus the standards bonus; capped at 30."""
    maxima = p.hnte.ip_item_max
    eligible = pl.col("ip_class_1") + pl.col("ip_class_2_unused")
    none = eligible == 0
    # without any IP, advancement, support and acquisition are band E: 0
    expert_max = pl.when(none).then(0).otherwise(maxima["advancement"])
    advancement = _given_or("ip_advancement", 0, expert_max)
    support = _given_or("ip_core_support", 0, pl.when(none).then(0).otherwise(maxima["core_support"]))
    count = _ip_count_points(p)
    self_band, bought_band = p.hnte.ip_acquisition_bands
    acquisition_low = (
        pl.when(pl.col("ip_self") > 0)
        .then(self_band["points"][0])
        .when(eligible > 0)
        .then(bought_band["points"][0])
        .otherwise(0)
    )
    acquisition_high = (
        pl.when(pl.col("ip_self") > 0)
        .then(self_band["points"][1])
        .when(pl.col("ip_self").is_null() & (eligible != 0))
        .then(maxima["acquisition"])
        .when(eligible > 0)
        .then(bought_band["points"][1])
        .when(eligible == 0)
        .then(0)
        .otherwise(maxima["acquisition"])
    )
    acquisition = _given_or("ip_acquisition", acquisition_low.fill_null(0), acquisition_high)
    drafted = pl.col("num_standards_drafted")
    bonus = _given_or(
        "standard_bonus",
        pl.when(drafted > 0).then(1).otherwise(0),
        pl.when(drafted == 0).then(0).otherwise(maxima["standard_bonus"]),
    )
    items = (advancement, support, count, acquisition, bonus)
    cap = p.hnte.score_max_ip
    low = pl.min_horizontal(pl.sum_horizontal([i[0] for i in items]), pl.lit(cap))
    high = pl.min_horizontal(pl.sum_horizontal([i[1] for i in items]), pl.lit(cap))
    return low, high


def _conversion_points(p: Parameters) -> Range:
    """2. 科技成果转化能力 ≤ 30, by the annual average number of conversions over the years in business.

    Interpretation (national-criteria §0.4-6): the divisor is the number of accounting years used; an average
    between 0 and 1 has no band and scores 0 (flagged for review).
    """
    total, _ = sum_active_years("conversions", p)
    years = num_active_years(p)
    low: Any = pl
    high: Any = pl
    for band in p.hnte.conversion_bands:
        test = pl.lit(True) if band["min"] is None else total >= years * band["min"]
        low, high = low.when(test).then(band["points"][0]), high.when(test).then(band["points"][1])
    unknown = total.is_null()
    return _given_or(
        "conversion_score",
        pl.when(unknown).then(0).otherwise(low).cast(pl.Int64),
        pl.when(unknown).then(p.hnte.score_max_conversion).otherwise(high).cast(pl.Int64),
    )


def _rd_management_points(p: Parameters) -> Range:
    """3. 研究开发组织管理水平 ≤ 20: four items that only experts can score."""
    items = [_given_or(f"rd_management_{i + 1}", 0, m) for i, m in enumerate(p.hnte.rd_management_max)]
    return pl.sum_horizontal([i[0] for i in items]), pl.sum_horizontal([i[1] for i in items])


def _growth_at_least(
    v1: pl.Expr, v2: pl.Expr, v3: pl.Expr, two_ratio: pl.Expr, t: Fraction, *, strict: bool = False
) -> pl.Expr:
    """Growth ``g ≥ t %`` (``g > t %`` when strict) without division, in 128-bit integers (squares of yuan
    overflow 64 bits).

    Two ratios: ½(v2/v1 + v3/v2) − 1 ≥ t  ⇔  100·b·(v2² + v1·v3) ≥ 2·(100·b + a)·v1·v2   (v1, v2 > 0, t = a/b)
    One ratio:  v3/v2 − 1 ≥ t            ⇔  100·b·v3 ≥ (100·b + a)·v2                    (v2 > 0)
    """
    a, b = t.numerator, t.denominator
    w1, w2, w3 = (v.cast(pl.Int128) for v in (v1, v2, v3))
    two_left, two_right = (w2 * w2 + w1 * w3) * (100 * b), w1 * w2 * (2 * (100 * b + a))
    one_left, one_right = w3 * (100 * b), w2 * (100 * b + a)
    if strict:
        return pl.when(two_ratio).then(two_left > two_right).otherwise(one_left > one_right)
    return pl.when(two_ratio).then(two_left >= two_right).otherwise(one_left >= one_right)


def growth_rate(v1: pl.Expr, v2: pl.Expr, v3: pl.Expr, two_ratio: pl.Expr) -> pl.Expr:
    """The growth rate as a float, for display only."""
    f1, f2, f3 = (v.cast(pl.Float64) for v in (v1, v2, v3))
    return pl.when(two_ratio).then((f2 / f1 + f3 / f2) / 2 - 1).otherwise(f3 / f2 - 1)


def growth_points(base: str, p: Parameters) -> tuple[Range, pl.Expr, pl.Expr, pl.Expr]:
    """One growth indicator (净资产增长率 or 销售收入增长率) ≤ 10: (range, rate, needs-review, unknown).

    195号 三（七）4: g = ½(v2/v1 + v3/v2) − 1; v1 = 0 → use the last two years; v2 = 0 → 0 points; g ≤ 0 → 0.
    Interpretation (national-criteria §0.4-3, §0.4-4): a divisor below zero gives 0 points and a review flag;
    a firm with two years uses v3/v2 − 1, with one year scores 0.
    """
    v1, v2, v3 = (_growth_value(base, k) for k in (1, 2, 3))
    has_two_years, has_three_years = is_active(2, p), is_active(1, p)
    two_ratio = has_three_years & (v1 != 0)
    unknown = v3.is_null() | (has_two_years & v2.is_null()) | (has_three_years & v1.is_null())
    negative = (has_two_years & (v2 < 0)) | (two_ratio & (v1 < 0))
    zero = has_two_years.not_() | (v2 == 0) | negative
    low: Any = pl.when(zero).then(0)
    high: Any = pl.when(zero).then(0)
    for band in p.hnte.growth_bands:
        if band.get("min") is not None:
            test = _growth_at_least(v1, v2, v3, two_ratio, fraction(band["min"]))
        elif band.get("min_exclusive") is not None:
            test = _growth_at_least(v1, v2, v3, two_ratio, fraction(band["min_exclusive"]), strict=True)
        else:
            test = pl.lit(True)
        low, high = low.when(test).then(band["points"][0]), high.when(test).then(band["points"][1])
    rate = pl.when(zero.not_()).then(growth_rate(v1, v2, v3, two_ratio))
    review = negative | (has_two_years & (v3 == 0) & (v2 != 0))
    maximum = p.hnte.growth_max
    return (
        (
            pl.when(unknown).then(0).otherwise(low).cast(pl.Int64),
            pl.when(unknown).then(maximum).otherwise(high).cast(pl.Int64),
        ),
        rate,
        review.fill_null(False),
        unknown,
    )


def _growth_value(base: str, k: int) -> pl.Expr:
    if base == "net_assets":
        return pl.coalesce(col_y("net_assets", k), col_y("total_assets", k) - col_y("total_liabilities", k))
    return col_y(base, k)


@hnte.derive
def score_parts(p: Parameters) -> dict[str, pl.Expr]:
    """Each part's range, and the total: ``_hnte_<part>_min``/``_max`` and ``_hnte_score_min``/``_max``."""
    assets, assets_rate, assets_review, _ = growth_points("net_assets", p)
    sales, sales_rate, sales_review, _ = growth_points("sales_revenue", p)
    parts: dict[str, Range] = {
        "ip": _ip_points(p),
        "conversion": _conversion_points(p),
        "rd_management": _rd_management_points(p),
        "growth": (assets[0] + sales[0], assets[1] + sales[1]),
    }
    columns = {}
    for name, (low, high) in parts.items():
        columns[f"_hnte_{name}_min"], columns[f"_hnte_{name}_max"] = low, high
    columns["_hnte_growth_net_assets"] = assets_rate
    columns["_hnte_growth_sales"] = sales_rate
    columns["_hnte_growth_review"] = assets_review | sales_review
    conversions, _ = sum_active_years("conversions", p)
    columns["_hnte_conversion_review"] = (
        pl.col("conversion_score").is_null() & (conversions > 0) & (conversions < num_active_years(p))
    ).fill_null(False)
    return columns


@hnte.derive
def score_total(p: Parameters) -> dict[str, pl.Expr]:
    """The total range from the parts; an expert panel's mean, when given, is the score itself."""
    experts = pl.col("expert_score_sum").cast(pl.Float64) / pl.col("expert_score_count").cast(pl.Float64)
    return {
        f"_hnte_score_{bound}": pl.coalesce(
            experts, pl.sum_horizontal([pl.col(f"_hnte_{part}_{bound}") for part in PARTS]).cast(pl.Float64)
        )
        for bound in ("min", "max")
    }


for _part in PARTS:
    for _bound in ("min", "max"):
        hnte.output(f"{_part}_{_bound}", unit="points")(lambda p, name=f"_hnte_{_part}_{_bound}": pl.col(name))
hnte.output("score_min", unit="points")(lambda p: pl.col("_hnte_score_min"))
hnte.output("score_max", unit="points")(lambda p: pl.col("_hnte_score_max"))
hnte.output("growth_net_assets", unit="ratio")(lambda p: pl.col("_hnte_growth_net_assets"))
hnte.output("growth_sales", unit="ratio")(lambda p: pl.col("_hnte_growth_sales"))

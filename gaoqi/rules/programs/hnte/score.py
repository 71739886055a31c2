"""企业创新能力评价 — the 100-point innovation score of 国科发火〔2016〕195号 三（七） and annexes 3–5.

Four parts: IP ≤ 30, conversion of S&T results ≤ 30, R&D organisation and management ≤ 20, growth ≤ 20. Experts
score each item as an integer within a band; the rules can place an enterprise in a band from its facts but not
pick the point within it, so every part is a range ``[min, max]``. Items the experts scored (``assessments``)
narrow the range to a point.
"""

from __future__ import annotations

import math
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
    between 0 and 1 has no band and scores 0 (flagged for review). The band test ``total ≥ years × min`` never divides.
    """
    total, years = pl.col("_hnte_conversions"), pl.col("_hnte_years")
    low: Any = pl.when(total.is_null()).then(0)
    high: Any = pl.when(total.is_null()).then(p.hnte.score_max_conversion)
    for band in p.hnte.conversion_bands:
        test = pl.lit(True) if band["min"] is None else total >= years * band["min"]
        low, high = low.when(test).then(band["points"][0]), high.when(test).then(band["points"][1])
    return _given_or("conversion_score", low.cast(pl.Int64), high.cast(pl.Int64))


def _rd_management_points(p: Parameters) -> Range:
    """3. 研究开发组织管理水平 ≤ 20: four items that only experts can score."""
    items = [_given_or(f"rd_management_{i + 1}", 0, m) for i, m in enumerate(p.hnte.rd_management_max)]
    return pl.sum_horizontal([i[0] for i in items]), pl.sum_horizontal([i[1] for i in items])


GROWTH = (("net_assets", "assets"), ("sales_revenue", "sales"))


def _growth_value(base: str, k: int) -> pl.Expr:
    if base == "net_assets":  # 195号: year-end net assets = total assets − total liabilities
        return pl.coalesce(col_y("net_assets", k), col_y("total_assets", k) - col_y("total_liabilities", k))
    return col_y(base, k)


@hnte.derive
def growth_terms(p: Parameters) -> dict[str, pl.Expr]:
    """The two growth indicators (195号 三（七）4) as exact integer terms, so that each band test is one comparison.

    g = ½(v2/v1 + v3/v2) − 1;  v1 = 0 → g = v3/v2 − 1;  v2 = 0 → 0 points;  g ≤ 0 → 0 points.
    ``g ≥ t %`` ⇔ ``left × 100 ≥ right × (100 + t)`` with, for two ratios, left = v2² + v1·v3 and right = 2·v1·v2
    (v1, v2 > 0), and for one ratio left = v3, right = v2 — in 128-bit integers, as squares of yuan overflow 64 bits.
    With ``q = ⌊left × 100·L / right⌋`` (L makes every band bound a whole number of 1/L per cent), that test is
    ``q ≥ (100 + t)·L`` exactly, and ``g > t %`` is ``⌊(left × 100·L − 1) / right⌋ ≥ (100 + t)·L``: one integer
    division per indicator, then each band is a cheap comparison.
    Interpretation (national-criteria §0.4-3, §0.4-4): a divisor below zero gives 0 points and a review flag; a firm
    with two years in business uses v3/v2 − 1, with one year scores 0.
    """
    scale = _growth_scale(p)
    columns: dict[str, pl.Expr] = {
        "_hnte_conversions": sum_active_years("conversions", p)[0],
        "_hnte_years": num_active_years(p),
    }
    has_two_years, has_three_years = is_active(2, p), is_active(1, p)
    for base, short in GROWTH:
        v1, v2, v3 = (_growth_value(base, k) for k in (1, 2, 3))
        two_ratio = has_three_years & (v1 != 0)
        negative = (has_two_years & (v2 < 0)) | (two_ratio & (v1 < 0))
        w1, w2, w3 = (v.cast(pl.Int128) for v in (v1, v2, v3))
        f1, f2, f3 = (v.cast(pl.Float64) for v in (v1, v2, v3))
        zero = has_two_years.not_() | (v2 == 0) | negative
        left = pl.when(two_ratio).then(w2 * w2 + w1 * w3).otherwise(w3)
        right = pl.when(zero).then(None).when(two_ratio).then(w1 * w2 * 2).otherwise(w2)
        columns |= {
            f"_hnte_{short}_unknown": v3.is_null() | (has_two_years & v2.is_null()) | (has_three_years & v1.is_null()),
            f"_hnte_{short}_zero": zero,
            f"_hnte_{short}_q": (left * (100 * scale) // right).cast(pl.Int64, strict=False),
            f"_hnte_{short}_q_strict": ((left * (100 * scale) - 1) // right).cast(pl.Int64, strict=False),
            f"_hnte_{short}_rate": pl.when(zero.not_()).then(
                pl.when(two_ratio).then((f2 / f1 + f3 / f2) / 2 - 1).otherwise(f3 / f2 - 1)
            ),
            f"_hnte_{short}_negative": negative.fill_null(False),
            f"_hnte_{short}_review": (negative | (has_two_years & (v3 == 0) & (v2 != 0))).fill_null(False),
        }
    return columns


def _growth_scale(p: Parameters) -> int:
    bounds = [band.get("min", band.get("min_exclusive")) for band in p.hnte.growth_bands]
    return math.lcm(*(fraction(b).denominator for b in bounds if b is not None))


def growth_points(short: str, p: Parameters) -> Range:
    """One growth indicator ≤ 10 points as a range: the band's points; unknown data → the whole 0–10."""
    scale = _growth_scale(p)
    q, q_strict = pl.col(f"_hnte_{short}_q"), pl.col(f"_hnte_{short}_q_strict")
    unknown, zero = pl.col(f"_hnte_{short}_unknown"), pl.col(f"_hnte_{short}_zero")
    maximum = p.hnte.growth_max
    low: Any = pl.when(unknown).then(0).when(zero).then(0)
    high: Any = pl.when(unknown).then(maximum).when(zero).then(0)
    for band in p.hnte.growth_bands:
        bound = band.get("min", band.get("min_exclusive"))
        if bound is None:
            test = pl.lit(True)
        else:
            needed = int((100 + fraction(bound)) * scale)
            test = q_strict >= needed if "min_exclusive" in band else q >= needed
        low, high = low.when(test).then(band["points"][0]), high.when(test).then(band["points"][1])
    return low.cast(pl.Int64), high.cast(pl.Int64)


@hnte.derive
def score_parts(p: Parameters) -> dict[str, pl.Expr]:
    """Each part's range: ``_hnte_<part>_min`` / ``_max``, and the review flags the criterion shows."""
    assets, sales = growth_points("assets", p), growth_points("sales", p)
    parts: dict[str, Range] = {
        "ip": _ip_points(p),
        "conversion": _conversion_points(p),
        "rd_management": _rd_management_points(p),
        "growth": (assets[0] + sales[0], assets[1] + sales[1]),
    }
    columns = {}
    for name, (low, high) in parts.items():
        columns[f"_hnte_{name}_min"], columns[f"_hnte_{name}_max"] = low, high
    conversions = pl.col("_hnte_conversions")
    columns["_hnte_growth_review"] = pl.col("_hnte_assets_review") | pl.col("_hnte_sales_review")
    columns["_hnte_conversion_review"] = (
        pl.col("conversion_score").is_null() & (conversions > 0) & (conversions < pl.col("_hnte_years"))
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
        hnte.expose(f"{_part}_{_bound}", f"_hnte_{_part}_{_bound}", unit="points")
hnte.expose("score_min", "_hnte_score_min", unit="points")
hnte.expose("score_max", "_hnte_score_max", unit="points")
hnte.expose("growth_net_assets", "_hnte_assets_rate", unit="ratio")
hnte.expose("growth_sales", "_hnte_sales_rate", unit="ratio")

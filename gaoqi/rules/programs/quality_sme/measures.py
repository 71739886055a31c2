"""Measures the three quality-SME tiers read the same way: revenue, exact ratios and gaps, growth rates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from functools import reduce
from typing import Any

import polars as pl

from gaoqi.rules.engine import COMMON, Need, Note
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import (
    col_y,
    fraction,
)

REGIME_2022 = date(2022, 6, 1)
"""工信部企业〔2022〕63号, issued June 2022 (often cited as 2022-06-01, national-criteria §0.4-13)."""
REGIME_2026 = date(2026, 4, 1)
"""工信部企业〔2026〕2号 takes effect (secondary sources, national-criteria §0.1 S11)."""

DOC_2022 = "工信部企业〔2022〕63号"
DOC_2026 = "工信部企业〔2026〕2号"

Range = tuple[pl.Expr, pl.Expr]
"""A score as ``(min, max)``: unknown inputs widen it, they never count as zero."""
POINTS = pl.Int16
"""Scores are small whole numbers (at most 100): 16-bit columns keep a million rows of them cheap."""

BOUNDARY_NOTE = Note("63号各档写作“5%以上、3%-5%”等而未注明（含），边界值同时落入两档；本项目按较高分档计。")
RD_NOTE = Note(
    "研发费用取企业研发费用总额（只填报明细时按各项实际发生额合计，不作高企或加计扣除口径调整）；63号、2号未另定口径。"
)
IP_FACTS = {
    "high_value_class_1": "ip_class_1_sme_high_value",
    "self_class_1": "ip_class_1_sme_self",
    "class_1": "ip_class_1_sme",
    "class_2": "ip_class_2_sme",
}
"""IP band kinds in the parameter files → the counts of ``facts.py`` on the quality-SME caliber."""


# ---------------------------------------------------------------------------------------------------- measures


def revenue(k: int) -> pl.Expr:
    """营业收入 of year ``k``; ``sales_revenue`` when operating revenue is not given (facts.md: "defaults to")."""
    return pl.coalesce(col_y("operating_revenue", k), col_y("sales_revenue", k))


def revenue_need(k: int, when: pl.Expr | None = None) -> Need:
    """Operating revenue is missing only when the sales revenue it defaults to is missing too (and ``when``)."""
    fallback_missing = col_y("sales_revenue", k).is_null()
    return Need(f"operating_revenue_y{k}", fallback_missing if when is None else fallback_missing & when)


def revenue_note(*years: int) -> Note:
    fallback = reduce(
        lambda a, b: a | b,
        [col_y("operating_revenue", k).is_null() & col_y("sales_revenue", k).is_not_null() for k in years],
    )
    return Note("营业收入未提供，按销售收入计。", fallback)


def any_of(tests: Sequence[pl.Expr]) -> pl.Expr:
    """Kleene OR: true if any is true, false if all are false, otherwise unknown."""
    return reduce(lambda a, b: a | b, tests)


def all_of(tests: Sequence[pl.Expr]) -> pl.Expr:
    """Kleene AND: false if any is false, true if all are true, otherwise unknown."""
    return reduce(lambda a, b: a & b, tests)


def ceil_div_expr(num: pl.Expr, den: pl.Expr | int) -> pl.Expr:
    """Integer ceiling of ``num / den`` for a positive ``den`` (an expression or an int); no negation, which
    128-bit integers do not support."""
    return (num + den - 1) // den


def yuan_to_reach_share(part: pl.Expr, whole: pl.Expr, pct: Any) -> pl.Expr:
    """Yuan to add to ``part`` (which is also in ``whole``) so that ``part / whole ≥ pct %``, at least 1."""
    f = fraction(pct)
    a, b = f.numerator, f.denominator
    return pl.max_horizontal(ceil_div_expr(whole * a - part * (100 * b), 100 * b - a), pl.lit(1))


def yuan_to_reach_ratio(num: pl.Expr, den: pl.Expr, pct: Any) -> pl.Expr:
    """Yuan to add to ``num`` (not part of ``den``) so that ``num / den ≥ pct %``, at least 1."""
    f = fraction(pct)
    return pl.max_horizontal(
        ceil_div_expr(den * f.numerator - num * (100 * f.denominator), 100 * f.denominator), pl.lit(1)
    )


def debt_to_repay(liabilities: pl.Expr, assets: pl.Expr, pct: Any) -> pl.Expr:
    """Liabilities to repay out of assets (both fall) so that ``liabilities / assets ≤ pct %``, at least 1."""
    f = fraction(pct)
    a, b = f.numerator, f.denominator
    return pl.max_horizontal(ceil_div_expr(liabilities * (100 * b) - assets * a, 100 * b - a), pl.lit(1))


def debt_ratio_parts() -> tuple[pl.Expr, pl.Expr]:
    """资产负债率 of the last year-end: (total liabilities, total assets) of year 3."""
    return col_y("total_liabilities", 3), col_y("total_assets", 3)


# ------------------------------------------------------------------------------------------------------ growth


def _wide(*values: pl.Expr) -> list[pl.Expr]:
    """Products of yuan amounts overflow 64 bits; growth tests run in 128-bit integers."""
    return [v.cast(pl.Int128) for v in values]


def _reduced(left: int, right: int) -> tuple[int, int]:
    """Two integer coefficients divided by their greatest common divisor."""
    g = math.gcd(left, right)
    return left // g, right // g


def annual_growth_at_least(v2: pl.Expr, v3: pl.Expr, pct: Any) -> pl.Expr:
    """``v3 / v2 − 1 ≥ pct %`` ⇔ ``100·b·v3 ≥ (100·b + a)·v2`` (v2 > 0, pct = a/b); false when v2 ≤ 0.

    The coefficients are reduced (at 5 %: 20·v3 ≥ 21·v2) and stay in 64 bits for any amount a firm reports.
    """
    f = fraction(pct)
    left, right = _reduced(100 * f.denominator, 100 * f.denominator + f.numerator)
    return (v2 > 0) & (v3 * left >= v2 * right)


def mean_growth_scaled(v1: pl.Expr, v2: pl.Expr, v3: pl.Expr, scale: int) -> pl.Expr:
    """``⌊scale·(1 + g)⌋`` for the mean of the two annual growth rates ``g = ½(v2/v1 + v3/v2) − 1``
    (national-criteria §0.4-10): ``⌊scale·(v2² + v1·v3) / (2·v1·v2)⌋`` in 128-bit integers (squares of yuan
    overflow 64 bits); null unless v1, v2 > 0.

    As ``scale·(1 + t)`` is a whole number for a threshold ``t`` on the scale, ``g ≥ t`` exactly when this floor
    reaches it: one exact division decides every band.
    """
    w1, w2, w3 = _wide(v1, v2, v3)
    scaled = ((w2 * w2 + w1 * w3) * scale // (w1 * w2 * 2)).cast(pl.Int64)
    return pl.when((v1 > 0) & (v2 > 0)).then(scaled)


MAIN_BUSINESS_GROWTH_SCALE = 10_000
"""The scale of ``_quality_sme_main_business_growth``: whole for any threshold given to two decimal places."""


@COMMON.derive
def main_business_growth_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``⌊10000·(1 + g)⌋`` of the mean main-business growth over the last two years, computed once: the 2022 SRDI
    score and the 2022 little-giant condition both read it (one 128-bit division per enterprise, not one per band)."""
    m1, m2, m3 = (col_y("main_business_revenue", k) for k in (1, 2, 3))
    return {"_quality_sme_main_business_growth": mean_growth_scaled(m1, m2, m3, MAIN_BUSINESS_GROWTH_SCALE)}


def main_business_growth_at_least(pct: Any) -> pl.Expr:
    """The mean main-business growth of the last two years is at least ``pct`` %; null unless y1, y2 > 0."""
    return pl.col("_quality_sme_main_business_growth") >= on_scale(pct, MAIN_BUSINESS_GROWTH_SCALE)


def growth_scale(pcts: Sequence[Any]) -> int:
    """A scale on which every percentage in ``pcts`` is whole: 100 × the least common denominator."""
    return 100 * math.lcm(*(fraction(pct).denominator for pct in pcts))


def on_scale(pct: Any, scale: int) -> int:
    """``scale·(1 + pct %)``, a whole number when ``scale`` comes from :func:`growth_scale`."""
    value = scale * (1 + fraction(pct) / 100)
    assert value.denominator == 1, f"{pct} % is not whole on the scale {scale}"
    return int(value)


def mean_growth_at_least(v1: pl.Expr, v2: pl.Expr, v3: pl.Expr, pct: Any) -> pl.Expr:
    """The mean of the two annual growth rates is at least ``pct`` %; false unless v1, v2 > 0."""
    scale = growth_scale([pct])
    return (v1 > 0) & (v2 > 0) & (mean_growth_scaled(v1, v2, v3, scale) >= on_scale(pct, scale))


def mean_growth_v3_needed(v1: pl.Expr, v2: pl.Expr, pct: Any) -> pl.Expr:
    """The least year-3 value for which the mean growth reaches ``pct %``:
    ⌈(2·(100b + a)·v1·v2 − 100b·v2²) / (100b·v1)⌉."""
    f = fraction(pct)
    a, b = f.numerator, f.denominator
    w1, w2 = _wide(v1, v2)
    return ceil_div_expr(w1 * w2 * (2 * (100 * b + a)) - w2 * w2 * (100 * b), w1 * (100 * b)).cast(pl.Int64)


def compound_growth_at_least(v1: pl.Expr, v3: pl.Expr, pct: Any) -> pl.Expr:
    """Two-year compound growth ``sqrt(v3/v1) − 1 ≥ pct %`` ⇔ ``(100·b)²·v3 ≥ (100·b + a)²·v1`` (v1 > 0), the
    coefficients reduced — at 5 %: ``400·v3 ≥ 441·v1``. False when v1 ≤ 0."""
    f = fraction(pct)
    left, right = _reduced((100 * f.denominator) ** 2, (100 * f.denominator + f.numerator) ** 2)
    return (v1 > 0) & (v3 * left >= v1 * right)


def compound_growth_v3_needed(v1: pl.Expr, pct: Any) -> pl.Expr:
    """The least year-3 value for which the compound growth reaches ``pct %``: ⌈right·v1 / left⌉."""
    f = fraction(pct)
    left, right = _reduced((100 * f.denominator) ** 2, (100 * f.denominator + f.numerator) ** 2)
    return ceil_div_expr(v1 * right, left)


def mean_growth(v1: pl.Expr, v2: pl.Expr, v3: pl.Expr) -> pl.Expr:
    """Display only."""
    f1, f2, f3 = (v.cast(pl.Float64) for v in (v1, v2, v3))
    return pl.when((v1 > 0) & (v2 > 0)).then((f2 / f1 + f3 / f2) / 2 - 1)


def compound_growth(v1: pl.Expr, v3: pl.Expr) -> pl.Expr:
    """Display only."""
    return pl.when(v1 > 0).then((v3.cast(pl.Float64) / v1.cast(pl.Float64)).sqrt() - 1)

"""Expression helpers every program shares: accounting years, exact ratio tests, bands, integer gaps.

Ratios are never divided and rounded to decide anything: ``a / b ≥ 5 %`` is tested as ``a × 100 ≥ b × 5`` on
integers (percentages given as decimals become exact fractions first).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import polars as pl

from gaoqi.rules.engine import COMMON, Need
from gaoqi.rules.facts import YEARS
from gaoqi.rules.parameters import Parameters

FLOAT_TOLERANCE = 1e-9
"""Staff averages are fractions of twelfths and halves; binary floats cannot hold them exactly, so a share of staff
exactly on a threshold is judged with this relative tolerance. Money never needs it: it is held in integers."""


def calendar_year(k: int, p: Parameters) -> int:
    """Accounting year ``k`` (1 oldest, 3 latest) for an application in ``p.on``'s year."""
    return p.on.year - 4 + k


def is_active(k: int, p: Parameters) -> pl.Expr:
    """The enterprise existed in accounting year ``k`` (unknown registration: assume it did, so data is required)."""
    return pl.col(f"_active_y{k}")


@COMMON.derive
def accounting_years(p: Parameters) -> dict[str, pl.Expr]:
    """``_active_y1…3``: which of the three accounting years the enterprise existed in (computed once)."""
    registered = pl.col("registered_on")
    year = registered.dt.year()
    return {f"_active_y{k}": registered.is_null() | (year <= calendar_year(k, p)) for k in YEARS}


def col_y(base: str, k: int) -> pl.Expr:
    return pl.col(f"{base}_y{k}")


def sum_active_years(base: str, p: Parameters, years: Sequence[int] = YEARS) -> tuple[pl.Expr, list[Need]]:
    """Sum a yearly fact over the years the enterprise existed; null if any such year is unknown.

    Years before registration drop out of the sum (32号 第十一条（五）: "实际经营期"); a missing year that should
    have data is never read as zero.
    """
    terms = [pl.when(is_active(k, p)).then(col_y(base, k)).otherwise(pl.lit(0, dtype=pl.Int64)) for k in years]
    total = terms[0]
    for term in terms[1:]:
        total = total + term  # plain + propagates null, unlike sum_horizontal
    return total, [Need(f"{base}_y{k}", is_active(k, p)) for k in years]


def num_active_years(p: Parameters, years: Sequence[int] = YEARS) -> pl.Expr:
    return pl.sum_horizontal([is_active(k, p).cast(pl.Int64) for k in years])


def fraction(pct: Any) -> Fraction:
    """A percentage from a parameter (5, "2.5", 81.25) as an exact fraction."""
    return Fraction(str(pct))


def share_at_least(num: pl.Expr, den: pl.Expr, pct: Any) -> pl.Expr:
    """``num / den ≥ pct %`` by cross-multiplying integers; null when either side is unknown."""
    f = fraction(pct)
    return num * (100 * f.denominator) >= den * f.numerator


def share_above(num: pl.Expr, den: pl.Expr, pct: Any) -> pl.Expr:
    """``num / den > pct %`` by cross-multiplying integers."""
    f = fraction(pct)
    return num * (100 * f.denominator) > den * f.numerator


def share_at_most(num: pl.Expr, den: pl.Expr, pct: Any) -> pl.Expr:
    """``num / den ≤ pct %`` by cross-multiplying integers."""
    f = fraction(pct)
    return num * (100 * f.denominator) <= den * f.numerator


def staff_share_at_least(num: pl.Expr, den: pl.Expr, pct: Any) -> pl.Expr:
    """``num / den ≥ pct %`` for staff averages (floats), exact up to :data:`FLOAT_TOLERANCE`."""
    f = fraction(pct)
    return num * (100 * f.denominator) >= den * f.numerator * (1 - FLOAT_TOLERANCE)


def ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """A ratio for display only (never for a decision); null when the denominator is zero."""
    return pl.when(den != 0).then(num.cast(pl.Float64) / den.cast(pl.Float64))


def ceil_div(num: pl.Expr, den: int) -> pl.Expr:
    """Integer ceiling of ``num / den`` for a positive integer ``den`` (no negation: Polars has none for Int128)."""
    return (num + (den - 1)) // den


def points_by_share(num: pl.Expr, den: pl.Expr, bands: Sequence[Any], *, staff: bool = False) -> pl.Expr:
    """Points of the first band whose lower bound the share reaches; bands are ``[{min: pct, points: n}, …]``,
    highest first, the last with ``min: null`` (anything below). A bound is inclusive."""
    test = staff_share_at_least if staff else share_at_least
    expr: pl.Expr | None = None
    chain: Any = pl
    for band in bands:
        if band.get("min") is None:
            return (chain.otherwise(pl.lit(band["points"])) if expr is not None else pl.lit(band["points"])).cast(
                pl.Int64
            )
        chain = chain.when(test(num, den, band["min"])).then(pl.lit(band["points"]))
        expr = chain
    assert expr is not None, "bands must not be empty"
    return expr.cast(pl.Int64)


def points_by_amount(amount: pl.Expr, bands: Sequence[Any]) -> pl.Expr:
    """Points of the first band whose lower bound ``amount`` reaches (inclusive); same band format, yuan or counts."""
    chain: Any = pl
    for band in bands:
        if band.get("min") is None:
            return pl.Expr.cast(chain.otherwise(pl.lit(band["points"])), pl.Int64)
        chain = chain.when(amount >= band["min"]).then(pl.lit(band["points"]))
    return pl.Expr.cast(chain.otherwise(pl.lit(0)), pl.Int64)


def certificate_valid(column: str, p: Parameters, years: int) -> pl.Expr:
    """A certificate issued on ``column`` is valid on ``p.on`` (valid ``years`` years from the issue date).

    Null when the certificate list was not given at all; false when it was given and holds no such certificate.
    """
    issued = pl.col(column)
    expires = issued.dt.offset_by(f"{years}y")
    valid = (issued <= pl.lit(p.on)) & (pl.lit(p.on) < expires)
    return pl.when(pl.col("has_certificate_record")).then(valid.fill_null(False))


def any_count(column: str) -> pl.Expr:
    """A count of list items is positive (null when the list was not given)."""
    return pl.col(column) > 0

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

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import reduce
from typing import Any

import polars as pl

from gaoqi.rules.engine import COMMON, Condition, Need, Note, Program
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import (
    col_y,
    fraction,
    is_active,
    ratio,
    share_at_least,
    share_at_most,
    staff_share_at_least,
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

BOUNDARY_NOTE = Note(
    "63号各档写作“5%以上、3%-5%”等而未注明（含），边界值同时落入两档；按较高分档计（national-criteria §0.4-8）。"
)
RD_NOTE = Note(
    "研发费用取企业研发费用总额（rd_expense；只填报明细时按各项实际发生额合计，不作高企或加计扣除口径调整）；"
    "63号、2号未另定口径（national-criteria §5）。"
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
    return Note("营业收入未提供，按销售收入计（facts.md：营业收入缺省取销售收入）。", fallback)


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


# ------------------------------------------------------------------------------------------------------- bands


def band_range(bands: Sequence[tuple[pl.Expr, int]], floor: int) -> Range:
    """Points of the first band whose test holds, highest band first; ``floor`` when none does.

    Tests are Kleene booleans: the minimum counts only tests known to hold, the maximum every test not known to
    fail — so an unknown input gives the range of bands it could fall in.
    """
    assert bands, "bands must not be empty"
    low: Any = pl
    high: Any = pl
    for test, points in bands:
        low = low.when(test.fill_null(False)).then(pl.lit(points, dtype=POINTS))
        high = high.when(test.fill_null(True)).then(pl.lit(points, dtype=POINTS))
    return low.otherwise(pl.lit(floor, dtype=POINTS)), high.otherwise(pl.lit(floor, dtype=POINTS))


def _floor(bands: Sequence[Any], key: str) -> int:
    return int(next(band["points"] for band in bands if band.get(key) is None))


def share_bands(num: pl.Expr, den: pl.Expr, bands: Sequence[Any], *, staff: bool = False) -> Range:
    """Bands ``[{min: pct, points}, …, {min: null, points}]`` on ``num / den`` (inclusive lower bounds).

    A denominator of zero or less fits no band but the last (flag it for review where it can happen).
    """
    test = staff_share_at_least if staff else share_at_least
    pairs = [((den > 0) & test(num, den, b["min"]), int(b["points"])) for b in bands if b.get("min") is not None]
    return band_range(pairs, _floor(bands, "min"))


def ceiling_bands(num: pl.Expr, den: pl.Expr, bands: Sequence[Any]) -> Range:
    """Bands ``[{max: pct, points}, …, {max: null, points}]`` on ``num / den`` (inclusive upper bounds)."""
    pairs = [
        ((den > 0) & share_at_most(num, den, b["max"]), int(b["points"])) for b in bands if b.get("max") is not None
    ]
    return band_range(pairs, _floor(bands, "max"))


def amount_bands(amount: pl.Expr, bands: Sequence[Any]) -> Range:
    """Bands ``[{min: n, points}, …, {min: null, points}]`` on an amount or a level (inclusive lower bounds)."""
    pairs = [(amount >= b["min"], int(b["points"])) for b in bands if b.get("min") is not None]
    return band_range(pairs, _floor(bands, "min"))


def ip_bands(bands: Sequence[Any]) -> Range:
    """IP bands ``[{ip: high_value_class_1, min: 1, points}, …, {ip: null, points}]`` on the quality-SME counts.

    Interpretation (national-criteria §0.4-14): the counts hold only IP related to the leading product (flagged
    related, or core to the main product); an item flagged neither makes its count unknown, so the band is a range.
    """
    pairs = [(pl.col(IP_FACTS[b["ip"]]) >= b["min"], int(b["points"])) for b in bands if b.get("ip") is not None]
    return band_range(pairs, _floor(bands, "ip"))


def choice_bands(column: str, points: dict[str, int]) -> Range:
    """Points by a categorical fact (``{choice: points}``); an unknown choice spans them all."""
    ordered = sorted(points.items(), key=lambda item: -item[1])
    floor = min(points.values())
    return band_range([(pl.col(column) == choice, n) for choice, n in ordered if n > floor], floor)


def range_sum(parts: Sequence[Range]) -> Range:
    low = reduce(lambda a, b: a + b, [part[0] for part in parts])
    high = reduce(lambda a, b: a + b, [part[1] for part in parts])
    return low, high


def range_max(parts: Sequence[Range]) -> Range:
    """The better of alternative ways to score one indicator (the range bounds are never null)."""
    return pl.max_horizontal([part[0] for part in parts]), pl.max_horizontal([part[1] for part in parts])


def score_outcome(parts: Sequence[tuple[Range, Any]]) -> pl.Expr:
    """Pass when every ``(range, minimum)`` is met by its lower bound, fail when any upper bound falls short."""
    met = all_of([low >= minimum for (low, _), minimum in parts])
    short = any_of([high < minimum for (_, high), minimum in parts])
    return pl.when(met).then(True).when(short).then(False).otherwise(pl.lit(None, dtype=pl.Boolean))


def indicator_columns(prefix: str, indicators: dict[str, Range]) -> dict[str, pl.Expr]:
    """Stage 1 of a score: each indicator's range as ``_<prefix>_i_<indicator>_min/_max``."""
    columns: dict[str, pl.Expr] = {}
    for name, (low, high) in indicators.items():
        columns[f"_{prefix}_i_{name}_min"], columns[f"_{prefix}_i_{name}_max"] = low, high
    return columns


def score_columns(prefix: str, groups: Mapping[str, Sequence[str]], minimums: Mapping[str, Any]) -> dict[str, pl.Expr]:
    """Stage 2 of a score, from the indicator columns: ``_<prefix>_<group>_min/_max``, ``_<prefix>_score_min/_max``
    and ``_<prefix>_scored`` — true when the lower bound meets every minimum (``score`` names the total), false
    when an upper bound misses one, else null."""
    ranges: dict[str, Range] = {}
    for name, members in groups.items():
        ranges[name] = (
            reduce(lambda a, b: a + b, [pl.col(f"_{prefix}_i_{i}_min") for i in members]),
            reduce(lambda a, b: a + b, [pl.col(f"_{prefix}_i_{i}_max") for i in members]),
        )
    ranges["score"] = range_sum(list(ranges.values()))
    columns: dict[str, pl.Expr] = {}
    for name, (low, high) in ranges.items():
        columns[f"_{prefix}_{name}_min"], columns[f"_{prefix}_{name}_max"] = low, high
    columns[f"_{prefix}_scored"] = score_outcome([(ranges[name], minimum) for name, minimum in minimums.items()])
    return columns


def column_output(name: str) -> Callable[[Parameters], pl.Expr]:
    """An output that shows a derived column as it stands."""

    def build(p: Parameters) -> pl.Expr:
        return pl.col(name)

    return build


def cite(p: Parameters, folder: str, names: Sequence[str]) -> None:
    """Read parameters a derived score used, so that the criterion deciding on that score cites them."""
    for name in names:
        p.value(f"{folder}.{name}")


# ---------------------------------------------------------------------------------------------------- SME size


def _after(prefix: str) -> str:
    """The least string above every string that starts with ``prefix`` (codes are letters and digits)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def sme_size_steps(p: Parameters) -> tuple[list[tuple[str, int | None]], list[dict[str, Any]]]:
    """The size table as a step function of the industry code, and the rows.

    Every code that starts with a prefix lies in ``[prefix, _after(prefix))`` in string order, so the rows become
    consecutive intervals: ``[(upper bound, row or None), …]`` in ascending order, the longest prefix winning where
    ranges nest, codes before the first bound or in no range giving None.

    >>> from gaoqi.rules.parameters import load_parameters
    >>> steps, _ = sme_size_steps(load_parameters().at(date(2025, 6, 30)))
    >>> steps[:3]
    [('A', None), ('B', 0), ('E', 1)]
    """
    rows = list(p.quality_sme.sme_size_table)
    ranges = [(prefix, _after(prefix), index) for index, row in enumerate(rows) for prefix in row["codes"]]
    bounds = sorted({bound for start, end, _ in ranges for bound in (start, end)})
    steps: list[tuple[str, int | None]] = [(bounds[0], None)]
    for low, high in itertools.pairwise(bounds):
        covering = [(len(start), index) for start, end, index in ranges if start <= low and high <= end]
        row = max(covering)[1] if covering else None
        if steps[-1][1] == row:
            steps[-1] = (high, row)
        else:
            steps.append((high, row))
    return steps, rows


def size_row(p: Parameters) -> pl.Expr:
    """The row of the size table for the industry code (Int8, null when none), by its place in string order.

    The first step whose bound is above the code gives the row: a binary search over the sorted bounds, then a
    lookup — one pass over the column rather than one comparison per step.
    """
    code = pl.col("industry_code")
    steps, _ = sme_size_steps(p)
    bounds = [bound for bound, _ in steps]
    assert bounds == sorted(bounds), "size-table steps must be in string order"
    rows = pl.Series([row for _, row in steps] + [None], dtype=pl.Int8)
    place = pl.lit(pl.Series(bounds, dtype=pl.String)).search_sorted(code, side="right")
    return pl.when(code.is_not_null()).then(pl.lit(rows).gather(place))


def sme_by_size(p: Parameters, row: pl.Expr) -> pl.Expr:
    """SME status derived from 《中小企业划型标准规定》 by industry, staff, revenue and total assets of year 3.

    工信部联企业〔2011〕300号 第四条: an enterprise is small or medium when it is below ANY one limit of its industry
    ("从业人员1000人以下或营业收入40000万元以下"). Null when the industry is not in the table (or its code is too
    short to place it) or when a decisive figure is unknown. ``row`` is the derived column of :func:`size_row`.
    """
    _, rows = sme_size_steps(p)
    measures = {
        "staff_below": col_y("staff_total", 3),
        "revenue_below": revenue(3),
        "assets_below": col_y("total_assets", 3),
    }
    tests = []
    for key, measure in measures.items():
        limit: Any = pl
        for index, r in enumerate(rows):
            if r.get(key) is not None:
                limit = limit.when(row == index).then(pl.lit(float(r[key])))
        # a limit the industry does not have can never make it small or medium
        limit = limit.otherwise(pl.lit(None, dtype=pl.Float64))
        tests.append(pl.when(limit.is_null()).then(pl.lit(False)).otherwise(measure < limit))
    return pl.when(row.is_not_null()).then(any_of(tests)).otherwise(pl.lit(None, dtype=pl.Boolean))


SIZE_ROW = "_quality_sme_size_row"
SME_BY_SIZE = "_quality_sme_sme_by_size"


@COMMON.derive
def size_row_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_quality_sme_size_row``: the size-table row of the industry code, derived once for all three tiers.

    A common derivation: computed once whichever of the tiers are evaluated, and pruned by the query optimiser
    from plans that do not read it.
    """
    return {SIZE_ROW: size_row(p)} if p.is_in_force("quality_sme.sme_size_table") else {}


@COMMON.derive
def sme_by_size_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_quality_sme_sme_by_size``: the SME status the size table gives (null where it cannot tell)."""
    return {SME_BY_SIZE: sme_by_size(p, pl.col(SIZE_ROW))} if p.is_in_force("quality_sme.sme_size_table") else {}


def is_sme(row: pl.Expr, derived: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(SME status, derived from the table, not placeable): the fact ``is_sme`` when given, else derived."""
    given = pl.col("is_sme")
    return pl.coalesce(given, derived), given.is_null() & derived.is_not_null(), given.is_null() & row.is_null()


# ---------------------------------------------------------------------------------------- shared conditions


def main_business_share_condition(pct: Any, notes: Sequence[Note] = ()) -> Condition:
    """Last-year main business revenue / operating revenue ≥ ``pct`` %. The gap is main business revenue to add,
    which also adds to operating revenue."""
    main, rev = col_y("main_business_revenue", 3), revenue(3)
    return Condition(
        passed=(rev > 0) & share_at_least(main, rev, pct),
        value=ratio(main, rev),
        threshold=pl.lit(float(fraction(pct)) / 100),
        gap=yuan_to_reach_share(main, rev, pct),
        needs=["main_business_revenue_y3", revenue_need(3)],
        notes=[revenue_note(3), *notes],
    )


def debt_ratio_condition(pct: Any, notes: Sequence[Note] = ()) -> Condition:
    """Debt-to-asset ratio at the last year-end ≤ ``pct`` %. The gap is the liabilities to repay out of assets."""
    liabilities, assets = debt_ratio_parts()
    return Condition(
        passed=(assets > 0) & share_at_most(liabilities, assets, pct),
        value=ratio(liabilities, assets),
        threshold=pl.lit(float(fraction(pct)) / 100),
        gap=debt_to_repay(liabilities, assets, pct),
        needs=["total_liabilities_y3", "total_assets_y3"],
        notes=list(notes),
    )


def at_least_condition(column: str, minimum: Any, notes: Sequence[Note] = ()) -> Condition:
    """A count, a number of years or a score at or above ``minimum`` (以上、不低于); the gap is what is short."""
    value = pl.col(column)
    return Condition(
        passed=value >= minimum,
        value=value,
        threshold=pl.lit(minimum),
        gap=minimum - value,
        needs=[column],
        notes=list(notes),
    )


def each_year_rd_ratio_condition(p: Parameters, pct: Any, notes: Sequence[Note] = ()) -> Condition:
    """R&D expense / operating revenue ≥ ``pct`` % in each of the last two years (“近2年……均不低于”, §3.C-2).

    The value shown is the lower ratio, the gap the R&D to add in the worse year; a firm without a year 2 fails.
    """
    pairs = [(rd_accounts(k), revenue(k)) for k in (2, 3)]
    active = is_active(2, p)
    return Condition(
        passed=active & all_of([(rev > 0) & share_at_least(rd, rev, pct) for rd, rev in pairs]),
        value=pl.min_horizontal([ratio(rd, rev) for rd, rev in pairs]),
        threshold=pl.lit(float(fraction(pct)) / 100),
        gap=pl.max_horizontal([yuan_to_reach_ratio(rd, rev, pct) for rd, rev in pairs]),
        needs=[Need("rd_expense_y2", active), "rd_expense_y3", revenue_need(2, active), revenue_need(3)],
        notes=[RD_NOTE, revenue_note(2, 3), *notes],
    )


# ------------------------------------------------------------------------------------------------ certificates


def _add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February (as Polars' ``offset_by`` does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_valid_issue(on: date, years: int) -> date:
    """The earliest issue date of a title still valid on ``on`` when titles are valid ``years`` from issue."""
    day = _add_years(on, -years) - timedelta(days=3)
    while _add_years(day, years) <= on:
        day += timedelta(days=1)
    return day


def holds_title(column: str, p: Parameters, years: int) -> pl.Expr:
    """A title (certificate or database entry) issued on ``column`` is valid on the evaluation date.

    Same reading as :func:`~gaoqi.rules.programs.common.certificate_valid` (valid ``years`` from the issue date;
    null when the certificate list was not given), with the expiry turned into a cut-off date at plan time so that
    a million rows compare two dates instead of shifting each by years.

    >>> first_valid_issue(date(2025, 6, 30), 3)
    datetime.date(2022, 7, 1)
    """
    issued = pl.col(column)
    valid = (issued <= pl.lit(p.on)) & (issued >= pl.lit(first_valid_issue(p.on, years)))
    return pl.when(pl.col("has_certificate_record")).then(valid.fill_null(False))


# ------------------------------------------------------------------------------------------------ common scope


def register_common_scope(
    prog: Program, *, citation: str, since: date | None, until: date | None, notes: Sequence[Note] = ()
) -> None:
    """The general conditions every tier shares (63号 第二章; national-criteria §3A.1): SME scope, products not
    prohibited, a clean record. ``notes`` are added to each (e.g. that 2号 is read as keeping them)."""
    row, by_size = pl.col(SIZE_ROW), pl.col(SME_BY_SIZE)

    @prog.criterion(
        "sme_scope",
        label="在中华人民共和国境内工商注册登记、具有独立法人资格，符合《中小企业划型标准规定》的中小企业",
        citation=f"{citation}；工信部联企业〔2011〕300号",
        since=since,
        until=until,
    )
    def sme_scope(p: Parameters) -> Condition:
        """在中华人民共和国境内工商注册登记、具有独立法人资格，符合《中小企业划型标准规定》的中小企业。

        Interpretation: ``is_mainland_resident`` stands for registration in China with independent legal
        personality. SME status is the fact ``is_sme``; when it is not given it is derived from the table of
        工信部联企业〔2011〕300号 (industry, staff, revenue, total assets of year 3), which the reference did not
        verify.
        """
        cite(p, "quality_sme", ("sme_size_table",))
        sme, derived, unplaced = is_sme(row, by_size)
        given_null = pl.col("is_sme").is_null()
        return Condition(
            passed=pl.col("is_mainland_resident") & sme,
            needs=[
                "is_mainland_resident",
                Need("is_sme", sme.is_null()),
                Need("industry_code", given_null),
                Need("staff_total_y3", given_null),
                Need("operating_revenue_y3", given_null & col_y("sales_revenue", 3).is_null()),
                Need("total_assets_y3", given_null),
            ],
            notes=[
                *notes,
                Note(
                    "中小企业身份按《中小企业划型标准规定》（工信部联企业〔2011〕300号）划型表推定：上年度从业人员、"
                    "营业收入、资产总额任一低于所属行业上限即为中小企业；划型表未经参考资料核对，请以企业声明为准。",
                    derived,
                ),
                Note(
                    "所属行业不在已编码的划型表内（如铁路运输、金融、教育、卫生等），无法推定中小企业身份，请提供is_sme。",
                    unplaced & pl.col("industry_code").is_not_null(),
                ),
            ],
        )

    @prog.criterion(
        "not_prohibited",
        label="提供的产品（服务）不属于国家禁止、限制或淘汰类",
        citation=citation,
        since=since,
        until=until,
    )
    def not_prohibited(p: Parameters) -> Condition:
        """提供的产品（服务）不属于国家禁止、限制或淘汰类。"""
        return Condition(
            passed=pl.col("has_prohibited_products").not_(), needs=["has_prohibited_products"], notes=list(notes)
        )

    @prog.criterion(
        "clean_record",
        label="未被列入经营异常名录或严重失信主体名单，近三年未发生重大事故及偷漏税等违法违规行为",
        citation=citation,
        since=since,
        until=until,
        value_unit="count",
        comparison="==",
    )
    def clean_record(p: Parameters) -> Condition:
        """企业未被列入经营异常名录或严重失信主体名单……近三年未发生重大安全（含网络安全、数据安全）、质量、环境
        污染等事故以及偷漏税等违法违规行为。"""
        p.quality_sme.record_window_years  # noqa: B018  (cited: the facts count incidents in this window)
        incidents = pl.col("num_major_incidents_3y")
        return Condition(
            passed=all_of(
                [
                    pl.col("is_on_abnormal_list").not_(),
                    pl.col("is_seriously_dishonest").not_(),
                    incidents == 0,
                    pl.col("has_tax_evasion_3y").not_(),
                ]
            ),
            value=incidents,
            threshold=pl.lit(0),
            needs=["is_on_abnormal_list", "is_seriously_dishonest", "num_major_incidents_3y", "has_tax_evasion_3y"],
            notes=list(notes),
        )


def on_or_after(p: Parameters, start: date) -> pl.Expr:
    """A plan-time flag as an expression (for notes that apply from a date)."""
    return pl.lit(p.on >= start)

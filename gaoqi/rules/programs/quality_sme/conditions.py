"""Conditions the quality-SME tiers share: main business share, debt ratio, minimums, R&D ratio of each year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note, Part
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import (
    col_y,
    fraction,
    is_active,
    ratio,
    share_at_least,
    share_at_most,
)
from gaoqi.rules.programs.quality_sme.measures import (
    RD_NOTE,
    all_of,
    debt_ratio_parts,
    debt_to_repay,
    revenue,
    revenue_need,
    revenue_note,
    yuan_to_reach_ratio,
    yuan_to_reach_share,
)

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


YEAR_WORDS = {2: "前一年度", 3: "上年度"}
"""The last two accounting years as the texts call them."""


def active_two_years(p: Parameters) -> Part:
    """The part of a "近2年……均" test that the enterprise has two accounting years at all (a newer one fails)."""
    return Part("企业已有近2年数据（成立满两个会计年度）", is_active(2, p))


def each_year_rd_ratio_condition(p: Parameters, pct: Any, notes: Sequence[Note] = ()) -> Condition:
    """R&D expense / operating revenue ≥ ``pct`` % in each of the last two years (“近2年……均不低于”, §3.C-2).

    Each year is a part: the row shows the first year that fails (or, on a pass, the earlier year) with the R&D to
    add in that year; a firm without a year 2 fails.
    """
    parts = [
        Part(
            f"{YEAR_WORDS[k]}研发费用总额占营业收入总额比重不低于{pct}%",
            (revenue(k) > 0) & share_at_least(rd_accounts(k), revenue(k), pct),
            value=ratio(rd_accounts(k), revenue(k)),
            threshold=pl.lit(float(fraction(pct)) / 100),
            gap=yuan_to_reach_ratio(rd_accounts(k), revenue(k), pct),
            unit="ratio",
            gap_unit="yuan",
        )
        for k in (2, 3)
    ]
    parts.append(active_two_years(p))
    active = is_active(2, p)
    return Condition(
        passed=all_of([part.passed for part in parts]),
        parts=parts,
        needs=[Need("rd_expense_y2", active), "rd_expense_y3", revenue_need(2, active), revenue_need(3)],
        notes=[RD_NOTE, revenue_note(2, 3), *notes],
    )

"""R&D expense from a cost breakdown, on the two calibers the law uses, held as exact integers.

HNTE caliber (国科发火〔2016〕195号 §三（六）): eight categories, entrusted R&D at 80 % of the actual cost, other
expenses capped at 20 % of the total. Tax caliber (财税〔2015〕119号, 2021年第28号 art. 3, 财税〔2018〕64号): no
buildings or long-term deferred costs, other costs capped at 10 % of the total across projects, entrusted at 80 %,
overseas entrusted capped at ⅔ of the domestic eligible amount and only when entrusted to overseas institutions.
R&D entrusted to overseas individuals (``rd_entrusted_overseas_individuals``, a part of ``rd_entrusted_overseas``) stays
in the HNTE caliber's total, outside its domestic part, as 195号 counts R&D entrusted "境内外" alike.

The 80 %, ¼ and ⅑ factors make fractions of a yuan. Rather than round, amounts are held in fixed units that make
every step integral: 1/20 yuan on the HNTE caliber, 1/135 yuan on the tax caliber.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from gaoqi.rules.engine import COMMON
from gaoqi.rules.facts import RD_BREAKDOWN, YEARS
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import col_y, fraction

HNTE_UNIT = 20
"""HNTE-caliber R&D is held in 1/20 yuan: entrusted × 4/5 and other ≤ ¼ of the rest are then whole units."""
TAX_UNIT = 135
"""Tax-caliber R&D is held in 1/135 yuan: × 4/5, other ≤ ⅑ of five items, overseas ≤ ⅔ are then whole units."""


def has_breakdown(k: int) -> pl.Expr:
    return pl.any_horizontal([col_y(f"rd_{key}", k).is_not_null() for key in RD_BREAKDOWN])


def _part(key: str, k: int) -> pl.Expr:
    """A breakdown item; absent items of a given breakdown are zero (the enterprise lists what it spent)."""
    return col_y(f"rd_{key}", k).fill_null(0)


def _scaled(unit: int, factor: Fraction) -> int:
    scaled = unit * factor
    assert scaled.denominator == 1, f"{factor} does not divide the unit {unit}"
    return int(scaled)


def hnte_rd_units(k: int, p: Parameters) -> tuple[pl.Expr, pl.Expr]:
    """(R&D, domestic R&D) of year ``k`` on the HNTE caliber, in 1/20 yuan; null when unknown.

    Interpretation (national-criteria §0.4-5): the 20 % cap applies per year over all projects and is
    self-consistent — other ≤ 20 % of the resulting total, i.e. other ≤ ¼ of everything else.
    """
    entrusted = _scaled(HNTE_UNIT, fraction(p.hnte.entrusted_rd_factor) / 100)
    cap = fraction(p.hnte.other_expense_cap) / 100
    own = sum(
        (
            _part(key, k)
            for key in ("personnel", "direct", "depreciation", "deferred", "amortisation", "design", "trials")
        ),
        start=pl.lit(0, dtype=pl.Int64),
    )
    overseas = _part("entrusted_overseas", k) * entrusted
    non_other = own * HNTE_UNIT + _part("entrusted_domestic", k) * entrusted + overseas
    # other / (non_other + other) ≤ cap  ⇔  other ≤ non_other × cap / (1 − cap)
    other_cap = cap / (1 - cap)
    allowed = pl.min_horizontal(_part("other", k) * HNTE_UNIT * other_cap.denominator, non_other * other_cap.numerator)
    # bring the allowed other expense back to 1/20 yuan: exact when the cap is 20 % (¼ of 20 is whole)
    total = non_other + allowed // other_cap.denominator
    from_breakdown = pl.when(has_breakdown(k)).then(total)
    rd = pl.coalesce(col_y("rd_expense", k) * HNTE_UNIT, from_breakdown)
    domestic = pl.coalesce(col_y("rd_expense_domestic", k) * HNTE_UNIT, from_breakdown - overseas)
    return rd, domestic


def tax_rd_units(k: int, p: Parameters) -> pl.Expr:
    """Eligible R&D of year ``k`` on the tax caliber, in 1/135 yuan (expensed part); null when unknown.

    ``five_items`` are personnel, direct inputs, depreciation, amortisation, and design and trials; other related
    costs are capped at five_items × 10 % / (1 − 10 %) across all projects (2021年第28号 art. 3). 财税〔2018〕64号 六：
    委托境外进行研发活动不包括委托境外个人进行的研发活动 — only the part entrusted to overseas institutions is
    eligible; the part entrusted to individuals not given means none (a breakdown lists what was spent).
    """
    entrusted = _scaled(TAX_UNIT, fraction(p.rd_super_deduction.entrusted_factor) / 100)
    cap = fraction(p.rd_super_deduction.other_cost_cap) / 100
    overseas_cap = fraction(p.rd_super_deduction.overseas_cap)
    five = sum(
        (_part(key, k) for key in ("personnel", "direct", "depreciation", "amortisation", "design", "trials")),
        start=pl.lit(0, dtype=pl.Int64),
    )
    other_cap = _scaled(TAX_UNIT, cap / (1 - cap))
    domestic = (
        five * TAX_UNIT
        + pl.min_horizontal(_part("other", k) * TAX_UNIT, five * other_cap)
        + _part("entrusted_domestic", k) * entrusted
    )
    institutions = _part("entrusted_overseas", k) - _part("entrusted_overseas_individuals", k)
    overseas = pl.min_horizontal(
        institutions * entrusted,
        domestic * overseas_cap.numerator // overseas_cap.denominator,
    )
    from_breakdown = pl.when(has_breakdown(k)).then(domestic + overseas)
    return pl.coalesce(col_y("rd_expense_tax", k) * TAX_UNIT, from_breakdown)


def accounts_rd(k: int) -> pl.Expr:
    """Year ``k``'s R&D expense as the accounts show it (the quality-SME tiers define no caliber of their own): the
    total when given, else the sum of the breakdown at actual cost — no 80 % factor, no cap on other expenses."""
    parts = sum((_part(key, k) for key in RD_BREAKDOWN), start=pl.lit(0, dtype=pl.Int64))
    return pl.coalesce(col_y("rd_expense", k), pl.when(has_breakdown(k)).then(parts))


@COMMON.derive
def accounts_rd_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_rd_accounts_y1…3``: :func:`accounts_rd` computed once for every program that reads it."""
    return {f"_rd_accounts_y{k}": accounts_rd(k) for k in YEARS}


def rd_accounts(k: int) -> pl.Expr:
    """The derived column of :func:`accounts_rd` for year ``k``."""
    return pl.col(f"_rd_accounts_y{k}")

"""Who may claim the super deduction at all: 财税〔2015〕119号 五、1 (查账征收) and 四 (excluded industries).

Both are judged for the latest accounting year (year 3), the tax year whose deduction is claimed; the amounts are in
:mod:`.amounts`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from functools import reduce

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import calendar_year, col_y, fraction, ratio, share_above
from gaoqi.rules.programs.rd_super_deduction.program import FIRST_EVALUATION, rd_super_deduction

REVENUE_FACTS = ("main_business_revenue_y3", "total_income_y3", "non_taxable_income_y3", "investment_income_y3")


def tax_year(p: Parameters) -> int:
    """The tax year whose deduction is judged: accounting year 3, the year before the evaluation date's year."""
    return calendar_year(3, p)


def on_tax_year(p: Parameters, month: int = 12, day: int = 31) -> Parameters:
    """The law in force on a day of the tax year (by default its last day), not on the evaluation date.

    A deduction for 2022 is governed by the 2022 rules even when assessed in 2023. Reads are recorded on ``p``, so
    the criterion that reads these parameters still cites them.
    """
    return p.at_date(date(tax_year(p), month, day))


PREFIX = "_rd_super_deduction_"


def derived(p: Parameters, name: str, build: Callable[[Parameters], object]) -> pl.Expr:
    """The derived column ``name`` (computed once, before the criteria and outputs that read it).

    ``build`` is the function that computes it; building it again here records the parameters it reads, so the
    criterion or output using the column still cites them (the engine runs derivations outside any criterion).
    """
    build(p)
    return pl.col(PREFIX + name)


def in_force(p: Parameters) -> bool:
    """The program's criteria are the law on ``p.on`` (derivations have no ``since`` of their own)."""
    return p.on >= FIRST_EVALUATION


def revenue_basis() -> pl.Expr:
    """收入总额减除不征税收入和投资收益的余额 of year 3 (97号公告 四; 税法第六条); null when any part is unknown."""
    return col_y("total_income", 3) - col_y("non_taxable_income", 3) - col_y("investment_income", 3)


def industry_in(prefixes: list[str]) -> pl.Expr:
    """The 国民经济行业分类 code (GB/T 4754-2017, e.g. ``C3989``) starts with one of ``prefixes``; null if unknown."""
    code = pl.col("industry_code")
    starts = [code.str.starts_with(prefix) for prefix in prefixes]
    return reduce(operator.or_, starts)


def is_actual_collection() -> pl.Expr:
    return pl.col("tax_collection") == "actual"


def listed_industry(p: Parameters) -> pl.Expr:
    """The main business is in an industry 119号 四 lists (null when the industry code is unknown)."""
    law = on_tax_year(p)
    return industry_in([item["prefix"] for item in law.rd_super_deduction.excluded_industries])


def excluded_industry(p: Parameters) -> pl.Expr:
    """In a listed industry, with that revenue above the share of 97号公告 四 (reads the derived ``listed``)."""
    share = on_tax_year(p).rd_super_deduction.excluded_industry_share
    return pl.col(PREFIX + "listed") & share_above(col_y("main_business_revenue", 3), revenue_basis(), share)


@rd_super_deduction.derive
def _industry(p: Parameters) -> dict[str, pl.Expr]:
    if not in_force(p):
        return {}
    return {PREFIX + "listed": listed_industry(p)}


@rd_super_deduction.derive
def _eligibility(p: Parameters) -> dict[str, pl.Expr]:
    if not in_force(p):
        return {}
    excluded = excluded_industry(p)
    return {PREFIX + "excluded": excluded, PREFIX + "may_claim": is_actual_collection() & excluded.not_()}


def may_claim(p: Parameters) -> pl.Expr:
    """Both eligibility criteria hold (Kleene: false if either fails, null if undecided)."""
    listed_industry(p)
    return derived(p, "may_claim", excluded_industry)


@rd_super_deduction.criterion(
    "actual_collection",
    label="实行查账征收",
    citation="财税〔2015〕119号 五、1",
    since=FIRST_EVALUATION,
)
def actual_collection(p: Parameters) -> Condition:
    """五、1：本通知适用于会计核算健全、实行查账征收并能够准确归集研发费用的居民企业。

    Interpretation: a taxpayer on deemed collection (核定征收) gets nothing (national-criteria §4.5-4). Sound accounts
    and accurate collection of R&D costs are presumed where the enterprise reports its R&D on this caliber.
    """
    collection = pl.col("tax_collection")
    return Condition(
        passed=is_actual_collection(),
        needs=["tax_collection"],
        notes=[Note("核定征收企业不适用研发费用加计扣除（财税〔2015〕119号 五、1）。", collection == "deemed")],
    )


@rd_super_deduction.criterion(
    "not_excluded_industry",
    label="不属于不适用税前加计扣除政策的行业",
    citation="财税〔2015〕119号 四；国家税务总局公告2015年第97号 四",
    value_unit="ratio",
    comparison="<=",
    since=FIRST_EVALUATION,
)
def not_excluded_industry(p: Parameters) -> Condition:
    """119号 四：烟草制造业、住宿和餐饮业、批发和零售业、房地产业、租赁和商务服务业、娱乐业不适用税前加计扣除政策。
    97号公告 四：不适用行业的企业，是指以所列行业业务为主营业务，其研发费用发生当年的主营业务收入占企业按税法第六条
    规定计算的收入总额减除不征税收入和投资收益的余额50%（不含）以上的企业。

    Interpretation: the main business is the industry of ``industry_code`` (GB/T 4754-2017); the share is judged in
    year 3 and must exceed 50 % — exactly 50 % is not excluded (national-criteria §4.5-3). An enterprise outside the
    listed industries passes whatever its revenue.
    """
    listed = derived(p, "listed", listed_industry)
    excluded = derived(p, "excluded", excluded_industry)
    main, basis = col_y("main_business_revenue", 3), revenue_basis()
    share = fraction(on_tax_year(p).rd_super_deduction.excluded_industry_share)
    at_half = listed & (main * (100 * share.denominator) == basis * share.numerator)
    return Condition(
        passed=excluded.not_(),
        value=pl.when(listed).then(ratio(main, basis)),
        threshold=pl.when(listed).then(pl.lit(float(share / 100))),
        needs=["industry_code", *(Need(fact, listed) for fact in REVENUE_FACTS)],
        notes=[
            Note(
                "主营业务收入恰为收入总额减除不征税收入和投资收益余额的50%，“50%（不含）以上”不含本数，不属于不适用行业。",
                at_half,
            ),
            Note(
                "主营业务属于所列行业，但其收入占比未超过50%，不属于不适用加计扣除政策的行业。",
                listed & excluded.not_() & at_half.not_(),
            ),
        ],
    )

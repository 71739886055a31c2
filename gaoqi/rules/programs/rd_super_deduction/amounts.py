"""How much: the eligible base, the rate, the extra deduction and the income tax it saves, all exact.

The base is year 3's expensed R&D on the tax caliber (财税〔2015〕119号 一（一）、二、1; 国家税务总局公告2021年
第28号 三; 财税〔2018〕64号 一), held in 1/135 yuan by :func:`~gaoqi.rules.programs.calibers.tax_rd_units`. The book
amortisation of intangibles formed from eligible R&D (``rd_intangible_amortisation_y3``) takes the same extra rate:
amortising 150 %, 175 %, 200 % or 220 % of the cost is the cost plus the rate.

The rate is the law of each month of the tax year: a month takes the highest rate among the regimes the enterprise
belongs to (every enterprise; tech-based SMEs; manufacturing enterprises; listed IC and industrial-mother-machine
enterprises), each a dated parameter. The year's rate is the mean over the months the enterprise operated — the
month-proportion method of 财政部 税务总局 科技部公告2022年第28号 for 2022, the one year whose rate changed mid-year
(9 months at 75 %, 3 at 100 % → 81.25 %). In every other year the months agree and the mean is the rate itself.

Money leaves as whole fen, rounded half up once from the exact amount; a rate leaves as a ratio (1.2 is 120 %).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from math import lcm
from typing import Any

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import TAX_UNIT, has_breakdown, tax_rd_units
from gaoqi.rules.programs.common import col_y, fraction, is_active, share_at_least
from gaoqi.rules.programs.rd_super_deduction.conditions import (
    PREFIX,
    REVENUE_FACTS,
    derived,
    in_force,
    industry_in,
    may_claim,
    on_tax_year,
    revenue_basis,
    tax_year,
)
from gaoqi.rules.programs.rd_super_deduction.program import FIRST_EVALUATION, rd_super_deduction

# --- the base ---------------------------------------------------------------------------------------------------------


def expensed_units(p: Parameters) -> pl.Expr:
    """Eligible expensed R&D of year 3 in 1/135 yuan, on the caliber in force in the tax year; 0 if the enterprise
    did not exist yet, null if unknown."""
    units = tax_rd_units(3, on_tax_year(p))
    return pl.when(is_active(3, p)).then(units).otherwise(pl.lit(0, dtype=pl.Int64))


def capitalised_units() -> pl.Expr:
    """Year 3's amortisation of intangibles formed from eligible R&D, in 1/135 yuan; not reported means none."""
    return col_y("rd_intangible_amortisation", 3).fill_null(0) * TAX_UNIT


def from_breakdown() -> pl.Expr:
    """Year 3's tax-caliber R&D comes from a breakdown (no total ``rd_expense_tax_y3`` given)."""
    return col_y("rd_expense_tax", 3).is_null() & has_breakdown(3)


def claim_units(p: Parameters) -> pl.Expr:
    """What the rate applies to: expensed R&D plus the amortisation of capitalised R&D, in 1/135 yuan."""
    return expensed_units(p) + capitalised_units()


# --- who gets which rate ----------------------------------------------------------------------------------------------


def held_in(column: str, year: int, years: int) -> pl.Expr:
    """The certificate whose latest issue date is ``column`` covered ``year``: issued in ``year`` or the ``years − 1``
    before it. Null when the latest issue is after ``year`` (an earlier one may have covered it) or no certificate list
    was given; false when the list was given without one."""
    issued = pl.col(column)
    # date comparisons rather than dt.year(): the same test, cheaper on a million rows
    return (
        pl.when(issued > pl.lit(date(year, 12, 31)))
        .then(pl.lit(None, dtype=pl.Boolean))
        .when(issued.is_not_null())
        .then(issued >= pl.lit(date(year - years + 1, 1, 1)))
        .when(pl.col("has_certificate_record"))
        .then(pl.lit(False))
    )


def _is_ic_machine_tool(law: Parameters) -> pl.Expr:
    """2023年第44号 二、三、五: 国家鼓励的集成电路企业和工业母机企业, managed by lists."""
    return pl.col("is_on_ic_machine_tool_list")


def _is_tsme(law: Parameters) -> pl.Expr:
    """财税〔2017〕34号, 2022年第16号: a tech-based SME holds the registration number of the tax year.

    Interpretation: registration numbers are given per year and renewed yearly (国科发政〔2017〕115号 第十一条、
    第十二条), so the enterprise qualifies for a tax year when it was registered (入库) in that year.
    """
    return held_in("tsme_issued_on", law.on.year, 1)


def _is_manufacturing(law: Parameters) -> pl.Expr:
    """2021年第13号 一: 制造业企业，是指以制造业业务为主营业务，享受优惠当年主营业务收入占收入总额的比例达到50%以上
    的企业。

    Interpretation (secondary source): the main business is the industry of ``industry_code`` (GB/T 4754-2017 section
    C); 收入总额 is taken net of non-taxable and investment income as in 97号公告 四; "50%以上" includes 50 %.
    """
    sector = industry_in(law.rd_super_deduction.manufacturing_industries)
    share = share_at_least(
        col_y("main_business_revenue", 3), revenue_basis(), law.rd_super_deduction.manufacturing_share_min
    )
    return sector & share


GROUPS: dict[str, Callable[[Parameters], pl.Expr]] = {
    "ic_machine_tool_rate": _is_ic_machine_tool,
    "tsme_rate": _is_tsme,
    "manufacturing_rate": _is_manufacturing,
}
"""A rate parameter of a group of enterprises, and who belongs to the group; ``general_rate`` is everyone's."""


@dataclass(frozen=True)
class _Run:
    """Months ``first``…``last`` of the tax year in which the same rates are in force."""

    first: int
    last: int
    general: Fraction
    extras: tuple[tuple[str, Fraction], ...]  # groups whose rate then exceeds the general one


def _runs(p: Parameters) -> list[_Run]:
    runs: list[_Run] = []
    for month in range(1, 13):
        law = on_tax_year(p, month, 1)
        general = fraction(law.rd_super_deduction.general_rate)
        extras = []
        for group in GROUPS:
            key = f"rd_super_deduction.{group}"
            if law.is_in_force(key) and fraction(law.value(key)) > general:
                extras.append((group, fraction(law.value(key))))
        if runs and (runs[-1].general, runs[-1].extras) == (general, tuple(extras)):
            runs[-1] = replace(runs[-1], last=month)
        else:
            runs.append(_Run(month, month, general, tuple(extras)))
    return runs


def _run_rate(p: Parameters, run: _Run, scale: int) -> pl.Expr:
    """The rate of one run for each enterprise, in percent × ``scale``: the highest group it belongs to, else the
    general rate; null when it may belong to a higher group but that is unknown."""
    law = on_tax_year(p, run.first, 1)
    members: dict[Fraction, pl.Expr] = {}
    for group, rate in run.extras:
        member = GROUPS[group](law)
        members[rate] = members[rate] | member if rate in members else member
    general = pl.lit(int(run.general * scale), dtype=pl.Int64)
    chain: Any = pl
    for rate in sorted(members, reverse=True):
        chain = (
            chain.when(members[rate])
            .then(pl.lit(int(rate * scale), dtype=pl.Int64))
            .when(members[rate].is_null())
            .then(pl.lit(None, dtype=pl.Int64))
        )
    return chain.otherwise(general) if members else general


@dataclass(frozen=True)
class Rate:
    """The year's rate = ``month_sum / (months × 100 × scale)``: the monthly rates (percent × scale) summed over the
    months operated, and the number of those months."""

    month_sum: pl.Expr
    months: pl.Expr
    scale: int
    varies: pl.Expr
    """The enterprise's rate changed within the months it operated (the month-proportion method applies)."""
    groups: frozenset[str]
    """The groups whose rate exceeded the general one in some month of the year (their membership matters)."""
    within_year: bool
    """The rates in force changed within the tax year (else ``months`` is the literal 1 and ``month_sum`` the rate)."""


def _first_month(p: Parameters) -> pl.Expr:
    """The first month operated in the tax year: the month of establishment if that year, else January.

    Interpretation: 2022年第28号's "实际经营月份数" counts the month of establishment; an unknown establishment date
    counts the whole year (as :func:`~gaoqi.rules.programs.common.is_active` assumes the enterprise existed)."""
    registered, year = pl.col("registered_on"), tax_year(p)
    # 1 + the number of month starts the establishment date reached (comparisons, not dt.month: both executors run it)
    month = pl.lit(1, dtype=pl.Int64)
    for m in range(2, 13):
        month = month + (registered >= pl.lit(date(year, m, 1))).cast(pl.Int64)
    return pl.when(registered.dt.year() == year).then(month).otherwise(pl.lit(1, dtype=pl.Int64))


def deduction_rate(p: Parameters) -> Rate:
    """The rate of year 3 for each enterprise: each run's rate weighted by the months operated in it."""
    runs = _runs(p)
    scale = lcm(*(f.denominator for run in runs for f in (run.general, *(rate for _, rate in run.extras))))
    rates = [_run_rate(p, run, scale) for run in runs]
    groups = frozenset(group for run in runs for group, _ in run.extras)
    if len(runs) == 1:
        return Rate(rates[0], pl.lit(1, dtype=pl.Int64), scale, pl.lit(False), groups, within_year=False)
    start = _first_month(p)
    weights = [
        (pl.lit(run.last + 1, dtype=pl.Int64) - pl.max_horizontal(pl.lit(run.first, dtype=pl.Int64), start)).clip(
            lower_bound=0
        )
        for run in runs
    ]
    month_sum: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for weight, rate in zip(weights, rates, strict=True):
        # a run the enterprise did not operate in does not count, even where its rate there is unknown
        month_sum = month_sum + pl.when(weight > 0).then(weight * rate).otherwise(pl.lit(0, dtype=pl.Int64))
    changes = [(weights[i] > 0) & (weights[i + 1] > 0) & (rates[i] != rates[i + 1]) for i in range(len(runs) - 1)]
    months = 13 - start  # the runs cover the twelve months
    return Rate(month_sum, months, scale, pl.any_horizontal(changes), groups, within_year=True)


# --- the income tax rate the deduction saves --------------------------------------------------------------------------


def hnte_covers(p: Parameters) -> pl.Expr:
    """An HNTE certificate covers year 3: issued in year 3 or the two years before it (validity three years; the
    reduced rate applies from the certificate year)."""
    return held_in("hnte_issued_on", tax_year(p), on_tax_year(p).hnte.validity_years)


def income_tax_rate(p: Parameters) -> tuple[pl.Expr, int]:
    """(the income tax rate in percent × scale, scale): 15 % where an HNTE certificate covers year 3
    (企业所得税法 第二十八条第二款), else 25 % (第四条); null when that is unknown."""
    law = on_tax_year(p)
    hnte = derived(p, "hnte", hnte_covers)
    reduced, standard = fraction(law.hnte.tax_rate), fraction(law.rd_super_deduction.eit_standard_rate)
    scale = lcm(reduced.denominator, standard.denominator)
    rate = (
        pl.when(hnte)
        .then(pl.lit(int(reduced * scale), dtype=pl.Int64))
        .when(hnte.not_())
        .then(pl.lit(int(standard * scale), dtype=pl.Int64))
    )
    return rate, scale


# --- computed once ------------------------------------------------------------------------------------------------


@rd_super_deduction.derive
def _amounts(p: Parameters) -> dict[str, pl.Expr]:
    """The base, the year's rate and the HNTE status, computed once for the criteria and outputs that read them."""
    if not in_force(p):
        return {}
    rate = deduction_rate(p)
    columns = {
        PREFIX + "expensed": expensed_units(p),
        PREFIX + "units": claim_units(p),
        PREFIX + "rate_sum": rate.month_sum,
        PREFIX + "hnte": hnte_covers(p),
        PREFIX + "from_breakdown": from_breakdown(),
    }
    if rate.within_year:
        columns |= {PREFIX + "months": rate.months, PREFIX + "rate_varies": rate.varies}
    return columns


def _expensed(p: Parameters) -> pl.Expr:
    return derived(p, "expensed", expensed_units)


def _units(p: Parameters) -> pl.Expr:
    return derived(p, "units", claim_units)


def _rate(p: Parameters) -> Rate:
    rate = deduction_rate(p)
    if not rate.within_year:
        return replace(rate, month_sum=pl.col(PREFIX + "rate_sum"))  # months stays the literal 1
    return replace(
        rate,
        month_sum=pl.col(PREFIX + "rate_sum"),
        months=pl.col(PREFIX + "months"),
        varies=pl.col(PREFIX + "rate_varies"),
    )


# --- criteria: the amounts can be determined --------------------------------------------------------------------------


@rd_super_deduction.criterion(
    "has_eligible_rd",
    label="有可加计扣除的研发费用",
    citation="财税〔2015〕119号 一（一）、二、1；国家税务总局公告2021年第28号 三；财税〔2018〕64号 一",
    value_unit="yuan",
    comparison=">",
    since=FIRST_EVALUATION,
)
def has_eligible_rd(p: Parameters) -> Condition:
    """119号 一（一）：企业开展研发活动中实际发生的研发费用，未形成无形资产计入当期损益的，在按规定据实扣除的基础上，
    按照本年度实际发生额的一定比例从本年度应纳税所得额中扣除；形成无形资产的，按照无形资产成本的一定比例在税前摊销。

    Interpretation: year 3's expensed R&D on the tax caliber (a total ``rd_expense_tax_y3`` or a breakdown: no
    buildings or long-term deferred costs, other related costs ≤ five items × 10 % / (1 − 10 %) across all projects,
    entrusted × 80 %, overseas entrusted ≤ ⅔ of domestic and only the part entrusted to institutions, 64号 六) plus the
    year's amortisation of capitalised R&D must be positive. Amortisation not reported is taken as none, and so is R&D
    entrusted to overseas individuals.
    """
    law = on_tax_year(p)
    total = _units(p)
    overseas = col_y("rd_entrusted_overseas", 3) > 0
    individuals = col_y("rd_entrusted_overseas_individuals", 3) > 0
    overseas_cap = fraction(law.rd_super_deduction.overseas_cap)
    cap, entrusted = law.rd_super_deduction.other_cost_cap, law.rd_super_deduction.entrusted_factor
    notes = [
        Note(
            f"研发费用按加计扣除口径（财税〔2015〕119号）归集：不含房屋折旧和长期待摊费用；其他相关费用以前五项费用之和"
            f"×{cap}%/(1−{cap}%)为限（全部项目合计）；委托研发按实际发生额的{entrusted}%计入。",
            pl.col(PREFIX + "from_breakdown"),
        ),
        Note(
            "未填报研发形成无形资产的当年摊销额，按0计算（仅计费用化研发费用）。",
            col_y("rd_intangible_amortisation", 3).is_null() & _expensed(p).is_not_null(),
        ),
    ]
    if overseas_cap == 0:
        notes.append(
            Note(
                "委托境外研发费用不得加计扣除（财税〔2015〕119号 二、1，2018年1月1日起废止）。",
                pl.col(PREFIX + "from_breakdown") & overseas,
            )
        )
    else:
        notes.append(
            Note(
                f"委托境外研发费用按实际发生额的{entrusted}%计入，以境内符合条件的研发费用的{overseas_cap}为限；"
                "只计委托境外机构的部分，未填报委托境外个人的部分时按全部委托境外机构计算；"
                "合同须经科技行政主管部门登记（财税〔2018〕64号 一、二、六）。",
                pl.col(PREFIX + "from_breakdown") & overseas,
            )
        )
        notes.append(
            Note(
                "委托境外个人进行的研发费用不得加计扣除，已从委托境外研发费用中扣除（财税〔2018〕64号 六）。",
                pl.col(PREFIX + "from_breakdown") & individuals,
            )
        )
    if law.rd_super_deduction.other_cost_cap_scope == "project":
        notes.append(
            Note(
                "当年其他相关费用限额应按每一研发项目分别计算（国家税务总局公告2015年第97号 二（三））；"
                "此处按全部项目合计计算，结果可能偏高，请按项目复核。",
                pl.col(PREFIX + "from_breakdown") & (col_y("rd_other", 3) > 0),
            )
        )
    return Condition(
        passed=total > 0,
        value=total.cast(pl.Float64) / TAX_UNIT,
        threshold=pl.lit(0),
        needs=[Need("rd_expense_tax_y3", is_active(3, p) & has_breakdown(3).not_())],
        notes=notes,
    )


@rd_super_deduction.criterion(
    "deduction_rate",
    label="适用的加计扣除比例",
    citation="财税〔2015〕119号 一（一）；财政部 税务总局公告2023年第7号 一；"
    "财政部 税务总局 国家发展改革委 工业和信息化部公告2023年第44号 一",
    value_unit="ratio",
    since=FIRST_EVALUATION,
)
def deduction_rate_known(p: Parameters) -> Condition:
    """2023年第7号 一：自2023年1月1日起，再按照实际发生额的100%在税前加计扣除；形成无形资产的，按照无形资产成本的
    200%在税前摊销。2023年第44号 一：集成电路企业和工业母机企业在2023年1月1日至2027年12月31日期间，再按照实际发生额的
    120%在税前扣除；形成无形资产的，按照无形资产成本的220%在税前摊销。Earlier years: see the rate parameters.

    The criterion holds once the rate for the enterprise and tax year is known; it is undetermined while membership of
    a group with a higher rate is unknown.
    """
    rate = _rate(p)
    value = rate.month_sum.cast(pl.Float64) / (rate.months * 100 * rate.scale).cast(pl.Float64)
    needs: list[str | Need] = []
    notes = [
        Note(
            "第3年内加计扣除比例有变化：按各比例适用的经营月份数占全年实际经营月份数的比例折算全年比例"
            "（财政部 税务总局 科技部公告2022年第28号 二的月份比例法；2022年全年经营的原75%企业为81.25%）。",
            rate.varies,
        )
    ]
    if rate.within_year:
        notes.append(Note("成立日期未知，按全年12个月经营计算月份比例。", pl.col("registered_on").is_null()))
    if "ic_machine_tool_rate" in rate.groups:
        needs.append("is_on_ic_machine_tool_list")
        notes.append(
            Note(
                "列入集成电路或工业母机企业清单，适用120%（2023年第44号 一、五）。",
                pl.col("is_on_ic_machine_tool_list"),
            )
        )
    if "tsme_rate" in rate.groups:
        has_record = pl.col("has_certificate_record").fill_null(False)
        needs.append(Need("tsme_issued_on", has_record.not_()))
        notes.append(
            Note(
                "科技型中小企业：以第3年度取得入库登记编号（入库日期在第3年内）为准；最近一次入库晚于第3年的，"
                "无法判断第3年是否入库。",
                pl.col("tsme_issued_on").is_not_null(),
            )
        )
    if "manufacturing_rate" in rate.groups:
        manufacturing = industry_in(on_tax_year(p).rd_super_deduction.manufacturing_industries)
        needs.extend(["industry_code", *(Need(fact, manufacturing) for fact in REVENUE_FACTS)])
        notes.append(
            Note(
                "制造业企业：以制造业（行业代码C门类）为主营业务，且当年主营业务收入占收入总额减除不征税收入和投资收益"
                "余额的比例达到50%以上（含50%）。",
                manufacturing,
            )
        )
    return Condition(
        passed=pl.when(rate.month_sum.is_not_null()).then(pl.lit(True)),
        value=value,
        needs=needs,
        notes=notes,
    )


@rd_super_deduction.criterion(
    "income_tax_rate",
    label="测算减税额适用的企业所得税税率",
    citation="《中华人民共和国企业所得税法》第四条、第二十八条第二款",
    value_unit="ratio",
    since=FIRST_EVALUATION,
    decides=False,
)
def income_tax_rate_known(p: Parameters) -> Condition:
    """企业所得税法 第四条：企业所得税的税率为25%。第二十八条第二款：国家需要重点扶持的高新技术企业，减按15%的税率
    征收企业所得税。

    Interpretation: 15 % when an HNTE certificate covers year 3 (issued in year 3 or the two years before it), else
    25 %. The tax saved is the extra deduction times this rate; losses and other reduced rates (small low-profit
    enterprises, regional rates) are not considered. Holds once the rate is known; the rate only estimates the tax
    saved, so whether the enterprise may claim does not depend on it (the row does not decide the outcome).
    """
    hnte = derived(p, "hnte", hnte_covers)
    rate, scale = income_tax_rate(p)
    has_record = pl.col("has_certificate_record").fill_null(False)
    return Condition(
        passed=pl.when(rate.is_not_null()).then(pl.lit(True)),
        value=rate.cast(pl.Float64) / (100 * scale),
        needs=[Need("hnte_issued_on", has_record.not_())],
        notes=[
            Note("减税额按加计扣除额×适用税率测算，未考虑亏损弥补及小型微利企业等其他优惠。"),
            Note("高新技术企业证书有效期覆盖第3年，按15%测算（企业所得税法第二十八条第二款）。", hnte),
            Note(
                "最近一次高新技术企业证书颁发于第3年之后，无法判断第3年是否在此前证书的有效期内。",
                pl.col("hnte_issued_on") > pl.lit(date(tax_year(p), 12, 31)),
            ),
        ],
    )


# --- outputs: money in whole fen --------------------------------------------------------------------------------------


def _times_ratio(amount: pl.Expr, num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """``amount × num / den`` rounded half up, exact in Int64, for ``amount, num ≥ 0`` and ``den > 0``.

    Split ``amount = q × den + r``: the result is ``q × num`` plus ``r × num / den`` rounded, and ``r × num`` stays
    small, so no product of money, rates and tax rates can overflow (Int128 would, but costs ten times as much).
    """
    whole, rest = amount // den, amount % den
    return whole * num + (2 * rest * num + den) // (2 * den)


def _if_may_claim(p: Parameters, amount: pl.Expr) -> pl.Expr:
    """An amount the enterprise may claim: itself when eligible, 0 when not, null while eligibility is undecided."""
    claim = may_claim(p)
    return pl.when(claim).then(amount).when(claim.not_()).then(pl.lit(0, dtype=pl.Int64))


@rd_super_deduction.output("base", unit="fen", since=FIRST_EVALUATION)
def base(p: Parameters) -> pl.Expr:
    """Eligible expensed R&D of year 3 on the tax caliber (the base of §4.4), in fen."""
    return _times_ratio(_expensed(p), pl.lit(100, dtype=pl.Int64), pl.lit(TAX_UNIT, dtype=pl.Int64))


@rd_super_deduction.output("rate", unit="ratio", since=FIRST_EVALUATION)
def rate_ratio(p: Parameters) -> pl.Expr:
    """The extra-deduction rate for year 3 as a ratio (1.2 = 120 %)."""
    rate = _rate(p)
    return rate.month_sum.cast(pl.Float64) / (rate.months * 100 * rate.scale).cast(pl.Float64)


@rd_super_deduction.output("extra_deduction", unit="fen", since=FIRST_EVALUATION)
def extra_deduction(p: Parameters) -> pl.Expr:
    """(expensed base + amortisation of capitalised R&D) × rate, in fen; 0 when the enterprise may not claim."""
    rate = _rate(p)
    # units/135 yuan × month_sum/(months × 100 × scale) × 100 fen
    amount = _times_ratio(_units(p), rate.month_sum, rate.months * (TAX_UNIT * rate.scale))
    return _if_may_claim(p, amount)


@rd_super_deduction.output("tax_effect", unit="fen", since=FIRST_EVALUATION)
def tax_effect(p: Parameters) -> pl.Expr:
    """Income tax saved: the exact extra deduction × the income tax rate, in fen; 0 if the enterprise may not claim."""
    rate = _rate(p)
    tax_rate, tax_scale = income_tax_rate(p)
    amount = _times_ratio(_units(p), rate.month_sum * tax_rate, rate.months * (TAX_UNIT * rate.scale * 100 * tax_scale))
    return _if_may_claim(p, amount)

"""科技型中小企业评价指标 — the 100-point score of 国科发政〔2017〕115号 第七条, condition (五) of art. 6, and the
direct routes of art. 8.

Three parts, each a band of year-3 data: S&T staff ≤ 20, R&D input ≤ 50 (the better of R&D / sales revenue and
R&D / cost-and-expense total — the enterprise chooses one, so the rules compute both and take the higher), S&T
results (IP) ≤ 30. Unlike the HNTE score there is no expert judgement: with every input known each part is a
single number; an unknown input makes its part a range ``[min, max]`` over the bands it could still reach.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note
from gaoqi.rules.parameters import ParameterError, Parameters
from gaoqi.rules.programs.calibers import TAX_UNIT, has_breakdown, tax_rd_units
from gaoqi.rules.programs.common import calendar_year, certificate_valid, col_y, points_by_share, ratio
from gaoqi.rules.programs.parts import score_at_least
from gaoqi.rules.programs.tsme.program import tsme

Range = tuple[pl.Expr, pl.Expr]
PARTS = ("st_staff", "rd", "ip")
RD_BY_SALES, RD_BY_COST = 1, 2
"""Codes of ``_tsme_rd_basis``: which R&D ratio gave the R&D points (null while that is not yet known)."""


def _top(bands: Sequence[Any]) -> int:
    return int(bands[0]["points"])


def _st_points(p: Parameters) -> Range:
    """1. 科技人员指标（满分20分）：按科技人员数占企业职工总数的比例分档评价。

    Interpretation: no staff at all scores 0; S&T staff known to be 0 scores 0 whatever the total.
    """
    bands = p.tsme.st_bands
    st, total = col_y("staff_st", 3), col_y("staff_total", 3)
    exact = pl.when(total > 0).then(points_by_share(st, total, bands, staff=True)).otherwise(0)
    unknown = st.is_null() | total.is_null()
    low = pl.when(unknown).then(0).otherwise(exact)
    high = pl.when(st == 0).then(0).when(unknown).then(_top(bands)).otherwise(exact)
    return low.cast(pl.Int64), high.cast(pl.Int64)


def _rd_ratio_points(rd: pl.Expr, denominator: str, bands: Sequence[Any]) -> pl.Expr:
    """Points of one R&D ratio of year 3 (``rd`` in 1/135 yuan, exact); null when unknown.

    Interpretation: R&D of zero scores 0 whatever the denominator; a denominator of zero has no ratio and scores 0.
    """
    den = col_y(denominator, 3)
    exact = pl.when(den > 0).then(points_by_share(rd, den * TAX_UNIT, bands)).otherwise(0)
    return pl.when(rd == 0).then(0).when(rd.is_null() | den.is_null()).then(None).otherwise(exact).cast(pl.Int64)


def _ip_band_points(class_1: pl.Expr, class_2: pl.Expr, bands: Sequence[Any]) -> pl.Expr:
    """Points of the first band reached; bands are highest first, the last (no minimum) takes the rest."""
    points: pl.Expr = pl.lit(0)
    for band in reversed(bands):
        if "class_1_min" in band:
            points = pl.when(class_1 >= band["class_1_min"]).then(pl.lit(band["points"])).otherwise(points)
        elif "class_2_min" in band:
            points = pl.when(class_2 >= band["class_2_min"]).then(pl.lit(band["points"])).otherwise(points)
        else:
            points = pl.lit(band["points"])
    return points.cast(pl.Int64)


def _ip_points(p: Parameters) -> Range:
    """3. 科技成果指标（满分30分）：按企业拥有的在有效期内的与主要产品（或服务）相关的知识产权类别和数量分档评价。

    Class I on the 115号 list (第九条第（五）项 names no defence patents: ``ip_class_1_tsme``); Class II counts
    every valid item — there is no "use once" rule here. An unknown count is read as none for the lower bound and
    as enough for the top band for the upper bound.
    """
    bands = p.tsme.ip_bands
    class_1, class_2 = pl.col("ip_class_1_tsme"), pl.col("ip_class_2")
    enough_1 = max(int(b.get("class_1_min", 0)) for b in bands)
    enough_2 = max(int(b.get("class_2_min", 0)) for b in bands)
    low = _ip_band_points(class_1.fill_null(0), class_2.fill_null(0), bands)
    high = _ip_band_points(class_1.fill_null(enough_1), class_2.fill_null(enough_2), bands)
    return low, high


@tsme.derive
def rd_expense(p: Parameters) -> dict[str, pl.Expr]:
    """``_tsme_rd``: year-3 R&D on the tax caliber in 1/135 yuan (第九条第（三）项：按财税〔2015〕119号归集)."""
    return {"_tsme_rd": tax_rd_units(3, p)}


@tsme.derive
def score_parts(p: Parameters) -> dict[str, pl.Expr]:
    """Each part's range, ``_tsme_<part>_min``/``_max``, and the points of each R&D ratio.

    2. 研发投入指标（满分50分）：企业从（1）、（2）两项指标中选择一个指标进行评分 — the better one counts. A ratio
    that is unknown could still reach the top band, so the R&D part is
    ``[max(known points), max(points, top band where unknown)]``.
    """
    sales_bands, cost_bands = p.tsme.rd_sales_bands, p.tsme.rd_cost_bands
    rd = pl.col("_tsme_rd")
    by_sales = _rd_ratio_points(rd, "sales_revenue", sales_bands)
    by_cost = _rd_ratio_points(rd, "cost_expense_total", cost_bands)
    rd_low = pl.max_horizontal(by_sales.fill_null(0), by_cost.fill_null(0))
    rd_high = pl.max_horizontal(by_sales.fill_null(_top(sales_bands)), by_cost.fill_null(_top(cost_bands)))
    parts: dict[str, Range] = {"st_staff": _st_points(p), "rd": (rd_low, rd_high), "ip": _ip_points(p)}
    columns = {"_tsme_rd_sales_points": by_sales, "_tsme_rd_cost_points": by_cost}
    for name, (low, high) in parts.items():
        columns[f"_tsme_{name}_min"], columns[f"_tsme_{name}_max"] = low, high
    return columns


@tsme.derive
def score_totals(p: Parameters) -> dict[str, pl.Expr]:
    """The total range ``_tsme_score_min``/``_max`` and ``_tsme_rd_basis``, the R&D ratio that gave the points."""
    by_sales, by_cost = pl.col("_tsme_rd_sales_points"), pl.col("_tsme_rd_cost_points")
    # plain + : every part is already a number (unknown inputs were widened to a range above)
    low, high = (
        pl.col(f"_tsme_st_staff_{b}") + pl.col(f"_tsme_rd_{b}") + pl.col(f"_tsme_ip_{b}") for b in ("min", "max")
    )
    basis = (
        pl.when(by_sales.is_not_null() & by_cost.is_not_null())
        .then(pl.when(by_sales >= by_cost).then(RD_BY_SALES).otherwise(RD_BY_COST))
        .when(by_sales == _top(p.tsme.rd_sales_bands))
        .then(RD_BY_SALES)
        .when(by_cost == _top(p.tsme.rd_cost_bands))
        .then(RD_BY_COST)
    )
    return {"_tsme_score_min": low, "_tsme_score_max": high, "_tsme_rd_basis": basis}


def _fact_rank(p: Parameters, key: str, counted: int, fact: str) -> None:
    """The facts count awards and standards by a fixed rank; a different rank cannot be honoured from them."""
    if p.value(f"tsme.{key}") != counted:
        raise ParameterError(f"tsme.{key} must be {counted}: the fact {fact} counts ranks 1–{counted} only")


def _direct_routes(p: Parameters) -> list[tuple[pl.Expr, str]]:
    """第八条：符合第六条第（一）～（四）项条件的企业，若同时符合下列条件中的一项，则可直接确认。"""
    _fact_rank(p, "award_rank_max", 3, "num_awards_national_top3_5y")
    _fact_rank(p, "standard_rank_max", 5, "num_standards_led_5y")
    return [
        (
            certificate_valid("hnte_issued_on", p, p.hnte.validity_years),
            "直接确认：企业拥有有效期内高新技术企业资格证书（第八条第（一）项）。",
        ),
        (
            pl.col("num_awards_national_top3_5y") > 0,
            "直接确认：企业近五年内获得过国家级科技奖励，并在获奖单位中排在前三名（第八条第（二）项）。",
        ),
        (
            pl.col("rd_institution_level") >= 3,
            "直接确认：企业拥有经认定的省部级以上研发机构（第八条第（三）项、第九条第（七）项）。",
        ),
        (
            pl.col("num_standards_led_5y") > 0,
            "直接确认：企业近五年内主导制定过国际标准、国家标准或行业标准，排名起草单位前五名（第八条第（四）项、"
            "第九条第（六）项）。",
        ),
    ]


_DIRECT_NEEDS = (
    "has_certificate_record",
    "num_awards_national_top3_5y",
    "rd_institution_level",
    "num_standards_led_5y",
)


def _score_needs(p: Parameters) -> list[Need]:
    """Score inputs; an R&D denominator is needed only while the other ratio has not reached the top band."""
    by_sales, by_cost = pl.col("_tsme_rd_sales_points"), pl.col("_tsme_rd_cost_points")
    sales_short = by_sales.is_null() | (by_sales < _top(p.tsme.rd_sales_bands))
    cost_short = by_cost.is_null() | (by_cost < _top(p.tsme.rd_cost_bands))
    class_1 = pl.col("ip_class_1_tsme")
    return [
        Need("staff_st_y3"),
        Need("staff_total_y3"),
        Need("rd_expense_tax_y3", has_breakdown(3).not_()),
        Need("sales_revenue_y3", cost_short),
        Need("cost_expense_total_y3", sales_short),
        Need("ip_class_1_tsme"),
        Need("ip_class_2", class_1.is_null() | (class_1 < 1)),
    ]


def _score_notes(p: Parameters) -> list[Note]:
    basis = pl.col("_tsme_rd_basis")
    rd_tax, rd_hnte = col_y("rd_expense_tax", 3), col_y("rd_expense", 3)
    registered = pl.col("registered_on")
    return [
        Note(
            "评价依据为《科技型中小企业评价办法》（国科发政〔2017〕115号）；常被引用的“国科发政〔2022〕67号”未见其文，"
            "2022年的67号为国科火字〔2022〕67号服务工作指引，未发现调整评价指标或分档，故按115号评价。"
        ),
        Note(
            f"科技人员和职工总数包括在职、兼职和临时聘用人员，兼职、临时聘用人员全年须累计工作"
            f"{p.tsme.part_time_min_months}个月以上（第九条第（一）、（二）项）；按所填上一年度年均人数计算。"
        ),
        Note(
            "研发投入指标按研发费用总额占销售收入总额的比例计分（两项指标取得分较高者，第七条第2项）。",
            basis == RD_BY_SALES,
        ),
        Note(
            "研发投入指标按研发费用总额占成本费用支出总额的比例计分（两项指标取得分较高者，第七条第2项）。",
            basis == RD_BY_COST,
        ),
        Note(
            "“成本费用支出总额”未见官方定义，通常理解为营业成本、税金及附加、销售费用、管理费用、研发费用、财务费用之和"
            "（本项目按此理解，未经官方核实）；本次研发投入得分取决于该项。",
            basis == RD_BY_COST,
        ),
        Note(
            "研发费用按财税〔2015〕119号加计扣除口径由明细归集：不含房屋折旧与长期待摊费用，其他相关费用不超过10%"
            "（第九条第（三）项）。",
            rd_tax.is_null() & has_breakdown(3),
        ),
        Note(
            "仅提供了高企口径研发费用；科技型中小企业的研发费用须按财税〔2015〕119号加计扣除口径归集（第九条第（三）项），"
            "请提供加计扣除口径研发费用或费用明细。",
            rd_tax.is_null() & has_breakdown(3).not_() & rd_hnte.is_not_null(),
        ),
        Note(
            "上一年度销售收入为零，研发费用占销售收入比例无从计算，该项按0分计。",
            (col_y("sales_revenue", 3) == 0) & (pl.col("_tsme_rd") > 0),
        ),
        Note(
            "知识产权须在有效期内、与主要产品（或服务）相关且没有争议或纠纷（第七条第3项）；Ⅰ类不含国防专利（第九条第（五）项）。",
            (pl.col("ip_class_1_tsme") > 0) | (pl.col("ip_class_2") > 0),
        ),
        Note(
            "企业成立于上一年度或当年，上一年度数据不足一个完整年度；按实际数据评价（新成立企业的数据年度口径未经官方核实）。",
            registered.dt.year() >= calendar_year(3, p),
        ),
    ]


def _lowest_st_band(p: Parameters) -> Any:
    """The S&T band with the fewest points above zero (10 %（含）-15 %: 4 points)."""
    return min((b for b in p.tsme.st_bands if b["points"] > 0), key=lambda b: b["points"])


@tsme.criterion(
    "evaluation_score",
    label="科技型中小企业评价指标综合得分不低于60分，且科技人员指标得分不为0分",
    citation="国科发政〔2017〕115号 第六条（五）、第七条、第八条、第九条",
    value_unit="points",
    gap_unit="points",
)
def evaluation_score(p: Parameters) -> Condition:
    """第六条第（五）项：企业根据科技型中小企业评价指标进行综合评价所得分值不低于60分，且科技人员指标得分不得为0分。
    第八条：符合第六条第（一）～（四）项条件的企业，若同时符合下列条件中的一项，则可直接确认符合科技型中小企业条件。

    "不低于" includes the number: exactly 60 passes. A direct route replaces this condition only; conditions (一)–
    (四) are separate criteria and still apply. The direct route and the score are combined with Kleene OR: a known
    route passes, an unknown one leaves a failing score undetermined.

    The criterion has two parts, the total and the S&T score, and a direct route as an alternative; the row shows
    the part that decides. Interpretation: when the S&T score is 0, the gap of that part is the lowest non-zero S&T
    band (the least that lifts it above 0).
    """
    pass_score = p.tsme.pass_score
    low, high = pl.col("_tsme_score_min"), pl.col("_tsme_score_max")
    st_low, st_high = pl.col("_tsme_st_staff_min"), pl.col("_tsme_st_staff_max")
    parts = [score_at_least(f"综合得分不低于{pass_score}分", low, high, pass_score)]
    if p.tsme.st_score_nonzero:
        st = score_at_least("科技人员指标得分不为0分", st_low, st_high, 0, comparison=">")
        # the lowest non-zero band is the least that lifts the S&T score above 0
        parts.append(replace(st, gap=pl.lit(int(_lowest_st_band(p)["points"]))))
    scored = pl.all_horizontal([part.passed for part in parts])
    routes = _direct_routes(p)
    direct = routes[0][0]
    for route, _ in routes[1:]:
        direct = direct | route  # Kleene OR: true if any route is known to hold
    return Condition(
        passed=direct | scored,
        needs=[*_score_needs(p), *_DIRECT_NEEDS],
        notes=[
            *(Note(text, route) for route, text in routes),
            Note(
                f"科技人员指标得分为0分（科技人员占比低于{_lowest_st_band(p)['min']}%），综合得分再高也不符合"
                "（第六条第（五）项）。",
                (st_high == 0) & direct.not_().fill_null(True),
            ),
            *_score_notes(p),
        ],
        direct=direct,
        direct_label="符合直接认定条件：具有第八条所列情形之一，可直接确认（免于评分）",
        parts=parts,
    )


def _column(name: str) -> Callable[[Parameters], pl.Expr]:
    return lambda p: pl.col(name)


def _rd_ratio(denominator: str) -> Callable[[Parameters], pl.Expr]:
    """An R&D ratio of year 3 for display (the decision uses the exact bands above)."""
    return lambda p: ratio(pl.col("_tsme_rd"), col_y(denominator, 3) * TAX_UNIT)


for _part in (*PARTS, "score"):
    for _bound in ("min", "max"):
        tsme.output(f"{_part}_{_bound}", unit="points")(_column(f"_tsme_{_part}_{_bound}"))
tsme.output("rd_ratio_sales", unit="ratio")(_rd_ratio("sales_revenue"))
tsme.output("rd_ratio_cost", unit="ratio")(_rd_ratio("cost_expense_total"))

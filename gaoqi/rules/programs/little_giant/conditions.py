"""专精特新“小巨人”企业认定 under 工信部企业〔2022〕63号 annex 3 (national-criteria §3A.1, §3A.4), for evaluation
dates before 2026-04-01: the common scope and all six conditions —

1. 专业化: niche ≥ 3 years (``niche_years``); main business ≥ 70 % of operating revenue (``main_business_share``);
   mean main-business growth over 2 years ≥ 5 % (``main_business_growth``);
2. 精细化: a core business on an information system (``information_system``); management-system or product
   certification (``certification``); debt ratio ≤ 70 % (``debt_ratio``);
3. 特色化: national niche market share ≥ 10 % (``market_share``); own brand (``own_brand``);
4. 创新能力: the tiered R&D rule (``rd_expense``), an R&D institution (``rd_institution``), ≥ 2 Class I IP applied
   with economic benefit (``class_1_ip``) — or a direct route, shown on each of the three;
5. 产业链配套 (``chain_position``); 6. 主导产品所属领域 (``industry_field``).

The 2026 renewals of earlier batches are still judged by this standard (工信厅企业函〔2026〕117号, secondary); the
facts say nothing about renewal, so an evaluation date decides the regime.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note, Part
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.calibers import rd_accounts
from gaoqi.rules.programs.common import col_y, fraction, is_active, ratio, staff_share_at_least
from gaoqi.rules.programs.little_giant.program import little_giant
from gaoqi.rules.programs.quality_sme import (
    DOC_2022,
    RD_NOTE,
    REGIME_2022,
    REGIME_2026,
    all_of,
    any_of,
    at_least_condition,
    ceil_div_expr,
    debt_ratio_condition,
    main_business_growth_at_least,
    main_business_share_condition,
    mean_growth,
    mean_growth_v3_needed,
    register_common_scope,
    revenue,
    revenue_need,
    revenue_note,
)

CITATION = f"{DOC_2022} 附件3《专精特新“小巨人”企业认定标准》"

register_common_scope(little_giant, citation=f"{DOC_2022} 第二章", since=REGIME_2022, until=REGIME_2026)


def field_condition(p: Parameters, *, other_fails: bool, notes: list[Note]) -> Condition:
    """The leading product's field (``chain_field``) is one of the qualifying choices; ``other`` fails or, where the
    text is open-ended, is left for review."""
    field = pl.col("chain_field")
    qualifies = field.is_in(p.little_giant.qualifying_fields)
    other = pl.lit(False) if other_fails else pl.lit(None, dtype=pl.Boolean)
    return Condition(
        passed=pl.when(field.is_null()).then(None).when(qualifies).then(True).otherwise(other),
        needs=["chain_field"],
        notes=notes,
    )


def class_1_ip_condition(
    p: Parameters,
    direct: pl.Expr,
    direct_label: str,
    direct_needs: list[str],
    notes: Sequence[Note] = (),
    column: str = "ip_class_1_sme_benefit",
) -> Condition:
    """Class I IP related to the leading product, applied with economic benefit, at the minimum in force, counted by
    ``column``.

    Interpretation (national-criteria §0.4-14): "related" is flagged related or core to the main product; an item
    flagged neither leaves the count unknown.
    """
    count, minimum = pl.col(column), p.little_giant.class_1_ip_min
    return Condition(
        passed=direct | (count >= minimum),
        value=count,
        threshold=pl.lit(minimum),
        gap=minimum - count,
        direct=direct,
        direct_label=direct_label,
        direct_id=None,
        needs=[column, *(Need(name, direct.is_null()) for name in direct_needs)],
        notes=[
            Note(
                "知识产权按与主导产品相关、已产生经济效益、不含受让的Ⅰ类知识产权计；如有受让且已产生"
                "经济效益的Ⅰ类知识产权，请人工复核。",
                (count < minimum).fill_null(False),
            ),
            *notes,
        ],
    )


@little_giant.criterion(
    "niche_years",
    label="截至上年末，从事特定细分市场时间达到3年以上",
    citation=f"{CITATION}（一）专业化指标",
    value_unit="years",
    gap_unit="years",
    since=REGIME_2022,
    until=REGIME_2026,
)
def niche_years(p: Parameters) -> Condition:
    """（一）专业化指标：坚持专业化发展道路，长期专注并深耕于产业链某一环节或某一产品。截至上年末，企业从事特定
    细分市场时间达到3年以上。"""
    return at_least_condition("niche_years", p.little_giant.niche_years_min)


@little_giant.criterion(
    "main_business_share",
    label="主营业务收入总额占营业收入总额比重不低于70%",
    citation=f"{CITATION}（一）专业化指标",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
)
def main_business_share(p: Parameters) -> Condition:
    """（一）专业化指标：……主营业务收入总额占营业收入总额比重不低于70%。

    Interpretation: last year's figures; the gap is main business revenue to add (it also adds to revenue).
    """
    return main_business_share_condition(p.little_giant.main_business_share_min)


@little_giant.criterion(
    "main_business_growth",
    label="近2年主营业务收入平均增长率不低于5%",
    citation=f"{CITATION}（一）专业化指标",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
)
def main_business_growth(p: Parameters) -> Condition:
    """（一）专业化指标：……近2年主营业务收入平均增长率不低于5%。

    Interpretation (national-criteria §0.4-10, unverified): the arithmetic mean of the two annual growth rates,
    ½(m2/m1 + m3/m2) − 1, tested exactly; a year-1 or year-2 value of zero, or fewer than three accounting years,
    gives no rate and fails. The gap is last year's main business revenue still needed.
    """
    m1, m2, m3 = (col_y("main_business_revenue", k) for k in (1, 2, 3))
    pct = p.little_giant.main_business_growth_min
    return Condition(
        passed=is_active(1, p) & (m1 > 0) & (m2 > 0) & main_business_growth_at_least(pct),
        # fewer than three accounting years give no rate: no value and no gap, whatever the figures say
        value=pl.when(is_active(1, p)).then(mean_growth(m1, m2, m3)),
        threshold=pl.lit(float(fraction(pct)) / 100),
        gap=pl.when(is_active(1, p) & (m1 > 0) & (m2 > 0)).then(mean_growth_v3_needed(m1, m2, pct) - m3),
        needs=[
            Need("main_business_revenue_y1", is_active(1, p)),
            "main_business_revenue_y2",
            "main_business_revenue_y3",
        ],
        notes=[
            Note("平均增长率取两个年度增长率的算术平均（本项目读法，未经官方核对）。"),
            Note(
                "前两年主营业务收入为零或经营不足三个会计年度，平均增长率无法计算，按不符合处理，建议人工复核。",
                is_active(1, p).not_() | (m1 == 0) | (m2 == 0),
            ),
        ],
    )


@little_giant.criterion(
    "information_system",
    label="研发设计、生产制造、供应链管理等环节，至少1项核心业务采用信息系统支撑",
    citation=f"{CITATION}（二）精细化指标",
    since=REGIME_2022,
    until=REGIME_2026,
)
def information_system(p: Parameters) -> Condition:
    """（二）精细化指标：重视并实施长期发展战略……研发设计、生产制造、供应链管理等环节，至少1项核心业务采用信息系统
    支撑。"""
    return Condition(passed=pl.col("has_information_system"), needs=["has_information_system"])


@little_giant.criterion(
    "certification",
    label="取得相关管理体系认证，或产品通过发达国家和地区产品认证（国际标准协会行业认证）",
    citation=f"{CITATION}（二）精细化指标",
    since=REGIME_2022,
    until=REGIME_2026,
)
def certification(p: Parameters) -> Condition:
    """（二）精细化指标：取得相关管理体系认证，或产品通过发达国家和地区产品认证（国际标准协会行业认证）。"""
    return Condition(passed=pl.col("has_certification"), needs=["has_certification"])


@little_giant.criterion(
    "debt_ratio",
    label="截至上年末，企业资产负债率不高于70%",
    citation=f"{CITATION}（二）精细化指标",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
    comparison="<=",
)
def debt_ratio(p: Parameters) -> Condition:
    """（二）精细化指标：……截至上年末，企业资产负债率不高于70%。

    Interpretation: the gap is the liabilities to repay out of assets.
    """
    return debt_ratio_condition(p.little_giant.debt_ratio_max)


@little_giant.criterion(
    "market_share",
    label="主导产品在全国细分市场占有率达到10%以上，且享有较高知名度和影响力",
    citation=f"{CITATION}（三）特色化指标",
    value_unit="ratio",
    gap_unit="ratio",
    since=REGIME_2022,
    until=REGIME_2026,
)
def market_share(p: Parameters) -> Condition:
    """（三）特色化指标：技术和产品有自身独特优势，主导产品在全国细分市场占有率达到10%以上，且享有较高知名度和
    影响力。

    Interpretation: the share is an assessment (a ratio held as a float, compared with a relative tolerance of
    1e-9); renown is not separately judged.
    """
    share, pct = pl.col("market_share"), p.little_giant.market_share_min
    threshold = float(fraction(pct)) / 100
    return Condition(
        passed=staff_share_at_least(share, pl.lit(1.0), pct),
        value=share,
        threshold=pl.lit(threshold),
        gap=threshold - share,
        needs=["market_share"],
        notes=[Note("“享有较高知名度和影响力”无量化标准，未单独判断。")],
    )


@little_giant.criterion(
    "own_brand",
    label="拥有直接面向市场并具有竞争优势的自主品牌",
    citation=f"{CITATION}（三）特色化指标",
    since=REGIME_2022,
    until=REGIME_2026,
)
def own_brand(p: Parameters) -> Condition:
    """（三）特色化指标：……拥有直接面向市场并具有竞争优势的自主品牌。"""
    return Condition(passed=pl.col("has_own_brand"), needs=["has_own_brand"])


def innovation_direct(p: Parameters) -> pl.Expr:
    """（四）创新能力指标的直接认定情形: a national S&T award in the last 3 years ranked top three among the
    award-winning units, or the national top 50 of the "创客中国" SME competition in the last 3 years."""
    return any_of([pl.col("num_awards_national_top3_3y") >= 1, pl.col("num_maker_china_top50_3y") >= 1])


@little_giant.derive
def innovation_direct_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_little_giant_innovation_direct``, read by three criteria (63号 regime only)."""
    return {"_little_giant_innovation_direct": innovation_direct(p)} if REGIME_2022 <= p.on < REGIME_2026 else {}


INNOVATION_DIRECT_LABEL = (
    "近三年获得国家级科技奖励并在获奖单位中排名前三，或进入“创客中国”大赛全国50强企业组，创新能力指标直接满足"
)
INNOVATION_DIRECT_NEEDS = ["num_awards_national_top3_3y", "num_maker_china_top50_3y"]


@little_giant.criterion(
    "rd_expense",
    label="研发投入达到按上年度营业收入分档的要求",
    citation=f"{CITATION}（四）创新能力指标",
    value_unit="ratio",
    gap_unit="yuan",
    since=REGIME_2022,
    until=REGIME_2026,
)
def rd_expense(p: Parameters) -> Condition:
    """（四）创新能力指标：上年度营业收入总额在1亿元以上的企业，近2年研发费用总额占营业收入总额比重均不低于3%；
    上年度营业收入总额在5000万元-1亿元的企业，近2年研发费用总额占营业收入总额比重均不低于6%；上年度营业收入总额
    在5000万元以下的企业，同时满足近2年新增股权融资总额（合格机构投资者的实缴额）8000万元以上，且研发费用总额
    3000万元以上、研发人员占企业职工总数比重50%以上。

    Interpretation: the tier is chosen by last year's operating revenue; exactly 1亿 is in the 3 % tier and exactly
    5000万 in the 6 % tier (our convention, §0.4-8). "均不低于" is each of the two years. In the lowest tier the
    R&D expense is the two-year total (the sentence is scoped by "近2年") and R&D staff is last year's share.
    """
    q = p.little_giant
    rev = revenue(3)
    pairs = [(rd_accounts(k), revenue(k)) for k in (2, 3)]
    active = is_active(2, p)
    large, medium = rev >= q.rd_tier_large_revenue_min, rev >= q.rd_tier_medium_revenue_min
    # the tier's percentage as a row-wise numerator over one common denominator: rd / r ≥ num / den
    pct_large, pct_medium = fraction(q.rd_ratio_large), fraction(q.rd_ratio_medium)
    common = math.lcm(pct_large.denominator, pct_medium.denominator)
    den = 100 * common
    num = (
        pl.when(large)
        .then(pl.lit(int(pct_large * common), dtype=pl.Int64))
        .when(medium)
        .then(pl.lit(int(pct_medium * common), dtype=pl.Int64))
    )
    in_small = rev < q.rd_tier_medium_revenue_min
    rd_two_years = pairs[0][0] + pairs[1][0]
    parts = [
        *(
            Part(
                f"{year}研发费用总额占营业收入总额比重达到本档要求",
                (r > 0) & (rd * den >= r * num),
                value=ratio(rd, r),
                threshold=num.cast(pl.Float64) / den,
                gap=pl.max_horizontal(ceil_div_expr(r * num - rd * den, den), pl.lit(1)),
                unit="ratio",
                gap_unit="yuan",
                applies=medium,
            )
            for year, (rd, r) in zip(("前一年度", "上年度"), pairs, strict=True)
        ),
        Part(
            f"近2年新增股权融资总额（合格机构投资者的实缴额）{q.small_tier_equity_financing_min // 10_000}万元以上",
            pl.col("equity_financing_2y") >= q.small_tier_equity_financing_min,
            value=pl.col("equity_financing_2y"),
            threshold=pl.lit(q.small_tier_equity_financing_min),
            gap=q.small_tier_equity_financing_min - pl.col("equity_financing_2y"),
            unit="yuan",
            gap_unit="yuan",
            applies=in_small,
        ),
        Part(
            f"近2年研发费用总额{q.small_tier_rd_expense_min // 10_000}万元以上",
            rd_two_years >= q.small_tier_rd_expense_min,
            value=rd_two_years,
            threshold=pl.lit(q.small_tier_rd_expense_min),
            gap=q.small_tier_rd_expense_min - rd_two_years,
            unit="yuan",
            gap_unit="yuan",
            applies=in_small,
        ),
        Part(
            f"研发人员占企业职工总数比重{q.small_tier_rd_staff_share_min}%以上",
            (col_y("staff_total", 3) > 0)
            & staff_share_at_least(col_y("staff_rd", 3), col_y("staff_total", 3), q.small_tier_rd_staff_share_min),
            value=ratio(col_y("staff_rd", 3), col_y("staff_total", 3)),
            threshold=pl.lit(float(fraction(q.small_tier_rd_staff_share_min)) / 100),
            unit="ratio",
            applies=in_small,
        ),
        Part("企业已有近2年数据（成立满两个会计年度）", active),
    ]
    # the tier decides which parts are the law: the ratio of each year, or the three tests of the lowest tier
    tier_parts = pl.when(medium).then(all_of([part.passed for part in (*parts[:2], parts[-1])]))
    by_tier = tier_parts.when(rev.is_not_null()).then(all_of([part.passed for part in parts[2:]]))
    direct = pl.col("_little_giant_innovation_direct")
    in_small = in_small.fill_null(False)
    return Condition(
        passed=direct | by_tier,
        parts=parts,
        direct=direct,
        direct_label=INNOVATION_DIRECT_LABEL,
        direct_id=None,
        needs=[
            revenue_need(3),
            Need("rd_expense_y2", active),
            "rd_expense_y3",
            revenue_need(2, active & in_small.not_()),
            Need("equity_financing_2y", in_small),
            Need("staff_rd_y3", in_small),
            Need("staff_total_y3", in_small),
            *(Need(column, direct.is_null()) for column in INNOVATION_DIRECT_NEEDS),
        ],
        notes=[
            RD_NOTE,
            revenue_note(2, 3),
            Note(
                "分档边界：上年度营业收入恰为1亿元按“1亿元以上”3%档、恰为5000万元按“5000万元-1亿元”6%档（本项目约定）。",
                ((rev == q.rd_tier_large_revenue_min) | (rev == q.rd_tier_medium_revenue_min)).fill_null(False),
            ),
            Note(
                "上年度营业收入5000万元以下：须同时满足近2年新增股权融资8000万元以上、研发费用总额3000万元以上（按近2年"
                "合计理解）、研发人员占比50%以上。",
                in_small,
            ),
            Note(
                "研发费用3000万元若按上年度单年理解则不满足，两种读法结论不同，建议人工复核。",
                in_small & (rd_two_years >= q.small_tier_rd_expense_min) & (pairs[1][0] < q.small_tier_rd_expense_min),
            ),
        ],
    )


@little_giant.criterion(
    "rd_institution",
    label="自建或与高等院校、科研机构联合建立研发机构",
    citation=f"{CITATION}（四）创新能力指标",
    value_unit="level",
    since=REGIME_2022,
    until=REGIME_2026,
)
def rd_institution(p: Parameters) -> Condition:
    """（四）创新能力指标：自建或与高等院校、科研机构联合建立研发机构，设立研究院、企业技术中心、工程中心、院士专家
    工作站、博士后工作站等。

    Interpretation: an institution of any level counts (``rd_institution_level`` ≥ 1).
    """
    level, minimum = pl.col("rd_institution_level"), p.little_giant.rd_institution_level_min
    direct = pl.col("_little_giant_innovation_direct")
    return Condition(
        passed=direct | (level >= minimum),
        value=level,
        threshold=pl.lit(minimum),
        direct=direct,
        direct_label=INNOVATION_DIRECT_LABEL,
        direct_id=None,
        needs=["rd_institution_level", *(Need(column, direct.is_null()) for column in INNOVATION_DIRECT_NEEDS)],
    )


@little_giant.criterion(
    "class_1_ip",
    label="拥有2项以上与主导产品相关的Ⅰ类知识产权，且实际应用并已产生经济效益",
    citation=f"{CITATION}（四）创新能力指标",
    value_unit="items",
    gap_unit="items",
    since=REGIME_2022,
    until=REGIME_2026,
)
def class_1_ip(p: Parameters) -> Condition:
    """（四）创新能力指标：拥有2项以上与主导产品相关的Ⅰ类知识产权，且实际应用并已产生经济效益。"""
    return class_1_ip_condition(
        p, pl.col("_little_giant_innovation_direct"), INNOVATION_DIRECT_LABEL, INNOVATION_DIRECT_NEEDS
    )


@little_giant.criterion(
    "chain_position",
    label="位于产业链关键环节，围绕重点产业链实现关键基础技术和产品的产业化应用",
    citation=f"{CITATION}（五）产业链配套指标",
    since=REGIME_2022,
    until=REGIME_2026,
)
def chain_position(p: Parameters) -> Condition:
    """（五）产业链配套指标：位于产业链关键环节，围绕重点产业链实现关键基础技术和产品的产业化应用，发挥“补短板”
    “锻长板”“填空白”等重要作用。

    Interpretation: qualitative. ``chain_field = gap_filling`` (补短板、锻长板、填空白取得实际成效) establishes it;
    otherwise it is left for expert review, never failed on facts that do not address it.
    """
    field = pl.col("chain_field")
    shown = field == "gap_filling"
    return Condition(
        passed=pl.when(shown.fill_null(False)).then(True).otherwise(pl.lit(None, dtype=pl.Boolean)),
        needs=["chain_field"],
        notes=[
            Note(
                "是否位于产业链关键环节须专家研判（现有事实仅能据“补短板、锻长板、填空白”确认）。",
                shown.fill_null(False).not_(),
            )
        ],
    )


@little_giant.criterion(
    "industry_field",
    label="主导产品原则上属于工业“六基”、制造强国战略十大重点产业领域或网络强国建设重点领域",
    citation=f"{CITATION}（六）主导产品所属领域",
    value_unit="code",
    since=REGIME_2022,
    until=REGIME_2026,
)
def industry_field(p: Parameters) -> Condition:
    """（六）主导产品所属领域：主导产品原则上属于以下重点领域：从事细分产品市场属于制造业核心基础零部件、元器件、
    关键软件、先进基础工艺和关键基础材料、产业技术基础；或符合制造强国战略十大重点产业领域；或属于网络强国建设的
    重点领域。

    Interpretation: ``chain_field`` in gap_filling, six_bases or key_field qualifies; ``other`` fails ("原则上").
    """
    return field_condition(
        p,
        other_fails=True,
        notes=[
            Note("“原则上”属于重点领域：不属于时按不符合处理，个别例外须人工研判。", pl.col("chain_field") == "other")
        ],
    )

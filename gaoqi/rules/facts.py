"""The facts frame: one flat row per enterprise, the only input the programs read.

Names, meanings and units follow ``shared/reference/facts.md``. Yearly facts carry ``_y1``, ``_y2``, ``_y3`` (year 3
is the latest accounting year, the one before the application year); list groups arrive pre-aggregated into counts
and sums relative to the evaluation date. A null cell is *unknown*, never zero.

>>> FACTS_SCHEMA["sales_revenue_y3"]
Int64
>>> FACTS["staff_st_y3"].label
'科技人员（第3年，年均数）'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import polars as pl

YEARS: Final = (1, 2, 3)


@dataclass(frozen=True)
class Fact:
    name: str
    dtype: pl.DataType
    label: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    yearly_base: str | None = None  # "sales_revenue" for "sales_revenue_y3"
    year: int | None = None


# Per year: (name, dtype, label, unit, minimum). Money is Int64 yuan; staff are averages of monthly averages.
_YEARLY: Final[tuple[tuple[str, pl.DataType, str, str, float | None], ...]] = (
    ("sales_revenue", pl.Int64(), "销售收入", "yuan", 0),
    ("operating_revenue", pl.Int64(), "营业收入", "yuan", 0),
    ("main_business_revenue", pl.Int64(), "主营业务收入", "yuan", 0),
    ("total_income", pl.Int64(), "收入总额", "yuan", 0),
    ("non_taxable_income", pl.Int64(), "不征税收入", "yuan", 0),
    ("investment_income", pl.Int64(), "投资收益", "yuan", None),
    ("hightech_income", pl.Int64(), "高新技术产品（服务）收入", "yuan", 0),
    ("rd_expense", pl.Int64(), "研究开发费用（高企口径）", "yuan", 0),
    ("rd_expense_domestic", pl.Int64(), "境内研究开发费用", "yuan", 0),
    ("rd_expense_tax", pl.Int64(), "研发费用（加计扣除口径）", "yuan", 0),
    ("rd_personnel", pl.Int64(), "研发费用明细：人员人工费用", "yuan", 0),
    ("rd_direct", pl.Int64(), "研发费用明细：直接投入费用", "yuan", 0),
    ("rd_depreciation", pl.Int64(), "研发费用明细：仪器设备折旧费用", "yuan", 0),
    ("rd_deferred", pl.Int64(), "研发费用明细：房屋折旧与长期待摊费用", "yuan", 0),
    ("rd_amortisation", pl.Int64(), "研发费用明细：无形资产摊销费用", "yuan", 0),
    ("rd_design", pl.Int64(), "研发费用明细：设计费用", "yuan", 0),
    ("rd_trials", pl.Int64(), "研发费用明细：装备调试与试验费用", "yuan", 0),
    ("rd_entrusted_domestic", pl.Int64(), "研发费用明细：委托境内研发（实际发生额）", "yuan", 0),
    ("rd_entrusted_overseas", pl.Int64(), "研发费用明细：委托境外研发（实际发生额）", "yuan", 0),
    ("rd_entrusted_overseas_individuals", pl.Int64(), "研发费用明细：其中委托境外个人研发（实际发生额）", "yuan", 0),
    ("rd_other", pl.Int64(), "研发费用明细：其他相关费用", "yuan", 0),
    ("rd_intangible_amortisation", pl.Int64(), "研发形成无形资产的当年摊销额", "yuan", 0),
    ("cost_expense_total", pl.Int64(), "成本费用支出总额", "yuan", 0),
    ("net_profit", pl.Int64(), "净利润", "yuan", None),
    ("total_assets", pl.Int64(), "资产总额", "yuan", 0),
    ("total_liabilities", pl.Int64(), "负债总额", "yuan", 0),
    ("net_assets", pl.Int64(), "净资产", "yuan", None),
    ("staff_total", pl.Float64(), "职工总数", "persons", 0),
    ("staff_st", pl.Float64(), "科技人员", "persons", 0),
    ("staff_rd", pl.Float64(), "研发人员", "persons", 0),
    ("conversions", pl.Int64(), "科技成果转化数", "count", 0),
    ("digital_level", pl.Int64(), "数字化水平等级", "level", 1),
)

RD_BREAKDOWN: Final = (
    "personnel",
    "direct",
    "depreciation",
    "deferred",
    "amortisation",
    "design",
    "trials",
    "entrusted_domestic",
    "entrusted_overseas",
    "other",
)
"""The categories of ``years.<year>.rd_breakdown``; each is the fact ``rd_<key>``, and together they are the R&D
expense."""

RD_BREAKDOWN_PARTS: Final = ("entrusted_overseas_individuals",)
"""Keys of ``rd_breakdown`` that tell how much of a category went where (``PARTS_OF_WHOLES`` names the category),
never added to the R&D expense: ``entrusted_overseas_individuals`` is the part of ``entrusted_overseas`` entrusted to
overseas individuals, which the tax caliber leaves out (财税〔2018〕64号 六)."""

_ENTERPRISE: Final[tuple[Fact, ...]] = (
    Fact("uscc", pl.String(), "统一社会信用代码"),
    Fact("name", pl.String(), "企业名称"),
    Fact("registered_on", pl.Date(), "成立日期", "date"),
    Fact("region_code", pl.String(), "行政区划代码"),
    Fact("industry_code", pl.String(), "国民经济行业分类代码"),
    Fact("hnte_domain", pl.Int64(), "国家重点支持的高新技术领域（1–8，0为不属于）", "code", 0, 8),
    Fact("is_strategic_emerging", pl.Boolean(), "主导产品属于战略性新兴产业"),
    Fact("is_mainland_resident", pl.Boolean(), "在中国境内（不含港澳台）注册的居民企业"),
    Fact("tax_collection", pl.String(), "企业所得税征收方式", choices=("actual", "deemed")),
    Fact("is_on_ic_machine_tool_list", pl.Boolean(), "列入集成电路或工业母机企业清单"),
    Fact("is_sme", pl.Boolean(), "符合《中小企业划型标准规定》的中小企业"),
    Fact("is_tech_innovation_demo", pl.Boolean(), "国家技术创新示范企业（称号有效）"),
    Fact("is_ip_advantage_or_demo", pl.Boolean(), "国家知识产权优势企业或知识产权示范企业（称号有效）"),
    Fact("zones", pl.String(), "所在园区（分号分隔）"),
)

_GROUPS: Final[tuple[Fact, ...]] = (
    # ip: counts of items valid (granted) on the evaluation date
    Fact("ip_class_1", pl.Int64(), "Ⅰ类知识产权数", "count", 0),
    Fact("ip_class_1_self", pl.Int64(), "自主研发的Ⅰ类知识产权数", "count", 0),
    Fact("ip_class_1_tsme", pl.Int64(), "Ⅰ类知识产权数（科技型中小企业口径，不含国防专利）", "count", 0),
    Fact("ip_class_2", pl.Int64(), "Ⅱ类知识产权数", "count", 0),
    Fact("ip_class_2_unused", pl.Int64(), "未在高企认定中使用过的Ⅱ类知识产权数", "count", 0),
    Fact("ip_core", pl.Int64(), "对主要产品（服务）发挥核心支持作用的知识产权数（高企可用）", "count", 0),
    Fact("ip_core_unknown", pl.Int64(), "未标明是否发挥核心支持作用的知识产权数（高企可用）", "count", 0),
    Fact("ip_self", pl.Int64(), "自主研发的知识产权数（高企可用）", "count", 0),
    Fact(
        "ip_class_1_sme", pl.Int64(), "与主导产品相关的Ⅰ类知识产权数（优质中小企业口径，不含受让未满1年）", "count", 0
    ),
    Fact("ip_class_1_sme_self", pl.Int64(), "与主导产品相关、自主研发的Ⅰ类知识产权数（优质中小企业口径）", "count", 0),
    Fact(
        "ip_class_1_sme_high_value", pl.Int64(), "与主导产品相关的高价值Ⅰ类知识产权数（优质中小企业口径）", "count", 0
    ),
    Fact("ip_class_1_sme_benefit", pl.Int64(), "与主导产品相关且已产生经济效益的Ⅰ类知识产权数（不含受让）", "count", 0),
    Fact(
        "ip_class_1_sme_benefit_top3",
        pl.Int64(),
        "与主导产品相关且已产生经济效益、企业为前三位权利人的Ⅰ类知识产权数（不含受让）",
        "count",
        0,
    ),
    Fact(
        "ip_class_2_sme",
        pl.Int64(),
        "与主导产品相关的Ⅱ类知识产权数（优质中小企业口径：软著及授权满2年的实用新型、外观设计）",
        "count",
        0,
    ),
    # certificates: the latest issue date per program; has_certificate_record says the list was given at all
    Fact("has_certificate_record", pl.Boolean(), "已提供资质证书情况"),
    Fact("hnte_issued_on", pl.Date(), "高新技术企业证书发证日期（最近一次）", "date"),
    Fact("tsme_issued_on", pl.Date(), "科技型中小企业入库日期（最近一次）", "date"),
    Fact("innovative_sme_issued_on", pl.Date(), "创新型中小企业认定日期（最近一次）", "date"),
    Fact("srdi_sme_issued_on", pl.Date(), "专精特新中小企业认定日期（最近一次）", "date"),
    Fact("little_giant_issued_on", pl.Date(), "专精特新“小巨人”企业认定日期（最近一次）", "date"),
    # records
    Fact(
        "num_major_incidents_365d", pl.Int64(), "申请前365天内重大安全、重大质量事故或严重环境违法行为次数", "count", 0
    ),
    Fact("num_major_incidents_this_and_last_year", pl.Int64(), "上年度及当年重大事故或严重违法行为次数", "count", 0),
    Fact("num_major_incidents_3y", pl.Int64(), "近三年重大事故或严重违法行为次数", "count", 0),
    Fact("is_on_abnormal_list", pl.Boolean(), "列入经营异常名录"),
    Fact("is_seriously_dishonest", pl.Boolean(), "列入严重违法失信名单"),
    Fact("has_research_misconduct", pl.Boolean(), "有严重科研失信行为"),
    Fact("has_prohibited_products", pl.Boolean(), "产品（服务）属于国家禁止、限制或淘汰类"),
    Fact("has_tax_evasion_3y", pl.Boolean(), "近三年有偷税漏税行为"),
    # awards, institutions, standards, financing, competitions
    Fact("num_awards_national_top3_5y", pl.Int64(), "近五年国家级科技奖励（前三名）次数", "count", 0),
    Fact("num_awards_national_top3_3y", pl.Int64(), "近三年国家级科技奖励（前三名）次数", "count", 0),
    Fact("num_awards_national_top5_3y", pl.Int64(), "近三年国家级科技奖励（前五名）次数", "count", 0),
    Fact("num_awards_provincial_top3_3y", pl.Int64(), "近三年省部级以上科技奖励（前三名）次数", "count", 0),
    Fact("num_awards_3y", pl.Int64(), "近三年省级以上科技奖励次数（不限排名）", "count", 0),
    Fact("rd_institution_level", pl.Int64(), "最高研发机构级别（4国家级 3省级 2市级 1市级以下 0无）", "level", 0, 4),
    Fact("num_standards_led_5y", pl.Int64(), "近五年主导制定国际、国家或行业标准次数（前五名）", "count", 0),
    Fact("num_standards_drafted", pl.Int64(), "参与制定国家标准、行业标准次数", "count", 0),
    Fact("equity_financing_2y", pl.Int64(), "近两年新增合格机构投资者实缴股权融资", "yuan", 0),
    Fact("equity_financing_3y", pl.Int64(), "近三年新增合格机构投资者实缴股权融资", "yuan", 0),
    Fact("num_maker_china_top50_3y", pl.Int64(), "近三年“创客中国”大赛全国50强次数", "count", 0),
    Fact("num_maker_china_top500_3y", pl.Int64(), "近三年“创客中国”大赛全国500强企业组次数", "count", 0),
    # assessments: what only an expert or an outside platform can judge
    Fact("ip_advancement", pl.Int64(), "知识产权：技术的先进程度（专家评分）", "points", 0, 8),
    Fact("ip_core_support", pl.Int64(), "知识产权：对主要产品的核心支持作用（专家评分）", "points", 0, 8),
    Fact("ip_acquisition", pl.Int64(), "知识产权：获得方式（专家评分）", "points", 0, 6),
    Fact("standard_bonus", pl.Int64(), "知识产权：参与标准制定加分（专家评分）", "points", 0, 2),
    Fact("conversion_score", pl.Int64(), "科技成果转化能力（专家评分）", "points", 0, 30),
    Fact("rd_management_1", pl.Int64(), "研发组织管理：管理制度与辅助账（专家评分）", "points", 0, 6),
    Fact("rd_management_2", pl.Int64(), "研发组织管理：研发机构与产学研合作（专家评分）", "points", 0, 6),
    Fact("rd_management_3", pl.Int64(), "研发组织管理：成果转化激励与创新平台（专家评分）", "points", 0, 4),
    Fact("rd_management_4", pl.Int64(), "研发组织管理：人才培养与绩效评价（专家评分）", "points", 0, 4),
    Fact("expert_score_sum", pl.Int64(), "专家评分总分之和", "points", 0),
    Fact("expert_score_count", pl.Int64(), "评分专家人数", "persons", 1),
    Fact("niche_years", pl.Int64(), "从事特定细分市场年限", "years", 0),
    Fact("market_share", pl.Float64(), "主导产品细分市场占有率", "ratio", 0, 1),
    Fact("market_rank", pl.Int64(), "主导产品全国细分市场排名", "rank", 1),
    Fact(
        "chain_field",
        pl.String(),
        "主导产品所属领域",
        choices=("gap_filling", "six_bases", "key_field", "other"),
    ),
    Fact("is_time_honoured_brand", pl.Boolean(), "列入中华老字号名录"),
    Fact("is_chain_leader_supplier", pl.Boolean(), "服务关键产业链重点龙头企业"),
    Fact("has_information_system", pl.Boolean(), "至少一项核心业务采用信息系统支撑"),
    Fact("has_certification", pl.Boolean(), "取得相关管理体系认证或发达国家和地区产品认证"),
    Fact("has_own_brand", pl.Boolean(), "拥有自主品牌"),
    Fact("has_quality_award", pl.Boolean(), "获得省级以上质量奖荣誉"),
    Fact("local_score", pl.Int64(), "专精特色：省级特色指标得分", "points", 0, 15),
    Fact("platform_score", pl.Float64(), "专精特新发展评价得分（平台）", "points", 0, 100),
    Fact("platform_score_prev", pl.Float64(), "上一年度专精特新发展评价得分（平台）", "points", 0, 100),
    Fact("is_srdi_sme_renewal", pl.Boolean(), "本次为专精特新中小企业复核（有效期满）"),
    Fact("is_little_giant_renewal", pl.Boolean(), "本次为专精特新“小巨人”企业复核（有效期满）"),
)


def _yearly_facts() -> tuple[Fact, ...]:
    facts = []
    for base, dtype, label, unit, minimum in _YEARLY:
        maximum = 4 if base == "digital_level" else None
        for year in YEARS:
            facts.append(
                Fact(
                    f"{base}_y{year}",
                    dtype,
                    f"{label}（第{year}年{'，年均数' if unit == 'persons' else ''}）",
                    unit,
                    minimum,
                    maximum,
                    yearly_base=base,
                    year=year,
                )
            )
    return tuple(facts)


FACTS: Final[dict[str, Fact]] = {fact.name: fact for fact in (*_ENTERPRISE, *_yearly_facts(), *_GROUPS)}
FACTS_SCHEMA: Final[pl.Schema] = pl.Schema({name: fact.dtype for name, fact in FACTS.items()})
YEARLY_BASES: Final = tuple(base for base, *_ in _YEARLY)
MONEY_FACTS: Final = frozenset(name for name, fact in FACTS.items() if fact.unit == "yuan")

PARTS_OF_WHOLES: Final = (
    ("staff_st", "staff_total", "科技人员数不能超过职工总数"),
    ("staff_rd", "staff_total", "研发人员数不能超过职工总数"),
    ("rd_expense_domestic", "rd_expense", "境内研究开发费用不能超过研究开发费用总额"),
    ("main_business_revenue", "operating_revenue", "主营业务收入不能超过营业收入"),
    ("non_taxable_income", "total_income", "不征税收入不能超过收入总额"),
    ("rd_entrusted_overseas_individuals", "rd_entrusted_overseas", "委托境外个人研发费用不能超过委托境外研发费用"),
)
"""Yearly facts that are part of another (part, whole, message): a share above 100 % is a data error, and every
reader — JSON documents, tables — refuses it with the same words."""

DEFAULTS: Final[dict[str, object]] = {"is_mainland_resident": True, "is_on_ic_machine_tool_list": False}
"""Facts that facts.md gives a default for: absent means this value, not unknown."""


def empty_facts() -> pl.DataFrame:
    """A facts frame with no rows and every column."""
    return pl.DataFrame(schema=FACTS_SCHEMA)


def facts_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    """Build a facts frame from rows of plain values; absent keys are unknown (null) unless they have a default."""
    filled = [{**DEFAULTS, **{k: v for k, v in row.items() if v is not None}} for row in rows]
    return pl.DataFrame(filled, schema=FACTS_SCHEMA, orient="row") if filled else empty_facts()


def yearly(base: str) -> tuple[str, str, str]:
    """The three column names of a yearly fact, oldest first."""
    return (f"{base}_y1", f"{base}_y2", f"{base}_y3")

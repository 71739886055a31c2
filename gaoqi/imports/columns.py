"""The import template's sheets and columns.

One :class:`Sheet` per kind of row (enterprises, yearly figures, each list an enterprise has, and its assessments).
A column names the model field it fills, the header the template prints (with its unit and range), and the reader of
its cells (``gaoqi.imports.cells``). The template, the reader and the instruction sheet are all made from these specs,
so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.validators import MaxValueValidator

from gaoqi.codes.domains import HNTE_DOMAINS
from gaoqi.imports.cells import (
    WAN,
    YUAN,
    bounded,
    cell_text,
    choice_reader,
    read_bool,
    read_date,
    read_decimal,
    read_int,
    read_scores,
    read_share,
    read_text,
    read_uscc,
    read_zones,
)
from gaoqi.registry.facts import DECLARED_LISTS, EXPERT_ITEMS, RD_MANAGEMENT, RECORD_FLAGS
from gaoqi.registry.models import (
    Award,
    Certificate,
    Enterprise,
    EnterpriseRecord,
    EquityFinancing,
    Incident,
    IPItem,
    RDInstitution,
    Standard,
    YearlyFigures,
)

# ---------------------------------------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills, its header, its reader, and what the instruction sheet says."""

    field: str
    label: str
    read: Callable[[Any], Any]
    unit: str = ""  # 元 (万元 also accepted), 人, or "" for none
    required: bool = False  # must be filled on every row
    required_new: bool = False  # must be filled when the row creates something new
    note: str = ""
    choices: tuple[str, ...] = ()
    width: int = 14
    kind: str = "text"  # text, money, staff, int, score, share, date, bool, choice, region, industry
    signed: bool = False  # an amount that may be negative
    bounds: tuple[int, int | None] | None = None  # the range a number must lie in, shown in the header: 0–8

    @property
    def span(self) -> str:
        if self.bounds is None:
            return ""
        low, high = self.bounds
        return f"{low}–{high}" if high is not None else f"≥{low}"

    @property
    def header(self) -> str:
        words = " ".join(part for part in (self.span, self.unit) if part)
        return f"{self.label}（{words}）" if words else self.label


@dataclass(frozen=True)
class Sheet:
    name: str  # the sheet's name in the workbook
    model: type
    key: tuple[str, ...]  # fields that identify a row: re-importing the same key updates it
    columns: tuple[Column, ...]
    what: str  # what one row is, for the instruction sheet
    fields: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", {c.field: c for c in self.columns})


def _model_label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _money(model: type, name: str, *, signed: bool = False, note: str = "") -> Column:
    return Column(
        name,
        _model_label(model, name),
        read=lambda v: read_decimal(v, places=2),
        unit=YUAN,
        kind="money",
        signed=signed,
        note=note or ("可为负数。" if signed else "不能为负数。"),
        width=18,
    )


def _flag(model: type, name: str, note: str = "", *, label: str = "") -> Column:
    label = label or _model_label(model, name)
    return Column(name, label, read=read_bool, kind="bool", note=note or "是 / 否", width=12)


def _choice(name: str, label: str, choices: list[tuple[Any, str]], **kwargs: Any) -> Column:
    reader = choice_reader(choices)
    return Column(name, label, read=reader, kind="choice", choices=tuple(reader.choices), **kwargs)  # type: ignore[attr-defined]


USCC = Column(
    "uscc",
    "统一社会信用代码",
    read=read_uscc,
    required=True,
    note="18 位，按 GB 32100-2015 校验；每行必填，用于识别企业。",
    width=22,
)

ENTERPRISES = Sheet(
    name="企业",
    model=Enterprise,
    key=("uscc",),
    what="一行一家企业。已登记的企业（同一统一社会信用代码）按本行更新，未登记的新建。",
    columns=(
        USCC,
        Column("name", "企业名称", read=read_text, required_new=True, note="新企业必填。", width=32),
        Column(
            "region_code",
            "所在区县",
            read=cell_text,  # checked against the region table when the file is read
            required_new=True,
            kind="region",
            note="新企业必填；填区县名称（如 蓬江区）或 6 位行政区划代码。",
            width=12,
        ),
        Column("registered_on", "成立日期", read=read_date, kind="date", note="如 2018-05-01。", width=12),
        Column(
            "industry_code",
            "行业代码",
            read=lambda v: cell_text(v).upper(),
            kind="industry",
            note="GB/T 4754-2017，门类字母加数字，如 C3989（至少到大类，如 C39）。",
            width=10,
        ),
        _choice(
            "hnte_domain",
            "重点支持的高新技术领域",
            list(HNTE_DOMAINS),
            note="《国家重点支持的高新技术领域》八大领域之一。",
            width=18,
        ),
        _flag(Enterprise, "is_strategic_emerging", label="属于战略性新兴产业"),
        _flag(Enterprise, "is_mainland_resident", "是 / 否；新企业留空视为“是”。", label="境内注册的居民企业"),
        _choice(
            "tax_collection",
            "所得税征收方式",
            [("actual", "查账征收"), ("deemed", "核定征收")],
            note="查账征收 / 核定征收",
        ),
        _flag(Enterprise, "is_sme"),
        _flag(Enterprise, "is_on_ic_machine_tool_list"),
        _flag(Enterprise, "is_tech_innovation_demo"),
        _flag(Enterprise, "is_ip_advantage_or_demo"),
        Column("zones", "所在园区", read=read_zones, note="多个园区以顿号“、”分隔。", width=20),
    ),
)

_STAFF_NOTE = "全年月平均人数的平均数，可有 2 位小数。"
_YEAR_MONEY = (
    "sales_revenue",
    "operating_revenue",
    "main_business_revenue",
    "total_income",
    "non_taxable_income",
    "investment_income",
    "hightech_income",
    "rd_expense",
    "rd_expense_domestic",
    "rd_expense_tax",
    "rd_personnel",
    "rd_direct",
    "rd_depreciation",
    "rd_deferred",
    "rd_amortisation",
    "rd_design",
    "rd_trials",
    "rd_entrusted_domestic",
    "rd_entrusted_overseas",
    "rd_entrusted_overseas_individuals",
    "rd_other",
    "rd_intangible_amortisation",
    "cost_expense_total",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "net_assets",
)
_SIGNED = {"investment_income", "net_profit", "net_assets"}
_NOTES = {
    "rd_expense": "与下列十项明细二选一：填明细时系统按高企口径计算总额，本列须留空。",
    "rd_expense_domestic": "不能超过研究开发费用总额。",
    "rd_entrusted_overseas_individuals": "委托境外研发中委托境外个人的部分，已含在上一列，不另计入总额；不得加计扣除。",
    "main_business_revenue": "不能超过营业收入。",
    "non_taxable_income": "不能超过收入总额。",
}

YEARS = Sheet(
    name="年度数据",
    model=YearlyFigures,
    key=("uscc", "year"),
    what="一行一家企业的一个会计年度。同一企业同一年度再次导入时按本行更新。",
    columns=(
        USCC,
        Column(
            "year", "会计年度", read=read_int, required=True, kind="int", note="如 2024；不得早于成立年度。", width=10
        ),
        *(_money(YearlyFigures, name, signed=name in _SIGNED, note=_NOTES.get(name, "")) for name in _YEAR_MONEY),
        *(
            Column(
                name,
                _model_label(YearlyFigures, name),
                read=lambda v: read_decimal(v, places=2, unit="人"),
                unit="人",
                kind="staff",
                note=_STAFF_NOTE + (" 不能超过职工总数。" if name != "staff_total" else ""),
            )
            for name in ("staff_total", "staff_st", "staff_rd")
        ),
        Column("conversions", "科技成果转化数", read=read_int, unit="项", kind="int", note="当年转化的项数。"),
        Column("digital_level", "数字化水平等级", read=read_int, kind="int", note="1–4 级。"),
    ),
)

IP_ITEMS = Sheet(
    name="知识产权",
    model=IPItem,
    key=("uscc", "kind", "number"),
    what="一行一件知识产权（或一组同类知识产权，填件数）。同一企业、同一类型、同一编号再次导入时按本行更新。",
    columns=(
        USCC,
        _choice("kind", "知识产权类型", list(IPItem.Kind.choices), required=True, width=20),
        Column(
            "number",
            "编号",
            read=lambda v: read_text(v, max_length=64),
            required=True,
            note="专利号、登记号等；与类型一起识别该项。",
            width=20,
        ),
        Column("title", "名称", read=read_text, width=28),
        Column("count", "件数", read=read_int, kind="int", note="留空为 1。", width=8),
        Column("granted_on", "授权日期", read=read_date, kind="date", width=12),
        _choice("acquired", "获得方式", list(IPItem.Acquired.choices)),
        Column("acquired_on", "受让（获得）日期", read=read_date, kind="date", width=14),
        _flag(IPItem, "is_core_to_main_product"),
        _flag(IPItem, "is_related_to_main_product"),
        _flag(IPItem, "is_among_first_three_holders"),
        _flag(IPItem, "is_high_value"),
        _flag(IPItem, "is_used_in_hnte"),
        _flag(IPItem, "has_economic_benefit"),
    ),
)

CERTIFICATES = Sheet(
    name="资质证书",
    model=Certificate,
    key=("uscc", "program", "issued_on"),
    what="一行一张资质证书。同一企业、同一资质、同一发证日期再次导入时按本行更新。",
    columns=(
        USCC,
        _choice("program", "资质", list(Certificate.Program.choices), required=True, width=24),
        Column("issued_on", "发证（认定）日期", read=read_date, required=True, kind="date", width=14),
        Column("expires_on", "有效期至", read=read_date, kind="date", note="留空时按该资质的有效期计算。", width=12),
        Column("number", "证书编号", read=lambda v: read_text(v, max_length=64), width=20),
    ),
)


def _level(model: type, label: str = "级别") -> Column:
    return _choice("level", label, list(model.Level.choices), required=True, width=12)  # type: ignore[attr-defined]


def _named(label: str, *, required: bool = True, note: str = "", width: int = 28) -> Column:
    return Column("name", label, read=read_text, required=required, note=note, width=width)


def _year(label: str) -> Column:
    return Column("year", label, read=read_int, required=True, kind="int", width=10)


def _rank(label: str) -> Column:
    return Column("rank", label, read=read_int, kind="int", note="1 为第一。", width=10)


INSTITUTIONS = Sheet(
    name="研发机构",
    model=RDInstitution,
    key=("uscc", "level", "name"),
    what="一行一个研发机构（工程技术研究中心、企业技术中心、重点实验室等）。同一企业、同一级别、同一名称再次导入时按本行更新。",
    columns=(
        USCC,
        _level(RDInstitution),
        _named("机构名称", width=32),
        Column("kind", "类型", read=lambda v: read_text(v, max_length=40), note="如 工程技术研究中心。", width=18),
    ),
)

AWARDS = Sheet(
    name="科技奖励",
    model=Award,
    key=("uscc", "level", "year", "name"),
    what="一行一项科技奖励。同一企业、同一级别、同一年度、同一奖项再次导入时按本行更新。",
    columns=(
        USCC,
        _level(Award),
        _year("获奖年度"),
        _named("奖项名称"),
        _rank("完成单位排名"),
        _choice("kind", "奖项类型", list(Award.Kind.choices), note="留空为科学技术奖；其他奖项不计入科技奖励。"),
    ),
)

STANDARDS = Sheet(
    name="标准",
    model=Standard,
    key=("uscc", "level", "year", "name"),
    what="一行一项企业主导或参与制定的标准。同一企业、同一级别、同一发布年度、同一标准名称再次导入时按本行更新。",
    columns=(USCC, _level(Standard), _year("发布年度"), _named("标准名称", note="可含标准号。"), _rank("起草单位排名")),
)

FINANCING = Sheet(
    name="股权融资",
    model=EquityFinancing,
    key=("uscc", "date", "investor"),
    what="一笔合格机构投资者的实缴股权融资。同一企业、同一实缴日期、同一投资机构再次导入时按本行更新。",
    columns=(
        USCC,
        Column("date", "实缴日期", read=read_date, required=True, kind="date", width=12),
        Column("investor", "投资机构", read=read_text, required=True, width=28),
        Column(
            "amount",
            "实缴金额",
            read=lambda v: read_decimal(v, places=2),
            required=True,
            unit=YUAN,
            kind="money",
            width=18,
        ),
    ),
)

INCIDENTS = Sheet(
    name="重大事故或违法行为",
    model=Incident,
    key=("uscc", "date", "kind"),
    what="一行一起重大安全事故、重大质量事故或严重环境违法行为。同一企业、同一日期、同一类型再次导入时按本行更新。",
    columns=(
        USCC,
        Column("date", "发生日期", read=read_date, required=True, kind="date", width=12),
        _choice("kind", "类型", list(Incident.Kind.choices), required=True, width=18),
        Column("note", "说明", read=lambda v: read_text(v, max_length=2000), width=40),
    ),
)


def _maximum(model: type, name: str) -> int:
    """The largest value the model accepts: the most points a score item gives, kept once, on the model."""
    validators = model._meta.get_field(name).validators  # type: ignore[attr-defined]
    return next(int(v.limit_value) for v in validators if isinstance(v, MaxValueValidator))


def _number(name: str, label: str, read: Callable[[Any], Any], low: int, high: int | None, **kwargs: Any) -> Column:
    """A number that must lie in ``low``–``high``: the reader refuses, and the template's input check warns, outside."""
    kwargs.setdefault("kind", "int")
    return Column(name, label, read=bounded(read, low, high), bounds=(low, high), width=12, **kwargs)


def _expert(name: str) -> Column:
    """An expert's score item of the HNTE innovation assessment (国科发火〔2016〕195号); the model labels it."""
    label = _model_label(EnterpriseRecord, name).removesuffix("（专家评分）")
    high = _maximum(EnterpriseRecord, name)
    return _number(name, label, read_int, 0, high, unit="分", note=f"高企创新能力评价专家评分，0–{high} 的整数。")


def _declared(name: str) -> Column:
    """Whether a list is complete: an empty list the enterprise declared differs from one nobody has given."""
    note = "“是”表示此类信息已在本平台完整登记（一项也没有时也填“是”）；否则无任何登记时视为未知，相关条件暂无法判定。"
    return _flag(EnterpriseRecord, name, note)


_RENEWAL_NOTE = "是 / 否；留空时，资质证书中没有该称号的企业视为非复核，有该称号的暂无法判定。"


def _platform_score(name: str, label: str, which: str) -> Column:
    note = f"优质中小企业梯度培育平台给出的{which}专精特新发展评价得分，0–100，可有 2 位小数。"
    read = partial(read_decimal, places=2, unit="分")
    return _number(name, label, read, 0, 100, unit="分", kind="score", note=note)


RECORDS = Sheet(
    name="企业评价与名单信息",
    model=EnterpriseRecord,
    key=("uscc",),
    what="一行一家企业：信用名单情况、各类清单是否已完整登记、专家评分和专精特新评价指标。同一企业再次导入时按本行更新。",
    columns=(
        USCC,
        *(_flag(EnterpriseRecord, name) for name in RECORD_FLAGS),
        *(_declared(name) for name in DECLARED_LISTS.values()),
        *(_expert(name) for name in (*EXPERT_ITEMS, *RD_MANAGEMENT)),
        Column(
            "expert_scores",
            "各位专家的总分",
            read=read_scores,
            bounds=(0, 100),
            unit="分",
            note="每位专家一个 0–100 的整数，以顿号“、”分隔，如 72、80、76；其平均值为创新能力评价得分。",
            width=18,
        ),
        _number("niche_years", "从事特定细分市场年限", read_int, 0, None, unit="年", note="整年数。"),
        Column(
            "market_share",
            "主导产品细分市场占有率",
            read=bounded(read_share, 0, 1),
            bounds=(0, 1),
            kind="share",
            note="小数，如 0.1 表示 10%，最多 4 位小数；也可填百分数，如 10%。",
        ),
        _number("market_rank", "主导产品全国细分市场排名", read_int, 1, None, unit="名", note="1 为第一。"),
        _choice(
            "chain_field",
            "主导产品所属领域",
            list(EnterpriseRecord._meta.get_field("chain_field").flatchoices),
            note="补短板、“六基”领域、重点领域或其他（专精特新中小企业产业链配套指标）。",
            width=16,
        ),
        *(
            _flag(EnterpriseRecord, name)
            for name in (
                "is_time_honoured_brand",
                "is_chain_leader_supplier",
                "has_information_system",
                "has_certification",
                "has_own_brand",
                "has_quality_award",
            )
        ),
        _number(
            "local_score",
            "专精特色：省级特色指标得分",
            read_int,
            0,
            _maximum(EnterpriseRecord, "local_score"),
            unit="分",
        ),
        _platform_score("platform_score", "专精特新发展评价得分", ""),
        _platform_score("platform_score_prev", "上一年度专精特新发展评价得分", "上一年度的"),
        _flag(EnterpriseRecord, "is_srdi_sme_renewal", _RENEWAL_NOTE),
        _flag(EnterpriseRecord, "is_little_giant_renewal", _RENEWAL_NOTE),
    ),
)

SHEETS = (ENTERPRISES, YEARS, IP_ITEMS, CERTIFICATES, INSTITUTIONS, AWARDS, STANDARDS, FINANCING, INCIDENTS, RECORDS)
INSTRUCTIONS_SHEET, CODES_SHEET = "填写说明", "代码表"  # the template's sheets of help, never data
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


def normalise_header(text: Any) -> str:
    """A header as typed: full-width or half-width brackets, stars marking required columns and spaces ignored."""
    clean = cell_text(text) if text is not None else ""
    return clean.replace("(", "（").replace(")", "）").replace("*", "").replace("＊", "").replace(" ", "")


def header_units(column: Column) -> dict[str, str]:
    """The headers that name ``column``, each with the unit it declares: amounts may be given in 元 or 万元."""
    if column.unit == YUAN:
        return {normalise_header(f"{column.label}（{YUAN}）"): YUAN, normalise_header(f"{column.label}（{WAN}）"): WAN}
    return {normalise_header(column.header): column.unit, normalise_header(column.label): column.unit}

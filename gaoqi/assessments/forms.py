"""The guided self-assessment form: its fields, the facts.md document it builds, and the way back.

Every field but the evaluation date is optional, and a blank field is left out of the document (unknown), never
sent as 0. Values travel as the user typed them: ``gaoqi.rules.ingest.read_document`` checks them, and each problem
it names by JSON path is shown next to the field that path came from (:meth:`AssessmentForm.add_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django import forms

from gaoqi.codes.domains import HNTE_DOMAINS
from gaoqi.registry.models import Enterprise
from gaoqi.rules import Problem

TRISTATE = (("", "未知"), ("yes", "是"), ("no", "否"))
DOMAIN_CHOICES = (
    ("", "未知"),
    *((str(number), f"{'一二三四五六七八'[number - 1]}、{name}") for number, name in HNTE_DOMAINS),
    ("none", "不属于上述领域"),
)
TAX_COLLECTION = (("", "未知"), ("actual", "查账征收"), ("deemed", "核定征收"))
CHAIN_FIELDS = (
    ("", "未知"),
    ("gap_filling", "补短板、锻长板、填空白"),
    ("six_bases", "工业“六基”"),
    ("key_field", "制造强国战略十大重点产业领域"),
    ("other", "其他"),
)
ACQUIRED = (("", "未知"), ("self", "自主研发"), ("transfer", "受让"), ("gift", "受赠"), ("merger", "并购"))
INCIDENTS = (("", "未知"), ("none", "无"), ("some", "有（请在下方填写发生日期）"))
AWARD_KINDS = (("", "科学技术奖"), ("other", "其他奖项（如中国专利奖，不计为科技奖励）"))
"""Blank is the reader's default, a science and technology award: the form sends a kind only when it is another."""


@dataclass(frozen=True)
class Spec:
    """One form field and where its value goes in the document; ``kind`` says how it is converted."""

    name: str
    path: str
    label: str
    kind: str = "text"  # text, money, number, date, tristate, choice
    help_text: str = ""
    choices: tuple[tuple[str, str], ...] = ()


BASIC = (
    Spec("as_of", "as_of", "评价日期", "date", "申请或评价的日期；“近三年”指该日期所在年度之前的三个会计年度。"),
    Spec("name", "enterprise.name", "企业名称"),
    Spec("uscc", "enterprise.uscc", "统一社会信用代码", help_text="18位。"),
    Spec("registered_on", "enterprise.registered_on", "成立日期", "date"),
    Spec("region_code", "enterprise.region_code", "行政区划代码", help_text="6位数字，如 440703。"),
    Spec("industry_code", "enterprise.industry_code", "国民经济行业分类代码", help_text="如 C3989。"),
    Spec("hnte_domain", "enterprise.hnte_domain", "核心技术所属的国家重点支持的高新技术领域", "choice",
         choices=DOMAIN_CHOICES),
    Spec("is_strategic_emerging", "enterprise.is_strategic_emerging", "主导产品属于战略性新兴产业", "tristate"),
    Spec("is_sme", "enterprise.is_sme", "符合《中小企业划型标准规定》的中小企业", "tristate"),
    Spec(
        "is_tech_innovation_demo", "enterprise.is_tech_innovation_demo", "国家技术创新示范企业（称号有效）", "tristate"
    ),
    Spec("is_ip_advantage_or_demo", "enterprise.is_ip_advantage_or_demo", "国家知识产权优势企业或示范企业（称号有效）",
         "tristate"),
    Spec("tax_collection", "enterprise.tax_collection", "企业所得税征收方式", "choice", choices=TAX_COLLECTION),
)  # fmt: skip

YEARLY = (
    Spec("sales_revenue", "sales_revenue", "销售收入（元）", "money", "主营业务收入与其他业务收入之和（纳税申报）。"),
    Spec("operating_revenue", "operating_revenue", "营业收入（元，经审计）", "money", "未填时按销售收入计。"),
    Spec("main_business_revenue", "main_business_revenue", "主营业务收入（元）", "money"),
    Spec("total_income", "total_income", "收入总额（元）", "money"),
    Spec("non_taxable_income", "non_taxable_income", "不征税收入（元）", "money"),
    Spec("hightech_income", "hightech_income", "高新技术产品（服务）收入（元）", "money"),
    Spec("rd_expense", "rd_expense", "研究开发费用总额（元，高企口径）", "money"),
    Spec("rd_expense_domestic", "rd_expense_domestic", "其中：境内研究开发费用（元）", "money"),
    Spec("rd_expense_tax", "rd_expense_tax", "研发费用（元，加计扣除口径）", "money",
         "委托研发按实际发生额的80%计入；委托境外个人进行的研发费用不计入，委托境外机构的以境内部分的三分之二为限。"),
    Spec("total_assets", "total_assets", "资产总额（元）", "money"),
    Spec("total_liabilities", "total_liabilities", "负债总额（元）", "money"),
    Spec("net_profit", "net_profit", "净利润（元）", "money"),
    Spec("staff_total", "staff_total", "职工总数（人，全年月平均数）", "number"),
    Spec("staff_st", "staff_st", "科技人员（人，全年月平均数）", "number"),
    Spec("staff_rd", "staff_rd", "研发人员（人，全年月平均数）", "number"),
    Spec("conversions", "conversions", "科技成果转化数（项）", "number"),
    Spec("digital_level", "digital_level", "数字化水平等级（1–4级）", "number", "工业和信息化部数字化水平评测结果。"),
)  # fmt: skip

IP_KINDS = (
    ("invention_patent", "发明专利（Ⅰ类）"),
    ("ic_layout", "集成电路布图设计专有权（Ⅰ类）"),
    ("plant_variety", "植物新品种（Ⅰ类）"),
    ("new_drug", "国家新药（Ⅰ类）"),
    ("utility_model", "实用新型专利（Ⅱ类）"),
    ("design_patent", "外观设计专利（Ⅱ类）"),
    ("software_copyright", "软件著作权（Ⅱ类）"),
)
IP_COLUMNS = (
    Spec("count", "count", "有效数量（件）", "number"),
    Spec("acquired", "acquired", "获得方式", "choice", choices=ACQUIRED),
    Spec("core", "is_core_to_main_product", "对主要产品发挥核心支持作用", "tristate"),
    Spec(
        "related",
        "is_related_to_main_product",
        "与主导产品相关",
        "tristate",
        "核心支持主要产品的视为相关；两项都未选时，创新型、专精特新各项无法确定是否计入。",
    ),
    Spec("first_three", "is_among_first_three_holders", "企业为前三位权利人", "tristate"),
    Spec("granted_on", "granted_on", "最早授权日期", "date"),
)

CERTIFICATES = (
    ("hnte", "高新技术企业证书"),
    ("tsme", "科技型中小企业入库"),
    ("innovative_sme", "创新型中小企业"),
    ("srdi_sme", "专精特新中小企业"),
    ("little_giant", "专精特新“小巨人”企业"),
)

SINGLE_ITEMS = (
    ("institution", "rd_institutions", "企业研发机构（最高级别）",
     (("", "未知"), ("none", "没有"), ("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"),
      ("below", "市级以下")), ()),
    ("award", "awards", "省级以上奖励（最重要的一项）",
     (("", "未知"), ("none", "没有"), ("national", "国家级"), ("provincial", "省级")),
     (Spec("kind", "kind", "奖项类型", "choice", choices=AWARD_KINDS),
      Spec("rank", "rank", "企业排名（第几完成单位）", "number"), Spec("year", "year", "获奖年度", "number"))),
    ("standard", "standards", "主导或参与制定的标准（最重要的一项）",
     (("", "未知"), ("none", "没有"), ("international", "国际标准"), ("national", "国家标准"),
      ("industry", "行业标准")),
     (Spec("rank", "rank", "企业排名（第几起草单位）", "number"), Spec("year", "year", "发布年度", "number"))),
    ("financing", "equity_financing", "近三年合格机构投资者股权融资",
     (("", "未知"), ("none", "没有"), ("yes", "有")),
     (Spec("date", "date", "实缴到账日期", "date"), Spec("amount", "amount", "实缴金额（元）", "money"))),
)  # fmt: skip
"""Lists the programs read, asked as their one most important item: (key, group, label, kinds, details)."""

INSTITUTION_RANK = {"national": 0, "provincial": 1, "municipal": 2, "below": 3}
"""The highest R&D institution is the one the programs read."""

RECORDS = (
    Spec("is_on_abnormal_list", "records.is_on_abnormal_list", "列入经营异常名录", "tristate"),
    Spec("is_seriously_dishonest", "records.is_seriously_dishonest", "列入严重违法失信名单", "tristate"),
    Spec("has_research_misconduct", "records.has_research_misconduct", "有严重科研失信行为", "tristate"),
    Spec("has_prohibited_products", "records.has_prohibited_products", "产品（服务）属于国家禁止、限制或淘汰类",
         "tristate"),
    Spec("has_tax_evasion_3y", "records.has_tax_evasion_3y", "近三年有偷税漏税行为", "tristate"),
)  # fmt: skip

EXPERT = (
    Spec("ip_advancement", "assessments.ip_advancement", "知识产权：技术的先进程度（0–8分）", "number"),
    Spec("ip_core_support", "assessments.ip_core_support", "知识产权：对主要产品的核心支持作用（0–8分）", "number"),
    Spec("ip_acquisition", "assessments.ip_acquisition", "知识产权：获得方式（0–6分）", "number"),
    Spec("standard_bonus", "assessments.standard_bonus", "知识产权：参与标准制定加分（0–2分）", "number"),
    Spec("conversion_score", "assessments.conversion_score", "科技成果转化能力（0–30分）", "number"),
    Spec("rd_management_1", "assessments.rd_management[0]", "研发组织管理：管理制度与辅助账（0–6分）", "number"),
    Spec("rd_management_2", "assessments.rd_management[1]", "研发组织管理：研发机构与产学研合作（0–6分）", "number"),
    Spec("rd_management_3", "assessments.rd_management[2]", "研发组织管理：成果转化激励与创新平台（0–4分）",
         "number"),
    Spec("rd_management_4", "assessments.rd_management[3]", "研发组织管理：人才培养与绩效评价（0–4分）", "number"),
    Spec("niche_years", "assessments.niche_years", "从事特定细分市场年限（年）", "number"),
    Spec("chain_field", "assessments.chain_field", "主导产品所属领域", "choice", choices=CHAIN_FIELDS),
    Spec("is_time_honoured_brand", "assessments.is_time_honoured_brand", "列入中华老字号名录", "tristate"),
    Spec("is_chain_leader_supplier", "assessments.is_chain_leader_supplier", "服务关键产业链重点龙头企业", "tristate"),
    Spec("has_information_system", "assessments.has_information_system", "至少一项核心业务采用信息系统支撑",
         "tristate"),
    Spec("has_certification", "assessments.has_certification", "取得相关管理体系认证或产品认证", "tristate"),
    Spec("has_own_brand", "assessments.has_own_brand", "拥有自主品牌", "tristate"),
    Spec("has_quality_award", "assessments.has_quality_award", "获得省级以上质量奖荣誉", "tristate"),
    Spec("market_share", "assessments.market_share", "主导产品细分市场占有率（小数，如 0.1 即 10%）", "number"),
    Spec("local_score", "assessments.local_score", "专精特新省级特色指标得分（0–15分）", "number"),
    Spec("platform_score", "assessments.platform_score", "当年专精特新发展评价得分（平台，0–100分）", "number"),
    Spec("platform_score_prev", "assessments.platform_score_prev", "上一年度专精特新发展评价得分（平台，0–100分）",
         "number", "复核企业可按近两年中任一年的得分判断。"),
    Spec("is_srdi_sme_renewal", "assessments.is_srdi_sme_renewal", "本次为专精特新中小企业复核（有效期满）",
         "tristate"),
    Spec("is_little_giant_renewal", "assessments.is_little_giant_renewal", "本次为专精特新“小巨人”企业复核（有效期满）",
         "tristate"),
)  # fmt: skip

WHAT_IF = (
    Spec("rd_expense", "rd_expense", "研究开发费用（元）", "money"),
    Spec("sales_revenue", "sales_revenue", "销售收入（元）", "money"),
    Spec("staff_st", "staff_st", "科技人员（人）", "number"),
    Spec("hightech_income", "hightech_income", "高新技术产品（服务）收入（元）", "money"),
)
"""The figures of the latest year a user can change in the what-if panel."""


def _field(spec: Spec, *, required: bool = False) -> forms.Field:
    attrs: dict[str, str] = {}
    if spec.kind in ("choice", "tristate"):
        return forms.ChoiceField(
            label=spec.label, required=False, choices=spec.choices or TRISTATE, help_text=spec.help_text
        )
    if spec.kind == "date":
        attrs["type"] = "date"
    elif spec.kind == "money":
        attrs.update(inputmode="numeric", placeholder="元")
    elif spec.kind == "number":
        attrs["inputmode"] = "decimal"
    return forms.CharField(
        label=spec.label, required=required, help_text=spec.help_text, widget=forms.TextInput(attrs=attrs)
    )


def year_columns(as_of: date | None) -> tuple[tuple[int, str], ...]:
    """(k, heading) of the three fiscal years, oldest first; the calendar year when the evaluation date is known."""
    if as_of is None:
        return ((1, "第1年"), (2, "第2年"), (3, "第3年（最近一年）"))
    return tuple((k, f"{as_of.year - 4 + k}年") for k in (1, 2, 3))


def parse_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")
UNKNOWN_USCC = "企业库中没有您可以评价的、使用该统一社会信用代码的企业，请核对。"
"""One message for a code nobody has and a code of an enterprise outside the user's scope, so codes cannot be probed."""


class AssessmentForm(forms.Form):
    """The guided form. ``enterprises`` are the ones the user may assess (already scoped by the caller).

    The enterprise assessed is never offered as a list (a city has tens of thousands): a known one (prefilled,
    revised, the enterprise user's own) travels as its id in a hidden input and is shown by name; otherwise the user
    types its credit code, looked up within ``enterprises`` only.
    """

    enterprise = forms.ModelChoiceField(
        label="评价的企业", queryset=Enterprise.objects.none(), required=False, widget=forms.HiddenInput
    )
    enterprise_uscc = forms.CharField(
        label="关联企业库中的企业（统一社会信用代码，选填）",
        required=False,
        max_length=40,
        help_text="填写后自评结果保存在该企业名下；留空为空白填报，不关联企业库。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "18位"}),
    )
    ip_none = forms.BooleanField(label="企业目前没有任何有效知识产权", required=False)
    certificates_none = forms.BooleanField(label="企业目前没有上述任何资质", required=False)
    incidents = forms.ChoiceField(
        label="近三年重大安全、重大质量事故或严重环境违法行为", choices=INCIDENTS, required=False
    )
    incident_dates = forms.CharField(
        label="发生日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "YYYY-MM-DD，每行一个"}),
    )

    def __init__(self, *args: Any, enterprises: Any, enterprise_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        assert isinstance(enterprise, forms.ModelChoiceField)
        enterprise.queryset = enterprises
        self._enterprises = enterprises
        self.enterprise_required = enterprise_required
        if enterprise_required:
            uscc = self.fields["enterprise_uscc"]
            uscc.label, uscc.help_text = "评价的企业（统一社会信用代码）", ""
        for spec in BASIC:
            self.fields[spec.name] = _field(spec, required=spec.name == "as_of")
        for k in (1, 2, 3):
            for spec in YEARLY:
                field = self.fields[f"y{k}_{spec.name}"] = _field(spec)
                field.widget.attrs["aria-label"] = f"第{k}年 {spec.label}"
        for kind, label in IP_KINDS:
            for column in IP_COLUMNS:
                field = self.fields[f"ip_{kind}_{column.name}"] = _field(column)
                field.widget.attrs["aria-label"] = f"{label} {column.label}"
        for program, label in CERTIFICATES:
            self.fields[f"certificate_{program}"] = _field(Spec(program, "", f"{label}（发证或认定日期）", "date"))
        for key, _group, label, kinds, details in SINGLE_ITEMS:
            self.fields[f"{key}_level"] = _field(Spec(f"{key}_level", "", label, "choice", choices=kinds))
            for detail in details:
                self.fields[f"{key}_{detail.name}"] = _field(detail)
        for spec in (*RECORDS, *EXPERT):
            self.fields[spec.name] = _field(spec)
        self.fields["as_of"].error_messages["required"] = "请填写评价日期。"
        self._paths: dict[str, str] = {}

    # ---------------------------------------------------------------------------------------------- sections

    @property
    def evaluation_date(self) -> date | None:
        value = self.data.get("as_of") if self.is_bound else self.initial.get("as_of")
        return parse_date(value) if value else None

    @cached_property
    def linked_enterprise(self) -> Enterprise | None:
        """The enterprise the form is known to be for, shown by name with its id hidden; ``None`` asks for a code.

        Unbound: the one in ``initial`` (prefilled, revised, the enterprise user's own). Bound: the posted id once
        it passed the scope check; one found by its credit code stays a code the user can still change."""
        if self.is_bound:
            if not self.data.get("enterprise") or self.has_error("enterprise"):
                return None
            return self.cleaned_data.get("enterprise")
        pk = self.initial.get("enterprise")
        return self._enterprises.filter(pk=pk).first() if pk else None

    def basic_fields(self) -> list[forms.BoundField]:
        return [self[spec.name] for spec in BASIC]

    def year_rows(self) -> Iterator[tuple[str, str, list[forms.BoundField]]]:
        for spec in YEARLY:
            yield spec.label, spec.help_text, [self[f"y{k}_{spec.name}"] for k in (1, 2, 3)]

    def year_headings(self) -> tuple[tuple[int, str], ...]:
        return year_columns(self.evaluation_date)

    def ip_rows(self) -> Iterator[tuple[str, list[forms.BoundField]]]:
        for kind, label in IP_KINDS:
            yield label, [self[f"ip_{kind}_{column.name}"] for column in IP_COLUMNS]

    def ip_headings(self) -> list[str]:
        return [column.label for column in IP_COLUMNS]

    def certificate_fields(self) -> list[forms.BoundField]:
        return [self[f"certificate_{program}"] for program, _ in CERTIFICATES]

    def single_item_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"{key}_level"], *(self[f"{key}_{d.name}"] for d in details)]
            for key, _group, _label, _kinds, details in SINGLE_ITEMS
        ]

    def record_fields(self) -> list[forms.BoundField]:
        return [self[spec.name] for spec in RECORDS]

    def expert_fields(self) -> list[forms.BoundField]:
        return [self[spec.name] for spec in EXPERT]

    # ---------------------------------------------------------------------------------------------- the enterprise

    def clean_enterprise_uscc(self) -> str:
        code = "".join(self.cleaned_data["enterprise_uscc"].split()).upper()
        if code and not self.data.get("enterprise") and not USCC_SHAPE.fullmatch(code):
            raise forms.ValidationError("统一社会信用代码应为18位数字或大写字母，请核对。")
        return code

    def _clean_enterprise(self, data: dict[str, Any]) -> None:
        """The enterprise from its hidden id or, failing that, from the credit code typed, within scope only."""
        if self.has_error("enterprise") or self.has_error("enterprise_uscc") or data.get("enterprise"):
            return
        code = data.get("enterprise_uscc", "")
        if code:
            found = self._enterprises.filter(uscc=code).first()
            if found is None:
                self.add_error("enterprise_uscc", UNKNOWN_USCC)
            else:
                data["enterprise"] = found
        elif self.enterprise_required:
            self.add_error("enterprise_uscc", "请填写评价企业的统一社会信用代码。")

    # ---------------------------------------------------------------------------------------------- the document

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_enterprise(data)
        if data.get("ip_none") and any(data.get(f"ip_{kind}_count") for kind, _ in IP_KINDS):
            self.add_error("ip_none", "已勾选“没有任何有效知识产权”，又填写了知识产权数量，请只选其一。")
        if data.get("certificates_none") and any(data.get(f"certificate_{p}") for p, _ in CERTIFICATES):
            self.add_error("certificates_none", "已勾选“没有上述任何资质”，又填写了发证日期，请只选其一。")
        for key, _group, _label, _kinds, details in SINGLE_ITEMS:
            level = data.get(f"{key}_level", "")
            if level in ("", "none") and any(data.get(f"{key}_{d.name}") for d in details):
                self.add_error(f"{key}_level", "已填写详细情况，请选择级别（或“有”）。")
        dates = _lines(data.get("incident_dates", ""))
        if data.get("incidents") == "none" and dates:
            self.add_error("incident_dates", "已选择“无”事故或违法行为，又填写了发生日期，请只选其一。")
        if data.get("incidents") == "some" and not dates:
            self.add_error("incident_dates", "请填写事故或违法行为的发生日期。")
        return data

    def document(self) -> dict[str, Any]:
        """The facts.md document of the cleaned data; blank fields are left out. Call after ``is_valid()``."""
        data = self.cleaned_data
        self._paths = {}
        doc: dict[str, Any] = {}
        for spec in (*BASIC, *RECORDS, *EXPERT):
            self._put(doc, spec, data.get(spec.name, ""))
        as_of = parse_date(data.get("as_of", ""))
        if as_of is not None:
            for k in (1, 2, 3):
                for spec in YEARLY:
                    name = f"y{k}_{spec.name}"
                    path = f"years.{as_of.year - 4 + k}.{spec.path}"
                    self._put(doc, Spec(name, path, spec.label, spec.kind), data.get(name))
        if "assessments" in doc and "rd_management" in doc["assessments"]:
            doc["assessments"]["rd_management"] = [doc["assessments"]["rd_management"].get(i) for i in range(4)]
        self._put_ip(doc, data)
        self._put_certificates(doc, data)
        self._put_incidents(doc, data)
        self._put_single_items(doc, data)
        return doc

    def _put_single_items(self, doc: dict[str, Any], data: dict[str, Any]) -> None:
        for key, group, _label, _kinds, details in SINGLE_ITEMS:
            level = data.get(f"{key}_level", "")
            if level == "none":
                doc[group] = []
            elif level:
                item = {} if level == "yes" else {"level": level}
                self._paths[f"{group}[0]"] = f"{key}_level"
                for detail in details:
                    if data.get(f"{key}_{detail.name}"):
                        item[detail.path] = data[f"{key}_{detail.name}"]
                        self._paths[f"{group}[0].{detail.path}"] = f"{key}_{detail.name}"
                doc[group] = [item]

    def _put(self, doc: dict[str, Any], spec: Spec, value: Any) -> None:
        if value in ("", None):
            return
        if spec.kind == "tristate":
            value = value == "yes"
        elif spec.name == "hnte_domain":
            value = None if value == "none" else int(value)
        self._paths[spec.path] = spec.name
        *parents, last = spec.path.replace("[", ".").replace("]", "").split(".")
        node: dict[Any, Any] = doc  # rd_management is keyed by the item's number
        for key in parents:
            node = node.setdefault(key, {})
        node[int(last) if last.isdigit() and parents[-1:] == ["rd_management"] else last] = value

    def _put_ip(self, doc: dict[str, Any], data: dict[str, Any]) -> None:
        items: list[dict[str, Any]] = []
        for kind, _label in IP_KINDS:
            count = data.get(f"ip_{kind}_count", "")
            if count in ("", "0"):
                continue
            where = f"ip[{len(items)}]"
            item: dict[str, Any] = {"kind": kind, "count": count}
            self._paths[where] = f"ip_{kind}_count"
            for column in IP_COLUMNS[1:]:
                value = data.get(f"ip_{kind}_{column.name}", "")
                if value:
                    item[column.path] = value == "yes" if column.kind == "tristate" else value
                    self._paths[f"{where}.{column.path}"] = f"ip_{kind}_{column.name}"
            items.append(item)
        if items or data.get("ip_none") or any(data.get(f"ip_{kind}_count") == "0" for kind, _ in IP_KINDS):
            doc["ip"] = items
            self._paths["ip"] = "ip_none"

    def _put_certificates(self, doc: dict[str, Any], data: dict[str, Any]) -> None:
        items: list[dict[str, Any]] = []
        for program, _label in CERTIFICATES:
            issued = data.get(f"certificate_{program}", "")
            if issued:
                self._paths[f"certificates[{len(items)}]"] = f"certificate_{program}"
                items.append({"program": program, "issued_on": issued})
        if items or data.get("certificates_none"):
            doc["certificates"] = items

    def _put_incidents(self, doc: dict[str, Any], data: dict[str, Any]) -> None:
        dates = _lines(data.get("incident_dates", ""))
        if dates or data.get("incidents") == "none":
            doc.setdefault("records", {})["major_incident_dates"] = dates
            self._paths["records.major_incident_dates"] = "incident_dates"

    # ---------------------------------------------------------------------------------------------- problems back

    def field_of(self, path: str) -> str | None:
        """The form field a JSON path came from: the longest known path that is ``path`` or contains it."""
        best = None
        for known, name in self._paths.items():
            if (path == known or path.startswith((f"{known}.", f"{known}["))) and (
                best is None or len(known) > len(best[0])
            ):
                best = (known, name)
        return best[1] if best else None

    def add_problems(self, problems: Iterable[Problem]) -> None:
        """Show each problem of ``read_document`` next to its field (or above the form when it has none)."""
        for problem in problems:
            name = self.field_of(problem.path) if problem.path else None
            self.add_error(name, problem.message)


_GROUP_FIELDS = {
    "ip": "ip_invention_patent_count",
    "certificates": "certificate_hnte",
    "records.major_incident_dates": "incidents",
    "assessments.rd_management": "rd_management_1",
    **{group: f"{key}_level" for key, group, *_ in SINGLE_ITEMS},
}


def form_field_for(path: str, as_of: date) -> str | None:
    """The form field where a missing fact (named by its JSON path) is entered, if the form asks for it."""
    if path.startswith("years."):
        _, year, base = [*path.split("."), "", ""][:3]
        k = int(year) - as_of.year + 4 if year.isdigit() else 0
        return f"y{k}_{base}" if k in (1, 2, 3) and base in {spec.name for spec in YEARLY} else None
    if path in _GROUP_FIELDS:
        return _GROUP_FIELDS[path]
    return next((spec.name for spec in (*BASIC, *RECORDS, *EXPERT) if spec.path == path), None)


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace(",", "\n").splitlines() if part.strip()]


def initial_from_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Form values from a facts.md document (the way back from :meth:`AssessmentForm.document`)."""
    initial: dict[str, Any] = {}
    for spec in (*BASIC, *RECORDS, *EXPERT):
        value = _at(doc, spec.path)
        if value is not None or (spec.name == "hnte_domain" and _has(doc, spec.path)):
            initial[spec.name] = _form_value(spec, value)
    as_of = parse_date(doc.get("as_of", ""))
    years = doc.get("years") or {}
    if as_of is not None:
        for k in (1, 2, 3):
            year = years.get(str(as_of.year - 4 + k)) or {}
            for spec in YEARLY:
                if year.get(spec.path) is not None:
                    initial[f"y{k}_{spec.name}"] = figure_text(year[spec.path])
    for item in doc.get("ip") or []:
        kind = item.get("kind")
        if kind not in dict(IP_KINDS):
            continue
        before = int(initial.get(f"ip_{kind}_count", 0))
        initial[f"ip_{kind}_count"] = str(before + int(item.get("count", 1)))
        for column in IP_COLUMNS[1:]:
            value = item.get(column.path)
            if value is not None and before == 0:
                initial[f"ip_{kind}_{column.name}"] = _form_value(column, value)
    if doc.get("ip") == []:
        initial["ip_none"] = True
    for item in doc.get("certificates") or []:
        if item.get("program") in dict(CERTIFICATES) and item.get("issued_on"):
            initial[f"certificate_{item['program']}"] = item["issued_on"]
    if doc.get("certificates") == []:
        initial["certificates_none"] = True
    for key, group, _label, _kinds, details in SINGLE_ITEMS:
        items = doc.get(group)
        if group == "rd_institutions" and items:
            items = sorted(items, key=lambda item: INSTITUTION_RANK.get(item.get("level"), len(INSTITUTION_RANK)))
        if items == []:
            initial[f"{key}_level"] = "none"
        elif items:
            initial[f"{key}_level"] = items[0].get("level", "yes")
            for detail in details:
                value = items[0].get(detail.path)
                # a choice the form leaves blank (an award's default kind) is shown blank
                if value is not None and (detail.kind != "choice" or value in dict(detail.choices)):
                    initial[f"{key}_{detail.name}"] = str(value)
    dates = (doc.get("records") or {}).get("major_incident_dates")
    if dates is not None:
        initial["incidents"] = "some" if dates else "none"
        initial["incident_dates"] = "\n".join(dates)
    return initial


def figure_text(value: Any) -> str:
    """A figure as a person types it: a whole number of staff given as 12.0 (the registry's average) is 12."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def prefill_notes(doc: dict[str, Any]) -> list[str]:
    """What of a document the form cannot carry, so that the user knows what to check after prefilling."""
    notes = []
    for year, figures in sorted((doc.get("years") or {}).items()):
        if "rd_breakdown" in (figures or {}):
            notes.append(f"{year}年研发费用在企业库中为分项明细；本表只填总额，请按高企口径填写研究开发费用总额。")
    kinds = dict(IP_KINDS)
    other = sorted({str(item.get("kind")) for item in doc.get("ip") or [] if item.get("kind") not in kinds})
    if other:
        notes.append(f"企业库中有本表未列出的知识产权类型（{'、'.join(other)}），未带入。")
    for _key, group, label, _kinds, _details in SINGLE_ITEMS:
        items = doc.get(group) or []
        if len(items) > 1:
            notes.append(f"企业库中有 {len(items)} 项{label.split('（')[0]}，本表只带入一项，请核对。")
    return notes


def _form_value(spec: Spec, value: Any) -> str:
    if spec.kind == "tristate":
        return "yes" if value else "no"
    if spec.name == "hnte_domain":
        return "none" if value in (None, 0) else str(value)
    return str(value)


def _steps(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")]


def _at(doc: Any, path: str) -> Any:
    node = doc
    for step in _steps(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _has(doc: Any, path: str) -> bool:
    *parents, last = path.split(".")
    node = _at(doc, ".".join(parents)) if parents else doc
    return isinstance(node, dict) and last in node

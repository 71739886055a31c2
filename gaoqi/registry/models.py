"""The enterprise registry (高新技术企业数据库): enterprises keyed by unified social credit code."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoqi.core.models import TimeStamped
from gaoqi.rules import PARTS_OF_WHOLES, RD_BREAKDOWN, RD_BREAKDOWN_PARTS


class ServiceAgency(TimeStamped):
    """A filed service agency (备案服务机构) that manages applications for its client enterprises."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200)

    class Meta:
        verbose_name = _("服务机构")
        verbose_name_plural = _("服务机构")

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStamped):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    registered_on = models.DateField(_("成立日期"), null=True, blank=True)
    region_code = models.CharField(_("所在区县"), max_length=6, db_index=True)
    industry_code = models.CharField(_("所属行业（GB/T 4754-2017）"), max_length=5, blank=True, db_index=True)
    hnte_domain = models.PositiveSmallIntegerField(_("国家重点支持的高新技术领域"), null=True, blank=True)
    is_strategic_emerging = models.BooleanField(_("属于战略性新兴产业"), null=True, blank=True)
    is_mainland_resident = models.BooleanField(_("境内注册的居民企业"), default=True)
    tax_collection = models.CharField(
        _("企业所得税征收方式"),
        max_length=8,
        blank=True,
        choices=[("actual", _("查账征收")), ("deemed", _("核定征收"))],
    )
    zones = models.JSONField(_("所在园区"), default=list, blank=True)
    is_sme = models.BooleanField("符合《中小企业划型标准规定》的中小企业", null=True, blank=True)
    is_on_ic_machine_tool_list = models.BooleanField("列入集成电路或工业母机企业清单", default=False)
    is_tech_innovation_demo = models.BooleanField("国家技术创新示范企业（称号有效）", null=True, blank=True)
    is_ip_advantage_or_demo = models.BooleanField("国家知识产权优势企业或示范企业（称号有效）", null=True, blank=True)
    agency = models.ForeignKey(
        ServiceAgency,
        verbose_name=_("服务机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clients",
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("导师"), blank=True, related_name="mentored_enterprises"
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------------- facts of facts.md
# Every field below is named as its fact in ``shared/reference/facts.md`` and ``gaoqi.rules.facts``. NULL is unknown,
# never zero; ``gaoqi.registry.facts`` turns these rows into the rules' facts frame.

NON_NEGATIVE = [MinValueValidator(0)]


def _money(label: str, *, signed: bool = False) -> models.DecimalField:
    """An amount in yuan (decimal, two places); unknown when NULL."""
    return models.DecimalField(
        label, max_digits=16, decimal_places=2, null=True, blank=True, validators=[] if signed else NON_NEGATIVE
    )


def _staff(label: str) -> models.DecimalField:
    """A yearly average of monthly averages of persons (195号 三（五）)."""
    return models.DecimalField(label, max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE)


def _flag(label: str) -> models.BooleanField:
    return models.BooleanField(label, null=True, blank=True)


def _points(label: str, maximum: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True, validators=[MaxValueValidator(maximum)])


def _platform_score(label: str) -> models.DecimalField:
    """A score of the SME cultivation platform: 0–100 with two decimals."""
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


SHARES = tuple((part, whole, f"{message}。") for part, whole, message in PARTS_OF_WHOLES)
"""A part may not exceed its whole: the same pairs, in the same words, that the rules' readers refuse."""


class YearlyFigures(TimeStamped):
    """One fiscal year of an enterprise's financial, R&D and staff figures (``years.<year>`` of facts.md).

    The R&D expense is given either as totals (``rd_expense`` …) or as the ten items of ``rd_breakdown``
    (``rd_personnel`` … ``rd_other``, actual amounts); the rules derive each caliber from the items.
    ``rd_entrusted_overseas_individuals`` says how much of ``rd_entrusted_overseas`` went to overseas individuals.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="yearly_figures"
    )
    year = models.PositiveSmallIntegerField("会计年度", validators=[MinValueValidator(1949)])
    sales_revenue = _money("销售收入")
    operating_revenue = _money("营业收入")
    main_business_revenue = _money("主营业务收入")
    total_income = _money("收入总额")
    non_taxable_income = _money("不征税收入")
    investment_income = _money("投资收益", signed=True)
    hightech_income = _money("高新技术产品（服务）收入")
    rd_expense = _money("研究开发费用（高企口径）")
    rd_expense_domestic = _money("境内研究开发费用")
    rd_expense_tax = _money("研发费用（加计扣除口径）")
    rd_personnel = _money("研发费用明细：人员人工费用")
    rd_direct = _money("研发费用明细：直接投入费用")
    rd_depreciation = _money("研发费用明细：仪器设备折旧费用")
    rd_deferred = _money("研发费用明细：房屋折旧与长期待摊费用")
    rd_amortisation = _money("研发费用明细：无形资产摊销费用")
    rd_design = _money("研发费用明细：设计费用")
    rd_trials = _money("研发费用明细：装备调试与试验费用")
    rd_entrusted_domestic = _money("研发费用明细：委托境内研发（实际发生额）")
    rd_entrusted_overseas = _money("研发费用明细：委托境外研发（实际发生额）")
    rd_entrusted_overseas_individuals = _money("研发费用明细：其中委托境外个人研发（实际发生额）")
    rd_other = _money("研发费用明细：其他相关费用")
    rd_intangible_amortisation = _money("研发形成无形资产的当年摊销额")
    cost_expense_total = _money("成本费用支出总额")
    net_profit = _money("净利润", signed=True)
    total_assets = _money("资产总额")
    total_liabilities = _money("负债总额")
    net_assets = _money("净资产", signed=True)
    staff_total = _staff("职工总数（年均数）")
    staff_st = _staff("科技人员（年均数）")
    staff_rd = _staff("研发人员（年均数）")
    conversions = models.PositiveIntegerField("科技成果转化数", null=True, blank=True)
    digital_level = models.PositiveSmallIntegerField(
        "数字化水平等级", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ("enterprise", "year")
        verbose_name = "年度数据"
        verbose_name_plural = "年度数据"
        constraints = (models.UniqueConstraint(fields=("enterprise", "year"), name="registry_one_figures_per_year"),)

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def clean(self) -> None:
        breakdown = (*RD_BREAKDOWN, *RD_BREAKDOWN_PARTS)
        if self.rd_expense is not None and any(getattr(self, f"rd_{key}") is not None for key in breakdown):
            raise ValidationError("研究开发费用总额与明细只能二选一：填报明细时由系统按口径计算总额。")
        errors = {}
        for part, whole, message in SHARES:
            value, total = getattr(self, part), getattr(self, whole)
            if part.removeprefix("rd_") in RD_BREAKDOWN_PARTS and total is None:
                total = 0  # an item a breakdown does not give is none, so its part cannot be more
            if value is not None and total is not None and value > total:
                errors[part] = message
        if errors:
            raise ValidationError(errors)


class IPItem(TimeStamped):
    """An intellectual-property item, or a group of like items with ``count`` (``ip`` of facts.md)."""

    class Kind(models.TextChoices):
        INVENTION_PATENT = "invention_patent", "发明专利"
        DEFENSE_PATENT = "defense_patent", "国防专利"
        PLANT_VARIETY = "plant_variety", "植物新品种"
        CROP_VARIETY = "crop_variety", "国家级农作物品种"
        NEW_DRUG = "new_drug", "国家新药"
        TCM_PROTECTED = "tcm_protected", "国家一级中药保护品种"
        IC_LAYOUT = "ic_layout", "集成电路布图设计专有权"
        UTILITY_MODEL = "utility_model", "实用新型专利"
        DESIGN_PATENT = "design_patent", "外观设计专利"
        SOFTWARE_COPYRIGHT = "software_copyright", "软件著作权"

    class Acquired(models.TextChoices):
        SELF = "self", "自主研发"
        TRANSFER = "transfer", "受让"
        GIFT = "gift", "受赠"
        MERGER = "merger", "并购"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="ip_items")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    count = models.PositiveIntegerField("件数", default=1, validators=[MinValueValidator(1)])
    granted_on = models.DateField("授权日期", null=True, blank=True)
    acquired = models.CharField("获得方式", max_length=8, blank=True, choices=Acquired.choices)
    acquired_on = models.DateField("受让（获得）日期", null=True, blank=True)
    is_core_to_main_product = _flag("对主要产品（服务）发挥核心支持作用")
    is_related_to_main_product = _flag("与主导产品相关")
    is_among_first_three_holders = _flag("企业为前三位权利人")
    is_high_value = _flag("高价值知识产权")
    is_used_in_hnte = _flag("已在高企认定中使用（Ⅱ类）")
    has_economic_benefit = _flag("已产生经济效益")
    number = models.CharField("编号", max_length=64, blank=True)
    title = models.CharField("名称", max_length=200, blank=True)

    class Meta:
        ordering = ("enterprise", "kind", "granted_on")
        verbose_name = "知识产权"
        verbose_name_plural = "知识产权"

    def __str__(self) -> str:
        return self.title or self.number or self.get_kind_display()


class Certificate(TimeStamped):
    """A recognition certificate: HNTE, tech-SME entry, innovative SME, SRDI SME, little giant."""

    class Program(models.TextChoices):
        HNTE = "hnte", "高新技术企业"
        TSME = "tsme", "科技型中小企业"
        INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
        SRDI_SME = "srdi_sme", "专精特新中小企业"
        LITTLE_GIANT = "little_giant", "专精特新“小巨人”企业"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="certificates"
    )
    program = models.CharField("资质", max_length=16, choices=Program.choices)
    issued_on = models.DateField("发证（认定）日期")
    expires_on = models.DateField("有效期至", null=True, blank=True)
    number = models.CharField("证书编号", max_length=64, blank=True)

    class Meta:
        ordering = ("enterprise", "-issued_on")
        verbose_name = "资质证书"
        verbose_name_plural = "资质证书"

    def __str__(self) -> str:
        return f"{self.get_program_display()} {self.number}".strip()


class RDInstitution(TimeStamped):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        BELOW = "below", "市级以下"

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="rd_institutions"
    )
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    kind = models.CharField("类型", max_length=40, blank=True, help_text="如 engineering_centre（工程技术研究中心）")
    name = models.CharField("名称", max_length=200, blank=True)

    class Meta:
        verbose_name = "研发机构"
        verbose_name_plural = "研发机构"

    def __str__(self) -> str:
        return self.name or self.get_level_display()


class Award(TimeStamped):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省部级"

    class Kind(models.TextChoices):  # blank: a science and technology award, as facts.md's awards are
        SCIENCE_TECHNOLOGY = "science_technology", "科学技术奖"
        OTHER = "other", "其他奖项（不计入科技奖励）"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="awards")
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True, validators=[MinValueValidator(1)])
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, validators=[MinValueValidator(1949)])
    name = models.CharField("奖项名称", max_length=200, blank=True)
    kind = models.CharField("奖项类型", max_length=20, blank=True, choices=Kind.choices)

    class Meta:
        verbose_name = "科技奖励"
        verbose_name_plural = "科技奖励"

    def __str__(self) -> str:
        return self.name or self.get_level_display()


class Standard(TimeStamped):
    class Level(models.TextChoices):
        INTERNATIONAL = "international", "国际标准"
        NATIONAL = "national", "国家标准"
        INDUSTRY = "industry", "行业标准"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="standards")
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    rank = models.PositiveSmallIntegerField("起草单位排名", null=True, blank=True, validators=[MinValueValidator(1)])
    year = models.PositiveSmallIntegerField("发布年度", null=True, blank=True, validators=[MinValueValidator(1949)])
    name = models.CharField("标准名称", max_length=200, blank=True)

    class Meta:
        verbose_name = "标准"
        verbose_name_plural = "标准"

    def __str__(self) -> str:
        return self.name or self.get_level_display()


class EquityFinancing(TimeStamped):
    """Paid-in equity financing from a qualified institutional investor (合格机构投资者实缴股权融资)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="equity_financing"
    )
    date = models.DateField("实缴日期")
    amount = models.DecimalField("实缴金额（元）", max_digits=16, decimal_places=2, validators=NON_NEGATIVE)
    investor = models.CharField("投资机构", max_length=200, blank=True)

    class Meta:
        ordering = ("enterprise", "date")
        verbose_name = "股权融资"
        verbose_name_plural = "股权融资"

    def __str__(self) -> str:
        return f"{self.investor} {self.date}".strip()


class Incident(TimeStamped):
    """A major safety or quality accident, or a serious environmental violation (重大事故或严重环境违法行为)."""

    class Kind(models.TextChoices):
        SAFETY = "safety", "重大安全事故"
        QUALITY = "quality", "重大质量事故"
        ENVIRONMENT = "environment", "严重环境违法行为"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="incidents")
    date = models.DateField("发生日期")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ("enterprise", "date")
        verbose_name = "重大事故或违法行为"
        verbose_name_plural = "重大事故或违法行为"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class EnterpriseRecord(TimeStamped):
    """What is known about an enterprise beyond its figures: list flags (``records``), expert and platform
    assessments (``assessments``), and which lists are complete.

    A list is given to the rules when the enterprise has rows in it, or when its ``has_…_record`` flag says the list
    was declared and is empty; otherwise it is unknown.
    """

    enterprise = models.OneToOneField(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="record")
    # which lists were declared, even when empty
    has_ip_record = models.BooleanField("已提供知识产权情况", default=False)
    has_certificate_record = models.BooleanField("已提供资质证书情况", default=False)
    has_incident_record = models.BooleanField("已提供重大事故或违法行为情况", default=False)
    has_award_record = models.BooleanField("已提供科技奖励情况", default=False)
    has_rd_institution_record = models.BooleanField("已提供研发机构情况", default=False)
    has_standard_record = models.BooleanField("已提供标准制定情况", default=False)
    has_equity_financing_record = models.BooleanField("已提供股权融资情况", default=False)
    # records
    is_on_abnormal_list = _flag("列入经营异常名录")
    is_seriously_dishonest = _flag("列入严重违法失信名单")
    has_research_misconduct = _flag("有严重科研失信行为")
    has_prohibited_products = _flag("产品（服务）属于国家禁止、限制或淘汰类")
    has_tax_evasion_3y = _flag("近三年有偷税漏税行为")
    # assessments: HNTE expert items
    ip_advancement = _points("知识产权：技术的先进程度（专家评分）", 8)
    ip_core_support = _points("知识产权：对主要产品的核心支持作用（专家评分）", 8)
    ip_acquisition = _points("知识产权：获得方式（专家评分）", 6)
    standard_bonus = _points("知识产权：参与标准制定加分（专家评分）", 2)
    conversion_score = _points("科技成果转化能力（专家评分）", 30)
    rd_management_1 = _points("研发组织管理：管理制度与辅助账（专家评分）", 6)
    rd_management_2 = _points("研发组织管理：研发机构与产学研合作（专家评分）", 6)
    rd_management_3 = _points("研发组织管理：成果转化激励与创新平台（专家评分）", 4)
    rd_management_4 = _points("研发组织管理：人才培养与绩效评价（专家评分）", 4)
    expert_scores = models.JSONField("专家评分（每位专家的总分）", null=True, blank=True)
    # assessments: SRDI tiers
    niche_years = models.PositiveSmallIntegerField("从事特定细分市场年限", null=True, blank=True)
    market_share = models.DecimalField(
        "主导产品细分市场占有率",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="小数，如 0.1 表示 10%。",
    )
    market_rank = models.PositiveSmallIntegerField(
        "主导产品全国细分市场排名", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    chain_field = models.CharField(
        "主导产品所属领域",
        max_length=12,
        blank=True,
        choices=[
            ("gap_filling", "补短板"),
            ("six_bases", "“六基”领域"),
            ("key_field", "重点领域"),
            ("other", "其他"),
        ],
    )
    is_time_honoured_brand = _flag("列入中华老字号名录")
    is_chain_leader_supplier = _flag("服务关键产业链重点龙头企业")
    has_information_system = _flag("至少一项核心业务采用信息系统支撑")
    has_certification = _flag("取得相关管理体系认证或发达国家和地区产品认证")
    has_own_brand = _flag("拥有自主品牌")
    has_quality_award = _flag("获得省级以上质量奖荣誉")
    local_score = _points("专精特色：省级特色指标得分", 15)
    platform_score = _platform_score("专精特新发展评价得分（平台）")
    platform_score_prev = _platform_score("上一年度专精特新发展评价得分（平台）")
    is_srdi_sme_renewal = _flag("本次为专精特新中小企业复核（有效期满）")
    is_little_giant_renewal = _flag("本次为专精特新“小巨人”企业复核（有效期满）")

    class Meta:
        verbose_name = "企业记录与评价"
        verbose_name_plural = "企业记录与评价"

    def __str__(self) -> str:
        return str(self.enterprise)

    def clean(self) -> None:
        scores = self.expert_scores
        if scores is not None and not (
            isinstance(scores, list)
            and all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s <= 100 for s in scores)
        ):
            raise ValidationError({"expert_scores": "专家评分应为0–100的整数列表，如 [72, 80, 76]。"})

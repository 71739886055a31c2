"""The enterprise list's search and filter form; :meth:`EnterpriseFilterForm.apply` narrows a scoped queryset."""

from __future__ import annotations

import operator
from datetime import date, timedelta
from functools import reduce
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from gaoqi.codes.models import Industry, Region
from gaoqi.registry.models import Certificate, Enterprise
from gaoqi.rules import ParameterError, first_valid_issue, load_parameters

HNTE_DOMAINS = (
    (1, "电子信息"),
    (2, "生物与新医药"),
    (3, "航空航天"),
    (4, "新材料"),
    (5, "高技术服务"),
    (6, "新能源与节能"),
    (7, "资源与环境"),
    (8, "先进制造与自动化"),
)
DOMAIN_NAMES = dict(HNTE_DOMAINS)

CERTIFICATE_FILTERS = (
    (Certificate.Program.HNTE, "有效的高新技术企业"),
    (Certificate.Program.TSME, "有效的科技型中小企业"),
    (Certificate.Program.INNOVATIVE_SME, "有效的创新型中小企业"),
    (Certificate.Program.SRDI_SME, "有效的专精特新中小企业"),
    (Certificate.Program.LITTLE_GIANT, "有效的专精特新“小巨人”企业"),
)
SORTS = (("name", "企业名称（升序）"), ("-name", "企业名称（降序）"))

P = Certificate.Program
TIERS = (
    # (tier, label, programs held, programs above it on the same ladder, which must not be held)
    ("none", "尚无有效资质", (), tuple(P)),
    ("tsme", "科技型中小企业（尚未认定高企）", (P.TSME,), (P.HNTE,)),
    ("hnte", "高新技术企业", (P.HNTE,), ()),
    ("innovative_sme", "创新型中小企业（尚非专精特新）", (P.INNOVATIVE_SME,), (P.SRDI_SME, P.LITTLE_GIANT)),
    ("srdi_sme", "专精特新中小企业（尚非“小巨人”）", (P.SRDI_SME,), (P.LITTLE_GIANT,)),
    ("little_giant", "专精特新“小巨人”企业", (P.LITTLE_GIANT,), ()),
)
"""The step an enterprise stands on in tiered cultivation (梯度培育), by its valid certificates: the highest held on
each ladder — tech SME → HNTE, and innovative SME → SRDI SME → little giant — or none at all."""


def validity_years(program: str, on: date) -> int:
    """How many years a certificate of ``program`` is valid from its issue date, from the rules' parameters.

    HNTE certificates: three years (国科发火〔2016〕32号 第十五条); innovative / SRDI / little-giant titles: three
    years; a tech-SME database entry: one year (入库按年度评价; before that parameter takes effect, also one year).
    """
    parameters = load_parameters().at(on)
    if program == Certificate.Program.HNTE:
        return int(parameters.hnte.validity_years)
    if program == Certificate.Program.TSME:
        try:
            return int(parameters.quality_sme.tsme_validity_years)
        except ParameterError:
            return 1
    return int(parameters.quality_sme.title_validity_years)


def certificate_valid_until(certificate: Certificate, on: date) -> date:
    """The last day a certificate is valid: its stated expiry, else the day before the anniversary of issue."""
    if certificate.expires_on is not None:
        return certificate.expires_on
    years = validity_years(certificate.program, on)
    issued = certificate.issued_on
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        anniversary = issued.replace(year=issued.year + years, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


def valid_certificate(program: str, on: date) -> Q:
    """The condition on a certificate of ``program`` valid on ``on``: issued by then, and not past its stated or
    default expiry. A condition rather than a queryset, so that several programs can be read in one query."""
    stated = Q(expires_on__isnull=False, expires_on__gte=on)
    default = Q(expires_on__isnull=True, issued_on__gte=first_valid_issue(on, validity_years(program, on)))
    return Q(program=program, issued_on__lte=on) & (stated | default)


def valid_certificates(program: str, on: date) -> QuerySet[Certificate]:
    """Certificates of ``program`` valid on ``on``."""
    return Certificate.objects.filter(valid_certificate(program, on))


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label="企业名称或统一社会信用代码", required=False, max_length=200)
    district = forms.ChoiceField(label="所在区县", required=False)
    section = forms.ChoiceField(label="行业门类", required=False)
    division = forms.ChoiceField(label="行业大类", required=False)
    domain = forms.TypedChoiceField(
        label="重点支持的高新技术领域",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *((str(n), f"{n}. {name}") for n, name in HNTE_DOMAINS)],
    )
    certificate = forms.ChoiceField(
        label="资质", required=False, choices=[("", "全部"), *((str(k), v) for k, v in CERTIFICATE_FILTERS)]
    )
    tier = forms.ChoiceField(
        label="梯度层级", required=False, choices=[("", "全部"), *((key, label) for key, label, _, _ in TIERS)]
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "name")
        self.fields["district"].choices = [("", "全部"), *counties]
        industries = Industry.objects.filter(level__in=(Industry.Level.SECTION, Industry.Level.DIVISION))
        sections, divisions = [("", "全部")], [("", "全部")]
        for code, name, level in industries.values_list("code", "name", "level"):
            (sections if level == Industry.Level.SECTION else divisions).append((code, f"{code} {name}"))
        self.fields["section"].choices = sections
        self.fields["division"].choices = divisions

    def apply(self, enterprises: QuerySet[Enterprise], *, on: date) -> QuerySet[Enterprise]:
        """Narrow ``enterprises`` (already scoped to the user) by the valid filters, and sort them."""
        data = self.cleaned_data if self.is_valid() else {}
        query = (data.get("q") or "").strip()
        if query:
            enterprises = enterprises.filter(Q(name__icontains=query) | Q(uscc__icontains=query.upper()))
        if data.get("district"):
            enterprises = enterprises.filter(region_code=data["district"])
        if data.get("section"):
            enterprises = enterprises.filter(industry_code__startswith=data["section"])
        if data.get("division"):
            enterprises = enterprises.filter(industry_code__startswith=data["division"])
        if data.get("domain") is not None:
            enterprises = enterprises.filter(hnte_domain=data["domain"])
        if data.get("certificate"):
            holders = valid_certificates(data["certificate"], on).values("enterprise_id")
            enterprises = enterprises.filter(pk__in=holders)
        if data.get("tier"):
            enterprises = _on_tier(enterprises, data["tier"], on)
        return enterprises.order_by(data.get("sort") or "name", "pk")


def _on_tier(enterprises: QuerySet[Enterprise], tier: str, on: date) -> QuerySet[Enterprise]:
    """One semi-join for the step held and one anti-join for the steps above it (the database plans them as such)."""
    _, _, held, above = next(t for t in TIERS if t[0] == tier)
    for programs, wanted in ((held, True), (above, False)):
        if programs:
            valid = reduce(operator.or_, (valid_certificate(program, on) for program in programs))
            holds = Exists(Certificate.objects.filter(valid, enterprise_id=OuterRef("pk")))
            enterprises = enterprises.filter(holds if wanted else ~holds)
    return enterprises

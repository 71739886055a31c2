"""The enterprise list's search and filter form; :meth:`EnterpriseFilterForm.apply` narrows a scoped queryset
through :func:`~gaoqi.registry.selectors.enterprises_filtered`."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from gaoqi.codes.domains import HNTE_DOMAINS
from gaoqi.codes.models import Industry
from gaoqi.codes.selectors import district_choices, industry_choices
from gaoqi.registry.models import Certificate, Enterprise
from gaoqi.registry.selectors import TIERS, enterprises_filtered

CERTIFICATE_FILTERS = (
    (Certificate.Program.HNTE, "有效的高新技术企业"),
    (Certificate.Program.TSME, "有效的科技型中小企业"),
    (Certificate.Program.INNOVATIVE_SME, "有效的创新型中小企业"),
    (Certificate.Program.SRDI_SME, "有效的专精特新中小企业"),
    (Certificate.Program.LITTLE_GIANT, "有效的专精特新“小巨人”企业"),
)
SORTS = (("name", "企业名称（升序）"), ("-name", "企业名称（降序）"))


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
        loaded = {
            "district": district_choices(),
            "section": industry_choices(Industry.Level.SECTION),
            "division": industry_choices(Industry.Level.DIVISION),
        }
        for name, choices in loaded.items():
            cast(forms.ChoiceField, self.fields[name]).choices = [("", "全部"), *choices]

    def apply(self, enterprises: QuerySet[Enterprise], *, on: date) -> QuerySet[Enterprise]:
        """Narrow ``enterprises`` (already scoped to the user) by the valid filters, and sort them."""
        return enterprises_filtered(enterprises, filters=self.cleaned_data if self.is_valid() else {}, on=on)

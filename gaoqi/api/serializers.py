"""What the API reads and writes: enterprises and their yearly figures, field names as in facts.md.

Validation messages are Chinese and sit next to the field they concern; saving goes through
``gaoqi.registry.services`` so every write is whole and audited.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator
from stdnum.cn import uscc

from gaoqi.accounts.models import Role
from gaoqi.registry import services
from gaoqi.registry.models import Enterprise, YearlyFigures
from gaoqi.rules import INDUSTRY_CODE

REGION_CODE = re.compile(r"^\d{6}$")


def _drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A model's ValidationError as the API's ``{field: [message]}``."""
    detail = get_error_detail(exc)
    if isinstance(detail, dict) and NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return serializers.ValidationError(detail)


class ChineseMinimumSerializer(serializers.ModelSerializer):
    """Non-negative model fields say so in Chinese: ``不能为负数。``"""

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[Any, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if kwargs.get("min_value") == 0:
            kwargs.setdefault("error_messages", {})["min_value"] = "不能为负数。"
        return field_class, kwargs


class EnterpriseSerializer(ChineseMinimumSerializer):
    uscc = serializers.CharField(
        label="统一社会信用代码",
        max_length=18,
        validators=[UniqueValidator(Enterprise.objects.all(), message="该统一社会信用代码已登记。")],
    )
    region_code = serializers.CharField(label="所在区县（行政区划代码）", max_length=6)
    hnte_domain = serializers.IntegerField(
        label="核心技术所属领域", min_value=1, max_value=8, allow_null=True, required=False
    )
    zones = serializers.ListField(child=serializers.CharField(max_length=64), required=False, label="所在园区/政策区域")

    class Meta:
        model = Enterprise
        fields = (
            "id",
            "uscc",
            "name",
            "registered_on",
            "region_code",
            "industry_code",
            "hnte_domain",
            "is_strategic_emerging",
            "is_mainland_resident",
            "tax_collection",
            "zones",
            "is_sme",
            "is_on_ic_machine_tool_list",
            "is_tech_innovation_demo",
            "is_ip_advantage_or_demo",
            "agency",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")

    def validate_uscc(self, value: str) -> str:
        value = value.strip().upper()
        if not uscc.is_valid(value):
            raise serializers.ValidationError("统一社会信用代码无效：应为 18 位，且校验位符合 GB 32100-2015。")
        return value

    def validate_region_code(self, value: str) -> str:
        if not REGION_CODE.fullmatch(value):
            raise serializers.ValidationError("行政区划代码应为 6 位数字（GB/T 2260）。")
        user = self.context["request"].user
        if user.role == Role.DISTRICT_OFFICER and value != user.region_code:
            raise serializers.ValidationError(f"您只能登记和维护本区县（{user.region_code}）的企业。")
        return value

    def validate_industry_code(self, value: str) -> str:
        if value and not INDUSTRY_CODE.fullmatch(value):
            raise serializers.ValidationError("国民经济行业分类代码格式不正确（GB/T 4754-2017），例如 C3989。")
        return value

    def create(self, validated_data: dict[str, Any]) -> Enterprise:
        try:
            return services.enterprise_create(actor=self.context["request"].user, data=validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def update(self, instance: Enterprise, validated_data: dict[str, Any]) -> Enterprise:
        try:
            return services.enterprise_update(
                actor=self.context["request"].user, enterprise=instance, data=validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None


class YearlyFiguresSerializer(ChineseMinimumSerializer):
    class Meta:
        model = YearlyFigures
        exclude = ("id", "enterprise")
        read_only_fields = ("created_at", "updated_at")
        validators: ClassVar[list[Any]] = []  # one row per year: checked in validate_year, with the enterprise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["year"].read_only = True  # a year is its address: /years/{year}

    def validate_year(self, value: int) -> int:
        enterprise = self.context["enterprise"]
        if YearlyFigures.objects.filter(enterprise=enterprise, year=value).exists():
            raise serializers.ValidationError(f"{value} 年度的数据已存在，请修改该年度而不是重复新增。")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The model's cross-field rules (a part within its whole; totals or breakdown), on the row as it will be."""
        row = YearlyFigures(enterprise=self.context["enterprise"])
        if self.instance is not None:
            for field in YearlyFigures._meta.concrete_fields:
                setattr(row, field.attname, getattr(self.instance, field.attname))
        for name, value in attrs.items():
            setattr(row, name, value)
        try:
            row.clean()
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return attrs

    def create(self, validated_data: dict[str, Any]) -> YearlyFigures:
        try:
            return services.yearly_figures_create(
                actor=self.context["request"].user, enterprise=self.context["enterprise"], data=validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

    def update(self, instance: YearlyFigures, validated_data: dict[str, Any]) -> YearlyFigures:
        try:
            return services.yearly_figures_update(
                actor=self.context["request"].user, figures=instance, data=validated_data
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None

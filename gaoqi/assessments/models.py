"""Saved self-assessments (查漏补缺): the document as entered, the results as computed, and how to reproduce them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SavedAssessment(models.Model):
    """One evaluation of one facts.md document against every program, kept as it was computed."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text=_("工作人员空白填报的自评不关联企业。"),
    )
    as_of = models.DateField(_("评价日期"))
    document = models.JSONField(_("填报数据（facts 文档）"))
    result = models.JSONField(_("评价结果"))
    rules_version = models.CharField(_("规则版本"), max_length=32)
    parameters_digest = models.CharField(_("参数摘要"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("资质自评记录")
        verbose_name_plural = _("资质自评记录")

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.as_of.isoformat()} 自评"

    @property
    def enterprise_name(self) -> str:
        """The registry's name, else the name typed in a blank form, else a placeholder."""
        if self.enterprise is not None:
            return self.enterprise.name
        return str((self.document.get("enterprise") or {}).get("name") or "（未关联企业）")

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])

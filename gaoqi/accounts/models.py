"""Users and their roles. A role decides what a user may do; its scope fields decide which enterprises."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_OFFICER = "bureau_officer", _("市局工作人员")
    DISTRICT_OFFICER = "district_officer", _("区县工作人员")
    ENTERPRISE = "enterprise", _("企业用户")
    AGENCY = "agency", _("服务机构")
    MENTOR = "mentor", _("导师/挂点服务专员")
    AUDITOR = "auditor", _("审计")
    ADMINISTRATOR = "administrator", _("系统管理员")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.ENTERPRISE)
    region_code = models.CharField(
        _("所在区县"), max_length=6, blank=True, help_text=_("区县工作人员只能查看本区县的企业。")
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("企业用户只能查看本企业。"),
    )
    agency = models.ForeignKey(
        "registry.ServiceAgency",
        verbose_name=_("服务机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("服务机构用户只能查看本机构服务的企业。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

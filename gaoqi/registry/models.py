"""The enterprise registry (高新技术企业数据库): enterprises keyed by unified social credit code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoqi.core.models import TimeStamped


class ServiceAgency(TimeStamped):
    """A filed service agency (备案服务机构) that manages applications for its client enterprises."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("service agency")
        verbose_name_plural = _("service agencies")

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStamped):
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    registered_on = models.DateField(_("date of establishment"), null=True, blank=True)
    region_code = models.CharField(_("district"), max_length=6, db_index=True)
    industry_code = models.CharField(_("industry (GB/T 4754-2017)"), max_length=5, blank=True, db_index=True)
    hnte_domain = models.PositiveSmallIntegerField(_("priority high-tech domain"), null=True, blank=True)
    is_strategic_emerging = models.BooleanField(_("strategic emerging industry"), null=True, blank=True)
    is_mainland_resident = models.BooleanField(_("mainland resident enterprise"), default=True)
    tax_collection = models.CharField(
        _("income tax collection"),
        max_length=8,
        blank=True,
        choices=[("actual", _("查账征收")), ("deemed", _("核定征收"))],
    )
    zones = models.JSONField(_("zones"), default=list, blank=True)
    agency = models.ForeignKey(
        ServiceAgency,
        verbose_name=_("service agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clients",
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentors"), blank=True, related_name="mentored_enterprises"
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

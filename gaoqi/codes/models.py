"""Code tables: administrative divisions (GB/T 2260) and industries (GB/T 4754-2017)."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    """An administrative division (行政区划), keyed by its six-digit GB/T 2260 code."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        PREFECTURE = "prefecture", "地级"
        COUNTY = "county", "县级"

    code = models.CharField("行政区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ("code",)
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Industry(models.Model):
    """A category of 国民经济行业分类 (GB/T 4754-2017), coded as the registry codes it: section letter plus the
    digits, e.g. ``C`` (门类), ``C39`` (大类), ``C398`` (中类), ``C3989`` (小类)."""

    class Level(models.TextChoices):
        SECTION = "section", "门类"
        DIVISION = "division", "大类"
        GROUP = "group", "中类"
        CLASS = "class", "小类"

    code = models.CharField("行业代码", max_length=5, primary_key=True)
    name = models.CharField("类别名称", max_length=100)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ("code",)
        verbose_name = "国民经济行业分类"
        verbose_name_plural = "国民经济行业分类"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

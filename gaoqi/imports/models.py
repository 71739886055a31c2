"""One upload of the import template, from the file as received to what it wrote."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from gaoqi.core.models import TimeStamped

STALLED_AFTER = timedelta(minutes=10)


class ImportBatch(TimeStamped):
    """An uploaded workbook: checked into a preview, then committed (all rows, or only the valid ones) or cancelled.

    The file is kept as received, so a commit checks it again against the registry as it is at that moment.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", "正在校验"
        CHECKED = "checked", "待确认导入"
        COMMITTING = "committing", "正在导入"
        COMMITTED = "committed", "已导入"
        REJECTED = "rejected", "无法导入"
        CANCELLED = "cancelled", "已取消"

    class Mode(models.TextChoices):
        ALL = "all", "全部导入"
        VALID_ONLY = "valid_only", "仅导入无问题的行"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="import_batches"
    )
    file_name = models.CharField("文件名", max_length=255)
    content = models.BinaryField("文件内容", editable=False)
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CHECKING)
    progress_done = models.PositiveIntegerField("已处理行数", default=0)
    progress_total = models.PositiveIntegerField("总行数", default=0)
    summary = models.JSONField("各表行数", default=list, blank=True)
    problems = models.JSONField("问题清单", default=list, blank=True)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    blocking_count = models.PositiveIntegerField("须改正的问题数", default=0)
    importable_count = models.PositiveIntegerField("可导入（新增或更新）行数", default=0)
    ignored_sheets = models.JSONField("未识别的工作表", default=list, blank=True)
    message = models.TextField("说明", blank=True)
    mode = models.CharField("导入方式", max_length=12, choices=Mode.choices, blank=True)
    written = models.JSONField("写入结果", default=dict, blank=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    task_id = models.CharField(
        "后台任务编号", max_length=64, blank=True, help_text="最近一次校验或导入在任务队列中的编号"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）" if self.created_at else self.file_name

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.COMMITTING) and not self.stalled

    @property
    def stalled(self) -> bool:
        """Work that has shown no sign of life for a while: no worker is running, or it stopped mid-way (a task that
        dies with its worker is not run again), so the officer should not wait for it."""
        busy = self.status in (self.Status.CHECKING, self.Status.COMMITTING)
        return busy and self.updated_at is not None and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def hints(self) -> int:
        """Problems that do not block the import (an unknown column that will be ignored)."""
        return self.problem_count - self.blocking_count

    @property
    def percent(self) -> int:
        return int(self.progress_done * 100 / self.progress_total) if self.progress_total else 0

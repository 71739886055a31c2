"""Writes of the Excel import: receive a file, check it into a preview, commit it in one transaction, or cancel it.

A commit reads the kept file again and checks it against the registry as it is then, inside the transaction that
writes: what the officer previewed may have changed meanwhile, and a commit of "all rows" that now finds a problem
writes nothing and shows the new preview instead. Large files are checked and committed as tasks on the queue
(``gaoqi.imports.tasks``), run by a worker process while the page shows progress; small ones at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_tasks.base import Task

from gaoqi.accounts.models import User
from gaoqi.core.bulk import rows_create
from gaoqi.core.models import AuditEntry
from gaoqi.core.services import audit_entry, audit_log_bulk, audit_log_record, changes_between
from gaoqi.imports import tasks
from gaoqi.imports.check import CREATE, UPDATE, CheckResult, RowPlan, check_workbook, chunks
from gaoqi.imports.columns import (
    AWARDS,
    CERTIFICATES,
    ENTERPRISES,
    FINANCING,
    INCIDENTS,
    INSTITUTIONS,
    IP_ITEMS,
    RECORDS,
    SHEETS,
    STANDARDS,
    YEARS,
    Sheet,
)
from gaoqi.imports.models import ImportBatch
from gaoqi.imports.workbook import UploadError, check_upload, read_sheets
from gaoqi.registry.models import Enterprise, YearlyFigures

log = logging.getLogger(__name__)
Status = ImportBatch.Status
BATCH_SIZE = 1000
MAX_PROBLEMS_KEPT = 20_000  # a file with more is badly off; the first ones tell the officer what to fix
ACTIONS = {  # audit action per sheet
    ENTERPRISES.name: "enterprise.import",
    YEARS.name: "years.import",
    IP_ITEMS.name: "ip.import",
    CERTIFICATES.name: "certificate.import",
    INSTITUTIONS.name: "institution.import",
    AWARDS.name: "award.import",
    STANDARDS.name: "standard.import",
    FINANCING.name: "financing.import",
    INCIDENTS.name: "incident.import",
    RECORDS.name: "record.import",
}


class CommitRefused(ValueError):
    """The batch cannot be committed in the way asked; the message says why, in Chinese."""


def _inline_rows() -> int:
    """Files with at most this many rows are processed within the request; larger ones as a task on the queue."""
    return int(getattr(settings, "GAOQI_IMPORT_INLINE_ROWS", 2000))


# ---------------------------------------------------------------------------------------------------------- receive


def import_batch_create(*, actor: User, file_name: str, content: bytes) -> ImportBatch:
    """Keep an uploaded file as a new batch; raises :class:`UploadError` (nothing kept) when it is not importable."""
    check_upload(file_name, content)
    return ImportBatch.objects.create(
        created_by=actor,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        status=Status.CHECKING,
    )


def import_batch_start_check(batch: ImportBatch) -> None:
    """Check the batch now if it is small, otherwise as a task on the queue (the page polls its progress)."""
    _start(batch, import_batch_check, tasks.import_batch_check_task)


def _start(batch: ImportBatch, work: Callable[..., Any], task: Task[..., Any], **kwargs: Any) -> None:
    """Do the work within the request if the file is small, otherwise put its task on the queue."""
    if _estimated_rows(batch) <= _inline_rows():
        _inline(work, batch, **kwargs)
    else:
        _enqueue(task, batch, **kwargs)


def _estimated_rows(batch: ImportBatch) -> int:
    # a workbook compresses at roughly 30–60 bytes a row; overestimating only sends a small file to the queue
    return len(bytes(batch.content)) // 30


def _inline(work: Callable[..., Any], batch: ImportBatch, **kwargs: Any) -> None:
    """Run the work within the request; a failure nobody foresaw is recorded on the batch and in the log, never shown
    as a server error."""
    try:
        work(batch, **kwargs)
    except Exception:
        log.exception("import batch %s failed", batch.pk)
        import_batch_fail(batch_id=batch.pk)


def _enqueue(task: Task[..., Any], batch: ImportBatch, **kwargs: Any) -> None:
    """Put the work on the queue once the batch as it is now is committed (the worker reads it from the database), and
    keep the task's id on the batch, which leads to its result: its error and traceback, if it failed."""

    def enqueue() -> None:
        result = task.enqueue(batch_id=batch.pk, **kwargs)
        ImportBatch.objects.filter(pk=batch.pk).update(task_id=result.id)

    transaction.on_commit(enqueue)


def import_batch_fail(*, batch_id: int) -> None:
    """Record on the batch that its work failed in a way nobody foresaw. The work's own transaction has rolled back by
    then, so nothing of the file was written."""
    ImportBatch.objects.filter(pk=batch_id).update(
        status=Status.REJECTED,
        message="处理时发生内部错误，未导入任何数据；请重新上传，如仍失败请联系系统管理员。",
        updated_at=timezone.now(),
    )


def _progress(batch: ImportBatch) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        batch.progress_done, batch.progress_total = done, total
        ImportBatch.objects.filter(pk=batch.pk).update(
            progress_done=done, progress_total=total, updated_at=timezone.now()
        )

    return report


def _check(batch: ImportBatch, *, progress: Callable[[int, int], None] | None) -> CheckResult:
    found, ignored = read_sheets(bytes(batch.content))
    if not found:
        names = "、".join(sheet.name for sheet in SHEETS)
        raise UploadError(f"没有找到模板中的工作表（{names}）；请使用下载的导入模板。")
    if not any(sheet.rows for sheet in found):
        raise UploadError("文件中没有数据行：请在模板的工作表中自第 2 行起填写。")
    total = sum(len(sheet.rows) for sheet in found)
    if progress is not None:
        progress(0, total)
    user = User.objects.get(pk=batch.created_by_id)
    return check_workbook(found, user=user, today=timezone.localdate(), ignored=ignored, progress=progress)


def _keep_preview(batch: ImportBatch, result: CheckResult) -> None:
    batch.summary = result.summary()
    batch.problems = [p.as_dict() for p in result.problems[:MAX_PROBLEMS_KEPT]]
    batch.problem_count = len(result.problems)
    batch.blocking_count = result.blocking
    batch.importable_count = result.importable()
    batch.ignored_sheets = result.ignored_sheets


def import_batch_check(batch: ImportBatch) -> ImportBatch:
    """Check the kept file and keep the preview: rows by sheet and action, and every problem. Writes no registry row."""
    try:
        result = _check(batch, progress=_progress(batch))
    except UploadError as error:
        batch.status, batch.message = Status.REJECTED, str(error)
        batch.save(update_fields=["status", "message", "updated_at"])
        return batch
    _keep_preview(batch, result)
    batch.status = Status.CHECKED
    batch.progress_done = batch.progress_total
    batch.save()
    return batch


# ----------------------------------------------------------------------------------------------------------- commit


def import_batch_start_commit(batch: ImportBatch, *, actor: User, mode: str) -> None:
    """Claim the batch for committing (once: a second click finds it taken) and commit it, now or on the queue."""
    if mode not in ImportBatch.Mode.values:
        raise CommitRefused("请选择导入方式。")
    if batch.status != Status.CHECKED:
        raise CommitRefused(f"该批次{batch.get_status_display()}，不能再导入。")
    if mode == ImportBatch.Mode.ALL and batch.blocking_count:
        raise CommitRefused("文件中仍有须改正的问题：请改正后重新上传，或选择“仅导入无问题的行”。")
    if not batch.importable_count:
        raise CommitRefused("没有需要导入的行：所有行与已登记的数据一致，或都有问题。")
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=Status.CHECKED).update(
        status=Status.COMMITTING, mode=mode, progress_done=0, updated_at=timezone.now()
    )
    if not claimed:
        raise CommitRefused("该批次正在导入或已导入。")
    batch.refresh_from_db()
    _start(batch, import_batch_commit, tasks.import_batch_commit_task, actor_id=actor.pk)


def import_batch_commit(batch: ImportBatch, *, actor_id: int) -> ImportBatch:
    """Check the file again and write it in one transaction: everything the mode allows, or nothing."""
    actor = User.objects.get(pk=actor_id)
    only_valid = batch.mode == ImportBatch.Mode.VALID_ONLY
    try:
        with transaction.atomic():
            result = _check(batch, progress=None)
            if result.blocking and not only_valid:
                raise _Changed(result)
            written = _write(result, actor=actor, batch=batch)
            batch.status, batch.written, batch.committed_at = Status.COMMITTED, written, timezone.now()
            _keep_preview(batch, result)
            batch.progress_done = batch.progress_total
            batch.message = ""
            batch.save()
            audit_log_record(
                actor=actor,
                action="import.commit",
                target=batch,
                target_repr=batch.file_name,
                changes={"mode": batch.mode, **{f"{sheet}": counts for sheet, counts in written.items()}},
            )
    except _Changed as changed:
        _keep_preview(batch, changed.result)
        batch.status, batch.mode = Status.CHECKED, ""
        batch.message = "导入前再次校验时发现新的问题（已登记的数据可能刚被修改），未导入任何数据；请查看下面的问题。"
        batch.save()
    except UploadError as error:
        batch.status, batch.message = Status.REJECTED, str(error)
        batch.save()
    return batch


class _Changed(Exception):
    def __init__(self, result: CheckResult) -> None:
        self.result = result


def import_batch_cancel(batch: ImportBatch) -> None:
    if batch.status != Status.CHECKED:
        raise CommitRefused(f"该批次{batch.get_status_display()}，不能取消。")
    ImportBatch.objects.filter(pk=batch.pk, status=Status.CHECKED).update(
        status=Status.CANCELLED, updated_at=timezone.now()
    )


def import_batches_purge(*, before: datetime) -> int:
    """Let go of the batches untouched since ``before``: a preview never confirmed is cancelled, work that never
    finished is marked interrupted, and the kept file of each is dropped, since nothing can be committed from it any
    more (the registry and the audit log keep what was written). Returns how many files were dropped."""
    old = ImportBatch.objects.filter(updated_at__lt=before)
    old.filter(status=Status.CHECKED).update(
        status=Status.CANCELLED, message="预览长期未确认，已自动取消，未导入任何数据；如需导入请重新上传。"
    )
    old.filter(status__in=(Status.CHECKING, Status.COMMITTING)).update(
        status=Status.REJECTED, message="处理中断，未导入任何数据；请重新上传。"
    )
    return old.exclude(content=b"").update(content=b"")


# ------------------------------------------------------------------------------------------------------------ write


def _write(result: CheckResult, *, actor: User, batch: ImportBatch) -> dict[str, dict[str, int]]:
    """Create and update every planned row that is valid, and record each in the audit log; counts per sheet."""
    written: dict[str, dict[str, int]] = {}
    entries: list[AuditEntry] = []
    plans = result.plans
    if plans.get(ENTERPRISES.name):
        written[ENTERPRISES.name] = _write_sheet(ENTERPRISES, plans[ENTERPRISES.name], {}, actor, entries)
    usccs = {p.values["uscc"] for ps in plans.values() for p in ps if p.action in (CREATE, UPDATE)}
    owners: dict[str, Enterprise] = {}
    for chunk in chunks(sorted(usccs)):
        owners.update((e.uscc, e) for e in Enterprise.objects.filter(uscc__in=chunk).only("pk", "uscc", "name"))
    for sheet in SHEETS[1:]:
        if plans.get(sheet.name):
            written[sheet.name] = _write_sheet(sheet, plans[sheet.name], owners, actor, entries)
    audit_log_bulk(entries)
    return written


UNIQUE_KEYS = (ENTERPRISES, YEARS)
"""Sheets whose key the database keeps unique: their new rows are streamed, and their ids read back by the key."""


def _read_back_ids(sheet: Sheet, creates: list[RowPlan]) -> None:
    """Give each created row its primary key (the audit log names it), found by the row's unique key."""
    missing = [p for p in creates if p.instance is not None and p.instance.pk is None]
    for chunk in chunks(missing):
        if sheet is ENTERPRISES:
            ids = dict(Enterprise.objects.filter(uscc__in=[p.values["uscc"] for p in chunk]).values_list("uscc", "pk"))
            for plan in chunk:
                plan.instance.pk = ids[plan.values["uscc"]]
        else:
            owners = {p.instance.enterprise_id for p in chunk}
            rows = YearlyFigures.objects.filter(enterprise_id__in=owners).values_list("enterprise_id", "year", "pk")
            figure_ids = {(owner, year): pk for owner, year, pk in rows}
            for plan in chunk:
                plan.instance.pk = figure_ids[(plan.instance.enterprise_id, plan.instance.year)]


def _write_sheet(
    sheet: Sheet, plans: list[RowPlan], owners: dict[str, Enterprise], actor: User, entries: list[AuditEntry]
) -> dict[str, int]:
    creates = [p for p in plans if p.action == CREATE]
    updates = [p for p in plans if p.action == UPDATE]
    if sheet is not ENTERPRISES:
        for plan in creates + updates:
            # the owner itself, not only its id: a row's name in the audit log reads the enterprise's name
            plan.instance.enterprise = owners[plan.values["uscc"]]  # type: ignore[union-attr]
    model: type[models.Model] = sheet.model
    if sheet in UNIQUE_KEYS:
        rows_create(model, [p.instance for p in creates])  # type: ignore[misc]
        _read_back_ids(sheet, creates)
    else:
        model._default_manager.bulk_create([p.instance for p in creates], batch_size=BATCH_SIZE)  # type: ignore[misc]
    if updates:
        now = timezone.now()
        for plan in updates:
            plan.instance.updated_at = now  # type: ignore[union-attr]
        fields = sorted({name for plan in updates for name in plan.changes} | {"updated_at"})
        model.objects.bulk_update([p.instance for p in updates], fields, batch_size=BATCH_SIZE)  # type: ignore[attr-defined]
    for plan in creates + updates:
        instance = plan.instance
        before = {name: old for name, (old, _new) in plan.changes.items()}
        after = {name: new for name, (_old, new) in plan.changes.items()}
        enterprise_id = instance.pk if sheet is ENTERPRISES else instance.enterprise_id  # type: ignore[union-attr]
        entries.append(
            audit_entry(
                actor=actor,
                action=ACTIONS[sheet.name],
                target=instance,
                enterprise_id=enterprise_id,
                changes=changes_between(before, after),
            )
        )
    return {"created": len(creates), "updated": len(updates)}

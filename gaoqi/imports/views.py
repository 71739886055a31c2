"""Excel import pages: download the template, upload, watch the check, read the preview, commit or cancel.

Only the roles that keep the registry may import (``IMPORTERS``); a batch of someone else is a 404. What a row may
change is decided by the check, which applies the uploader's scope to every row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from gaoqi.accounts.http import AuthenticatedHttpRequest
from gaoqi.core.excel import XLSX, excel_response
from gaoqi.imports.check import ACTION_LABELS
from gaoqi.imports.forms import CommitForm, UploadForm
from gaoqi.imports.models import ImportBatch
from gaoqi.imports.selectors import (
    import_batches_visible_to,
    may_import,
    template_industries,
    template_regions,
    template_rows,
)
from gaoqi.imports.services import (
    CommitRefused,
    import_batch_cancel,
    import_batch_create,
    import_batch_start_check,
    import_batch_start_commit,
)
from gaoqi.imports.template import template_workbook
from gaoqi.imports.workbook import UploadError
from gaoqi.registry.forms import EnterpriseFilterForm
from gaoqi.registry.selectors import enterprises_visible_to

PROBLEMS_PAGE_SIZE = 100
PROBLEM_HEADERS = ("工作表", "行", "列", "单元格内容", "问题", "是否须改正")


def _importer(request: AuthenticatedHttpRequest) -> None:
    if not may_import(request.user):
        raise PermissionDenied("只有市、区县科技部门工作人员和系统管理员可以导入企业数据。")


def _batch(request: AuthenticatedHttpRequest, pk: int) -> ImportBatch:
    _importer(request)
    return get_object_or_404(import_batches_visible_to(request.user), pk=pk)


@login_required
def import_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    _importer(request)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = import_batch_create(actor=request.user, file_name=upload.name, content=upload.read())
            except UploadError as error:
                form.add_error("file", str(error))
            else:
                import_batch_start_check(batch)
                return redirect("imports:detail", pk=batch.pk)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    batches = Paginator(import_batches_visible_to(request.user), 20).get_page(request.GET.get("page"))
    status = 400 if form.errors else 200
    return render(request, "imports/index.html", {"form": form, "page": batches}, status=status)


@require_safe
@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The blank template; with ``?filled=1`` (and the enterprise list's filters), the enterprises in the user's scope
    written into it, to edit in Excel and import back."""
    _importer(request)
    today = timezone.localdate()
    rows, name = None, "gaoqi-import-template"
    if request.GET.get("filled"):
        enterprises = EnterpriseFilterForm(request.GET).apply(enterprises_visible_to(request.user), on=today)
        rows, name = template_rows(enterprises), "gaoqi-enterprises"
    content = template_workbook(regions=template_regions(request.user), industries=template_industries(), rows=rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{today:%Y%m%d}.xlsx"'
    return response


def _problems_page(request: AuthenticatedHttpRequest, batch: ImportBatch) -> Any:
    sheet = request.GET.get("sheet") or ""
    problems = [p for p in batch.problems if not sheet or p["sheet"] == sheet]
    return Paginator(problems, PROBLEMS_PAGE_SIZE).get_page(request.GET.get("page")), sheet


@require_safe
@login_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    problems, sheet = _problems_page(request, batch)
    context = {
        "batch": batch,
        "problems": problems,
        "sheet": sheet,
        "sheets": [row["sheet"] for row in batch.summary],
        "labels": ACTION_LABELS,
    }
    return render(request, "imports/detail.html", context)


@require_safe
@login_required
def batch_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx while the batch is being checked or committed; done, it reloads the page."""
    batch = _batch(request, pk)
    if not batch.running:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("imports:detail", args=[batch.pk])
        return response
    return render(request, "imports/_progress.html", {"batch": batch})


@require_POST
@login_required
def batch_commit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    form = CommitForm(request.POST)
    try:
        if not form.is_valid():
            raise CommitRefused("请选择导入方式。")
        import_batch_start_commit(batch, actor=request.user, mode=form.cleaned_data["mode"])
    except CommitRefused as refused:
        messages.error(request, str(refused))
        return redirect("imports:detail", pk=batch.pk)
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.COMMITTED:
        messages.success(request, "导入完成。")
    return redirect("imports:detail", pk=batch.pk)


@require_POST
@login_required
def batch_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        import_batch_cancel(batch)
    except CommitRefused as refused:
        messages.error(request, str(refused))
        return redirect("imports:detail", pk=batch.pk)
    messages.info(request, "已取消，未导入任何数据。")
    return redirect("imports:index")


@require_safe
@login_required
def batch_problems_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every problem kept for the batch (of one sheet, if filtered), to work through in Excel beside the file."""
    batch = _batch(request, pk)
    sheet = request.GET.get("sheet") or ""
    rows = (
        (
            p["sheet"],
            p["row"] or "列名",
            p["column"] or "整行",
            p["value"],
            p["message"],
            "是" if p["blocking"] else "否",
        )
        for p in batch.problems
        if not sheet or p["sheet"] == sheet
    )
    return excel_response(
        sheet_name="问题清单",
        headers=PROBLEM_HEADERS,
        rows=rows,
        widths=(10, 8, 24, 24, 60, 10),
        filename=f"import-{batch.pk}-problems.xlsx",
    )

"""The home page and the audit log (read on screen or exported to Excel), and the one way every list of the
platform is written to an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gaoqi.accounts.models import Role
from gaoqi.core.models import AuditEntry
from gaoqi.core.selectors import audit_actions, audit_entries, audit_rows
from gaoqi.registry.selectors import enterprises_visible_to

AUDIT_PAGE_SIZE = 50
AUDIT_READERS = (Role.AUDITOR, Role.ADMINISTRATOR)
AUDIT_EXPORT_HEADERS = ("时间（北京时间）", "操作人", "用户名", "操作", "对象", "变更内容")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def excel_response(
    *, sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int], filename: str
) -> HttpResponse:
    """One sheet with bold Chinese headers and the rows below them, as a download named ``filename``.

    Every list export goes through here so that they all look alike: a frozen header row, set column widths,
    and text that wraps where a cell holds several lines (the changes of an audit entry).
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_row(0, 0, headers, workbook.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width, wrap)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _audit_reader(request: HttpRequest) -> None:
    if request.user.role not in AUDIT_READERS:
        raise PermissionDenied("只有审计人员和系统管理员可以查看操作日志。")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    visible = None if request.user.role == Role.AUDITOR else enterprises_visible_to(request.user).count()
    return render(request, "core/home.html", {"visible": visible})


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="操作", required=False)
    actor = forms.CharField(label="操作人用户名", required=False, max_length=150)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部操作"), *audit_actions()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return cleaned


def _audit_filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    """The filter form and the log it selects: a wrong condition is reported and left out, the right ones apply."""
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = {name: value for name, value in form.cleaned_data.items() if value}
    return form, audit_entries(**filters)


@require_safe
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log, read-only, for auditors and administrators; everyone else is refused."""
    _audit_reader(request)
    form, entries = _audit_filtered(request)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "rows": audit_rows(page.object_list), "total": page.paginator.count}
    return render(request, "core/audit_list.html", context)


@require_safe
@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The audit log exactly as filtered on screen, every page, as an Excel workbook."""
    _audit_reader(request)
    _, entries = _audit_filtered(request)
    rows = (
        (
            timezone.localtime(row["entry"].at).strftime("%Y-%m-%d %H:%M:%S"),
            row["actor"],
            row["entry"].actor.username if row["entry"].actor else "",
            row["action"],
            row["entry"].target_repr,
            "\n".join(row["changes"]),
        )
        for row in audit_rows(entries.iterator(chunk_size=2000))
    )
    return excel_response(
        sheet_name="操作日志",
        headers=AUDIT_EXPORT_HEADERS,
        rows=rows,
        widths=(20, 16, 16, 16, 30, 60),
        filename=f"audit-log-{timezone.localdate().isoformat()}.xlsx",
    )

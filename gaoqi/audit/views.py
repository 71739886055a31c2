"""The audit log, read on screen or exported to Excel, by auditors and administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from gaoqi.accounts.http import AuthenticatedHttpRequest
from gaoqi.accounts.models import Role
from gaoqi.audit.forms import AuditFilterForm
from gaoqi.codes.selectors import code_namers
from gaoqi.core.excel import excel_response
from gaoqi.core.models import AuditEntry
from gaoqi.core.selectors import audit_entries, audit_rows

AUDIT_PAGE_SIZE = 50
AUDIT_READERS = (Role.AUDITOR, Role.ADMINISTRATOR)
AUDIT_EXPORT_HEADERS = ("时间（北京时间）", "操作人", "用户名", "操作", "对象", "变更内容")


def _audit_reader(request: AuthenticatedHttpRequest) -> None:
    if request.user.role not in AUDIT_READERS:
        raise PermissionDenied("只有审计人员和系统管理员可以查看操作日志。")


def _audit_filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    """The filter form and the log it selects: a wrong condition is reported and left out, the right ones apply."""
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = {name: value for name, value in form.cleaned_data.items() if value}
    return form, audit_entries(**filters)


@require_safe
@login_required
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The audit log, read-only, for auditors and administrators; everyone else is refused."""
    _audit_reader(request)
    form, entries = _audit_filtered(request)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = audit_rows(page.object_list, namers=code_namers())
    context = {"form": form, "page": page, "rows": rows, "total": page.paginator.count}
    return render(request, "audit/audit_list.html", context)


@require_safe
@login_required
def audit_export(request: AuthenticatedHttpRequest) -> HttpResponse:
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
        for row in audit_rows(entries.iterator(chunk_size=2000), namers=code_namers())
    )
    return excel_response(
        sheet_name="操作日志",
        headers=AUDIT_EXPORT_HEADERS,
        rows=rows,
        widths=(20, 16, 16, 16, 30, 60),
        filename=f"audit-log-{timezone.localdate().isoformat()}.xlsx",
    )

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gaoqi.accounts.models import Role
from gaoqi.core.selectors import audit_actions, audit_entries, audit_rows
from gaoqi.registry.selectors import enterprises_visible_to

AUDIT_PAGE_SIZE = 50
AUDIT_READERS = (Role.AUDITOR, Role.ADMINISTRATOR)


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


@require_safe
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log, read-only, for auditors and administrators; everyone else is refused."""
    if request.user.role not in AUDIT_READERS:
        raise PermissionDenied("只有审计人员和系统管理员可以查看操作日志。")
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a wrong condition is reported and left out; the right ones still apply
        filters = {name: value for name, value in form.cleaned_data.items() if value}
    entries = audit_entries(**filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "rows": audit_rows(page.object_list), "total": page.paginator.count}
    return render(request, "core/audit_list.html", context)

"""The home page, and the enterprise list, export and detail pages. Every page starts from
``enterprises_visible_to``: an enterprise outside the user's scope is a 404, exactly like one that does not exist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Field
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gaoqi.accounts.http import AuthenticatedHttpRequest
from gaoqi.accounts.models import Role
from gaoqi.codes.domains import DOMAIN_NAMES
from gaoqi.codes.selectors import code_namers, industry_name, industry_names, region_names
from gaoqi.core.excel import excel_response
from gaoqi.core.selectors import audit_entries_for_enterprise, audit_rows
from gaoqi.registry.forms import EnterpriseFilterForm
from gaoqi.registry.models import Certificate, Enterprise, YearlyFigures
from gaoqi.registry.selectors import (
    certificate_valid_until,
    enterprises_visible_to,
    latest_yearly_figures,
    valid_programs_by_enterprise,
)
from gaoqi.rules import RD_BREAKDOWN

PAGE_SIZE = 50
FIGURE_FIELDS = (
    "sales_revenue",
    "operating_revenue",
    "main_business_revenue",
    "total_income",
    "hightech_income",
    "rd_expense",
    "rd_expense_domestic",
    "rd_expense_tax",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "net_assets",
    "staff_total",
    "staff_st",
    "staff_rd",
)
BREAKDOWN_LABEL = "研发费用明细合计（已填报明细的实际发生额）"
STAFF = {"staff_total", "staff_st", "staff_rd"}
MONEY = set(FIGURE_FIELDS) - STAFF
EXPORT_HEADERS = (
    "统一社会信用代码",
    "企业名称",
    "所在区县",
    "行业代码",
    "所属行业",
    "重点支持的高新技术领域",
    "有效资质",
    "成立日期",
)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who the user is and where to go; how many enterprises they may see (auditors see none: they read the log)."""
    visible = None if request.user.role == Role.AUDITOR else enterprises_visible_to(request.user).count()
    return render(request, "registry/home.html", {"visible": visible})


def _filtered(request: AuthenticatedHttpRequest, today: date) -> tuple[EnterpriseFilterForm, Any]:
    form = EnterpriseFilterForm(request.GET or None)
    return form, form.apply(enterprises_visible_to(request.user), on=today)


def _rows(enterprises: list[Enterprise], among: Any, today: date) -> list[dict[str, Any]]:
    regions, industries = region_names(), industry_names()
    held = valid_programs_by_enterprise(among, today)
    return [
        {
            "enterprise": e,
            "region": regions.get(e.region_code, e.region_code),
            "industry": industry_name(e.industry_code, industries) if e.industry_code else "",
            "domain": DOMAIN_NAMES.get(e.hnte_domain, "") if e.hnte_domain else "",
            "certificates": [label for program, label in Certificate.Program.choices if program in held.get(e.pk, ())],
        }
        for e in enterprises
    ]


@login_required
def enterprise_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, enterprises = _filtered(request, today)
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    rows = _rows(shown, [e.pk for e in shown], today)
    context = {"form": form, "page": page, "rows": rows, "total": page.paginator.count}
    return render(request, "registry/enterprise_list.html", context)


@login_required
def enterprise_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list exactly as filtered and sorted, every page, as an Excel workbook with Chinese headers."""
    today = timezone.localdate()
    _, enterprises = _filtered(request, today)
    rows = (
        (
            row["enterprise"].uscc,
            row["enterprise"].name,
            row["region"],
            row["enterprise"].industry_code,
            row["industry"],
            row["domain"],
            "、".join(row["certificates"]),
            row["enterprise"].registered_on.isoformat() if row["enterprise"].registered_on else "",
        )
        for row in _rows(list(enterprises), enterprises, today)
    )
    return excel_response(
        sheet_name="企业名单",
        headers=EXPORT_HEADERS,
        rows=rows,
        widths=(22, 36, 16, 16, 16, 16, 16, 16),
        filename=f"enterprises-{today.isoformat()}.xlsx",
    )


def _figures(enterprise: Enterprise) -> dict[str, Any]:
    """The latest three fiscal years, oldest first, one row per figure."""
    years = latest_yearly_figures(enterprise)
    rows = [
        {
            "label": cast(Field, YearlyFigures._meta.get_field(name)).verbose_name,  # a column, not a relation
            "money": name in MONEY,
            "values": [getattr(y, name) for y in years],
        }
        for name in FIGURE_FIELDS
    ]
    if any(getattr(y, f"rd_{key}") is not None for y in years for key in RD_BREAKDOWN):
        at = FIGURE_FIELDS.index("rd_expense") + 1
        rows.insert(at, {"label": BREAKDOWN_LABEL, "money": True, "values": [_breakdown_sum(y) for y in years]})
    return {"years": [y.year for y in years], "rows": rows}


def _breakdown_sum(figures: YearlyFigures) -> Decimal | None:
    """The sum of the R&D items given (actual amounts, before the rules' caliber limits); unknown if none given."""
    items = [getattr(figures, f"rd_{key}") for key in RD_BREAKDOWN]
    known = [item for item in items if item is not None]
    return sum(known, Decimal(0)) if known else None


def _latest_assessment(request: AuthenticatedHttpRequest, enterprise: Enterprise) -> Any:
    if not apps.is_installed("gaoqi.assessments"):
        return None
    from gaoqi.assessments.selectors import assessments_visible_to

    return assessments_visible_to(request.user).filter(enterprise=enterprise).first()


@login_required
def enterprise_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(enterprises_visible_to(request.user).select_related("agency"), pk=pk)
    today = timezone.localdate()
    certificates = []
    for certificate in enterprise.certificates.all():
        until = certificate_valid_until(certificate, today)
        valid = certificate.issued_on <= today <= until
        certificates.append({"certificate": certificate, "valid_until": until, "valid": valid})
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "region": region_names().get(enterprise.region_code, ""),
            "industry": industry_name(enterprise.industry_code) if enterprise.industry_code else "",
            "domain": DOMAIN_NAMES.get(enterprise.hnte_domain, "") if enterprise.hnte_domain else "",
            "figures": _figures(enterprise),
            "ip_items": enterprise.ip_items.all(),
            "certificates": certificates,
            "assessment": _latest_assessment(request, enterprise),
            "history": audit_rows(audit_entries_for_enterprise(enterprise.pk), namers=code_namers()),
        },
    )

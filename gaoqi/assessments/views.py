"""Self-assessment pages (查漏补缺): the guided form, the results, the what-if panel, saved assessments and their
printable report. Scope comes from the selectors; the views only connect requests to services and templates."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gaoqi.accounts.http import AuthenticatedHttpRequest
from gaoqi.assessments import selectors
from gaoqi.assessments.forms import (
    WHAT_IF,
    AssessmentForm,
    form_field_for,
    initial_from_document,
    parse_date,
    prefill_notes,
)
from gaoqi.assessments.services import Evaluation, assessment_evaluate, assessment_save, assessment_what_if
from gaoqi.core.excel import excel_response
from gaoqi.rules import InputError

LIST_PAGE_SIZE = 50


def _assessor(request: AuthenticatedHttpRequest) -> Any:
    if not selectors.can_assess(request.user):
        raise PermissionDenied("您的角色不能进行资质自评。")
    return request.user


def _form(request: AuthenticatedHttpRequest, data: Any = None, initial: dict[str, Any] | None = None) -> AssessmentForm:
    user = request.user
    return AssessmentForm(
        data,
        initial=initial,
        enterprises=selectors.assessable_enterprises(user),
        enterprise_required=not selectors.may_assess_blank_form(user),
    )


def _results_context(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "display": selectors.results_display(evaluation.result, field_of=form_field_for),
        "document_json": json.dumps(evaluation.document, ensure_ascii=False),
        "what_if": _what_if_fields(evaluation.document),
    }


def _what_if_fields(document: dict[str, Any]) -> dict[str, Any]:
    """The what-if panel: the latest fiscal year and its current figures as starting values."""
    current = selectors.latest_year_figures(document, [spec.name for spec in WHAT_IF])
    return {
        "year": int(str(document["as_of"])[:4]) - 1,
        "fields": [{"name": s.name, "label": s.label, "value": current.get(s.name, "")} for s in WHAT_IF],
    }


@login_required
def assessment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _assessor(request)
    page = Paginator(selectors.assessments_visible_to(user), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "summaries": selectors.assessment_summaries(page.object_list)}
    return render(request, "assessments/list.html", context)


@login_required
def assessment_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The saved assessments the list shows, every page, as an Excel workbook: one column per program's outcome."""
    table = selectors.assessment_export_table(selectors.assessments_visible_to(_assessor(request)))
    return excel_response(
        sheet_name="已保存的自评",
        headers=table.headers,
        rows=table.rows,
        widths=table.widths,
        filename=f"assessments-{timezone.localdate().isoformat()}.xlsx",
    )


@login_required
def assessment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the empty (or prefilled) form. POST: evaluate and show the results above the form as typed."""
    user = _assessor(request)
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = _form(request, request.POST)
        if form.is_valid():
            try:
                evaluation = assessment_evaluate(document=form.document())
            except InputError as exc:
                form.add_problems(exc.problems)
            else:
                context.update(_results_context(evaluation), enterprise=form.cleaned_data.get("enterprise"))
    else:
        query = request.GET.get("q", "")
        if query and not request.GET.get("enterprise"):
            search = selectors.enterprise_search(user, query)
            if len(search.enterprises) == 1:  # one match: prefill it straight away, as choosing it would
                return redirect(_prefill_url(search.enterprises[0], request.GET.get("as_of", "")))
            context["search"] = search
        enterprise = None
        if request.GET.get("enterprise"):
            enterprise = selectors.assessable_enterprise_get(user, request.GET["enterprise"])
        elif not selectors.may_assess_blank_form(user):
            enterprise = selectors.assessable_enterprises(user).first()
        as_of = parse_date(request.GET.get("as_of", "")) or timezone.localdate()
        initial = selectors.enterprise_initial(enterprise, as_of=as_of)
        if enterprise is not None and request.GET.get("from") == "registry":
            document = selectors.registry_document(enterprise, as_of=as_of)
            initial.update(initial_from_document(document))
            context["prefill_notes"] = prefill_notes(document)
            context["prefilled"] = True
        form = _form(request, initial=initial)
        context["prefill_enterprise"] = enterprise
    context["form"] = form
    context["picker_choices"] = selectors.picker_enterprises(user)
    return render(request, "assessments/assess.html", context)


def _prefill_url(enterprise: Any, as_of: str) -> str:
    """The form prefilled from the registry data of ``enterprise``, the link each search match leads to."""
    query: dict[str, Any] = {"enterprise": enterprise.pk, "from": "registry"}
    if parse_date(as_of):
        query["as_of"] = as_of
    return f"{reverse('assessments:new')}?{urlencode(query)}"


@login_required
def assessment_enterprise_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: the enterprises in scope matching what is typed in the picker, each a link that prefills the form.

    Without JavaScript the picker's form goes to :func:`assessment_new` with the same ``q`` instead."""
    search = selectors.enterprise_search(_assessor(request), request.GET.get("q", ""))
    as_of = request.GET.get("as_of", "")
    context = {"search": search, "as_of": as_of if parse_date(as_of) else ""}
    return render(request, "assessments/_enterprise_matches.html", context)


@login_required
def assessment_revise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The form prefilled with a saved assessment's document (在此基础上修改), to change and evaluate again.

    The saved assessment stays as it was; evaluating and saving the revised form makes a new one.
    """
    user = _assessor(request)
    saved = selectors.assessment_get(user, pk)
    initial = initial_from_document(saved.document)
    if saved.enterprise is not None:
        initial["enterprise"] = saved.enterprise.pk
    context = {"form": _form(request, initial=initial), "revising": saved}
    return render(request, "assessments/assess.html", context)


def _posted_document(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    try:
        document = json.loads(request.POST.get("document", ""))
    except json.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


@login_required
@require_POST
def assessment_what_if_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: the posted document with a few figures changed, evaluated; returns the what-if results partial."""
    _assessor(request)
    document = _posted_document(request)
    if document is None:
        return HttpResponseBadRequest("缺少评价数据，请重新填报。")
    changes = {spec.name: request.POST.get(f"whatif_{spec.name}", "") for spec in WHAT_IF}
    context: dict[str, Any] = {}
    try:
        base = assessment_evaluate(document=document)
        evaluation = assessment_what_if(document=document, changes=changes)
    except InputError as exc:
        context["problems"] = [selectors.problem_text(p) for p in exc.problems]
    else:
        context["display"] = selectors.results_display(evaluation.result)
        context["changes"] = selectors.outcome_changes(base.result, evaluation.result)
    return render(request, "assessments/_what_if_results.html", context)


@login_required
@require_POST
def assessment_save_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _assessor(request)
    document = _posted_document(request)
    if document is None:
        return HttpResponseBadRequest("缺少评价数据，请重新填报。")
    enterprise = None
    if request.POST.get("enterprise"):
        enterprise = selectors.assessable_enterprise_get(user, request.POST["enterprise"])
    elif not selectors.may_assess_blank_form(user):
        raise PermissionDenied("请选择评价的企业。")
    try:
        saved = assessment_save(document=document, enterprise=enterprise, created_by=user)
    except InputError as exc:
        return HttpResponseBadRequest("；".join(selectors.problem_text(p) for p in exc.problems))
    messages.success(request, "自评结果已保存。")
    return redirect(saved)


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    saved = selectors.assessment_get(_assessor(request), pk)
    return render(
        request,
        "assessments/detail.html",
        {
            "saved": saved,
            "display": selectors.results_display(saved.result),
            "document_json": json.dumps(saved.document, ensure_ascii=False),
            "what_if": _what_if_fields(saved.document),
        },
    )


@login_required
def assessment_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    saved = selectors.assessment_get(_assessor(request), pk)
    return render(
        request, "assessments/report.html", {"saved": saved, "display": selectors.results_display(saved.result)}
    )

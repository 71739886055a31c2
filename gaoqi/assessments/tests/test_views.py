"""Self-assessment pages with the test client: results a user reads, the what-if panel, saving, the report, and
scope — an enterprise sees only its own assessments, an officer only the enterprises in their scope."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.assessments.models import SavedAssessment
from gaoqi.assessments.services import assessment_save
from gaoqi.core.models import AuditEntry
from gaoqi.registry.models import Enterprise, YearlyFigures

# R&D is 5,500,000 of 122,000,000 sales: 4.51 %, short of the 5 % band by 600,000 yuan
FIGURES = {
    "as_of": "2025-06-30",
    "registered_on": "2019-04-02",
    "hnte_domain": "1",
    "y1_sales_revenue": "30000000",
    "y2_sales_revenue": "42000000",
    "y3_sales_revenue": "50000000",
    "y1_rd_expense": "1500000",
    "y2_rd_expense": "2000000",
    "y3_rd_expense": "2000000",
    "y3_staff_total": "60",
    "y3_staff_st": "10",
}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _document(**years: Any) -> dict[str, Any]:
    return {
        "as_of": "2025-06-30",
        "enterprise": {"registered_on": "2019-04-02"},
        "years": {"2024": {"sales_revenue": "50000000", **years}},
    }


def test_an_enterprise_user_assesses_their_own_enterprise_and_reads_each_criterion(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    form = client.get(reverse("assessments:new")).content.decode()
    assert f'<option value="{city["c"].pk}" selected>丙科技</option>' in form
    assert "元" in form and "近三年财务与人员" in form

    page = client.post(reverse("assessments:new"), {**FIGURES, "enterprise": city["c"].pk}).content.decode()

    assert "高新技术企业认定" in page and "不符合" in page
    assert "近三个会计年度研究开发费用总额占同期销售收入总额的比例" in page
    assert "4.51%" in page and "≥ 5%" in page
    assert "还需增加 600,000 元" in page
    assert "国科发火〔2016〕32号 第十一条（五）" in page
    assert "需补充的数据" in page
    assert '<a href="#id_y3_hightech_income">2024年 高新技术产品（服务）收入</a>' in page  # links to where it is typed
    assert "data-chart=" in page and "知识产权" in page  # the score's parts, drawn by ECharts


def test_the_form_can_start_from_the_registry_data(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    YearlyFigures.objects.create(
        enterprise=city["c"], year=2024, sales_revenue=Decimal("50000000.40"), staff_total=Decimal("60")
    )
    client = _client(users["enterprise"])
    params = {"enterprise": city["c"].pk, "from": "registry", "as_of": "2025-06-30"}
    page = client.get(reverse("assessments:new"), params).content.decode()

    assert "已从企业库带入 丙科技 的数据" in page
    assert 'name="y3_sales_revenue" value="50000000"' in page and 'name="y3_staff_total" value="60' in page
    assert client.get(reverse("assessments:new"), {**params, "enterprise": city["a"].pk}).status_code == 404


def test_a_problem_is_shown_next_to_its_field_and_what_was_typed_is_kept(users: dict[str, User]) -> None:
    client = _client(users["bureau_officer"])
    data = {**FIGURES, "y3_staff_st": "70", "name": "江门市某某科技有限公司", "y2_conversions": "3"}
    page = client.post(reverse("assessments:new"), data).content.decode()

    assert "科技人员数不能超过职工总数（70 &gt; 60）。" in page
    assert "填报数据有问题" in page
    assert 'value="江门市某某科技有限公司"' in page and 'value="70"' in page and 'value="3"' in page
    assert "保存自评结果" not in page


def test_the_what_if_panel_re_evaluates_with_changed_figures(users: dict[str, User]) -> None:
    client = _client(users["enterprise"])
    document = {
        "as_of": "2025-06-30",
        "years": {
            "2022": {"sales_revenue": "30000000", "rd_expense": "1500000"},
            "2023": {"sales_revenue": "42000000", "rd_expense": "2000000"},
            "2024": {"sales_revenue": "50000000", "rd_expense": "2000000"},
        },
    }
    response = client.post(
        reverse("assessments:what_if"),
        {"document": json.dumps(document), "whatif_rd_expense": "2600000", "whatif_sales_revenue": ""},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()

    assert "<html" not in page  # a partial, swapped in without reloading
    assert "模拟结果（未保存）" in page
    assert "高新技术企业认定：不符合 → <strong>暂无法判定</strong>" in page
    assert "5%" in page and "还需增加 600,000 元" not in page


def test_a_what_if_with_a_bad_figure_says_which_one_in_chinese(users: dict[str, User]) -> None:
    client = _client(users["enterprise"])
    response = client.post(
        reverse("assessments:what_if"), {"document": json.dumps(_document()), "whatif_staff_st": "-3"}
    )
    assert "2024年 科技人员：不能小于 0" in response.content.decode()


def test_saving_keeps_the_document_results_and_versions_and_is_audited(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    response = client.post(
        reverse("assessments:save"), {"document": json.dumps(_document()), "enterprise": city["c"].pk}
    )

    saved = SavedAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == saved.get_absolute_url()
    assert saved.enterprise == city["c"] and saved.created_by == users["enterprise"]
    assert saved.as_of.isoformat() == "2025-06-30" and saved.document == _document()
    assert saved.result["programs"]["hnte"]["outcome"] == "undetermined"
    assert saved.rules_version and saved.parameters_digest == saved.result["parameters_digest"]
    entry = AuditEntry.objects.get(action="assessment.save")
    assert entry.enterprise_id == city["c"].pk and entry.actor == users["enterprise"]
    assert entry.changes["outcomes"]["hnte"] == "undetermined"

    detail = client.get(saved.get_absolute_url()).content.decode()
    assert "自评结果已保存。" in detail and "丙科技 自评结果" in detail and "暂无法判定" in detail
    report = client.get(reverse("assessments:report", args=[saved.pk])).content.decode()
    assert "丙科技 资质条件自评报告" in report and "css/assessment.css" in report  # print CSS: A4, no navigation
    assert saved.parameters_digest in report and "没有不符合的条件。" in report


def test_the_report_lists_each_failing_criterion_with_its_gap(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    page = client.post(reverse("assessments:new"), {**FIGURES, "enterprise": city["c"].pk}).content.decode()
    document = page.split('name="document" value="')[1].split('"')[0].replace("&quot;", '"')
    saved = client.post(reverse("assessments:save"), {"document": document, "enterprise": city["c"].pk})
    report = client.get(saved["Location"] + "report/").content.decode()
    assert "不符合的条件与差距" in report and "还需增加 600,000 元" in report and "≥ 5%" in report


def test_the_saved_result_is_computed_on_the_server_not_taken_from_the_browser(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    client.post(
        reverse("assessments:save"),
        {"document": json.dumps(_document()), "enterprise": city["c"].pk, "result": '{"programs": {}}'},
    )
    assert set(SavedAssessment.objects.get().result["programs"]) >= {"hnte", "tsme", "srdi_sme"}


# ------------------------------------------------------------------------------------------------------------ scope


def _saved(enterprise: Enterprise | None, by: User) -> SavedAssessment:
    return assessment_save(document=_document(), enterprise=enterprise, created_by=by)


def test_an_enterprise_user_cannot_reach_another_enterprise(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    other = _saved(city["a"], users["bureau_officer"])
    own = _saved(city["c"], users["bureau_officer"])
    client = _client(users["enterprise"])

    assert client.get(reverse("assessments:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments:report", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments:new"), {"enterprise": city["a"].pk}).status_code == 404
    assert client.get(reverse("assessments:new"), {"enterprise": "1 OR 1=1"}).status_code == 404
    saved = client.post(reverse("assessments:save"), {"document": json.dumps(_document()), "enterprise": city["a"].pk})
    assert saved.status_code == 404
    assert client.get(reverse("assessments:detail", args=[own.pk])).status_code == 200
    listing = client.get(reverse("assessments:list")).content.decode()
    assert "丙科技" in listing and "甲科技" not in listing


def test_an_enterprise_user_cannot_pick_another_enterprise_in_the_form(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    page = _client(users["enterprise"]).post(reverse("assessments:new"), {**FIGURES, "enterprise": city["a"].pk})
    assert "选择一个有效的选项" in page.content.decode()
    assert "甲科技" not in page.content.decode()


def test_an_enterprise_user_may_not_save_a_blank_form_assessment(users: dict[str, User]) -> None:
    response = _client(users["enterprise"]).post(reverse("assessments:save"), {"document": json.dumps(_document())})
    assert response.status_code == 403
    assert not SavedAssessment.objects.exists()


def test_a_district_officer_sees_only_their_district(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    in_district = _saved(city["a"], users["bureau_officer"])
    elsewhere = _saved(city["c"], users["bureau_officer"])
    client = _client(users["district_officer"])

    assert client.get(reverse("assessments:detail", args=[in_district.pk])).status_code == 200
    assert client.get(reverse("assessments:detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("assessments:new"), {"enterprise": city["c"].pk}).status_code == 404
    prefilled = client.get(reverse("assessments:new"), {"enterprise": city["b"].pk}).content.decode()
    assert 'value="乙科技"' in prefilled
    listing = client.get(reverse("assessments:list")).content.decode()
    assert "甲科技" in listing and "丙科技" not in listing


def test_a_blank_form_assessment_is_seen_only_by_the_officer_who_made_it(users: dict[str, User]) -> None:
    client = _client(users["district_officer"])
    client.post(reverse("assessments:save"), {"document": json.dumps(_document())})
    saved = SavedAssessment.objects.get()
    assert saved.enterprise is None

    assert client.get(saved.get_absolute_url()).status_code == 200
    assert _client(users["bureau_officer"]).get(saved.get_absolute_url()).status_code == 404


def test_an_auditor_may_not_assess(users: dict[str, User]) -> None:
    client = _client(users["auditor"])
    assert client.get(reverse("assessments:new")).status_code == 403
    assert client.post(reverse("assessments:what_if"), {"document": json.dumps(_document())}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page() -> None:
    response = Client().get(reverse("assessments:new"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

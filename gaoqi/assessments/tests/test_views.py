"""Self-assessment pages with the test client: results a user reads, the what-if panel, saving, the report, and
scope — an enterprise sees only its own assessments, an officer only the enterprises in their scope."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.assessments.models import SavedAssessment
from gaoqi.assessments.services import assessment_save
from gaoqi.core.models import AuditEntry
from gaoqi.registry.models import Enterprise, YearlyFigures

ZONE = ZoneInfo("Asia/Shanghai")

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


def test_the_priority_domain_is_shown_by_its_name(users: dict[str, User]) -> None:
    client = _client(users["bureau_officer"])
    named = client.post(reverse("assessments:new"), FIGURES).context["display"]["programs"][0]["criteria"]
    none = client.post(reverse("assessments:new"), {**FIGURES, "hnte_domain": "none"}).context["display"]
    assert [c["value"] for c in named if c["id"] == "priority_domain"] == ["一、电子信息"]
    assert [c["value"] for c in none["programs"][0]["criteria"] if c["id"] == "priority_domain"] == ["不属于上述领域"]


def test_the_form_can_start_from_the_registry_data(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    YearlyFigures.objects.create(
        enterprise=city["c"], year=2024, sales_revenue=Decimal("50000000.40"), staff_total=Decimal("60")
    )
    client = _client(users["enterprise"])
    params = {"enterprise": str(city["c"].pk), "from": "registry", "as_of": "2025-06-30"}
    page = client.get(reverse("assessments:new"), params).content.decode()

    assert "已从企业库带入 丙科技 的数据" in page
    assert 'name="y3_sales_revenue" value="50000000"' in page and 'name="y3_staff_total" value="60' in page
    assert client.get(reverse("assessments:new"), {**params, "enterprise": str(city["a"].pk)}).status_code == 404


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


# ------------------------------------------------------------------------------------------- 在此基础上修改 (revise)


def _evaluated_document(client: Client, data: dict[str, Any]) -> dict[str, Any]:
    response = client.post(reverse("assessments:new"), data)
    assert response.status_code == 200 and "document_json" in response.context, "the form did not evaluate"
    return json.loads(response.context["document_json"])


def _posted(initial: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values as a browser posts them: checked boxes as "on", unchecked ones left out."""
    return {name: "on" if value is True else value for name, value in initial.items() if value is not False}


FULL_FORM = {
    **FIGURES,
    "name": "丙科技",
    "is_sme": "yes",
    "tax_collection": "actual",
    "y3_hightech_income": "32000000",
    "y3_total_income": "51000000",
    "ip_invention_patent_count": "2",
    "ip_invention_patent_acquired": "self",
    "ip_invention_patent_core": "yes",
    "ip_software_copyright_count": "5",
    "certificate_tsme": "2024-05-10",
    "institution_level": "municipal",
    "financing_level": "none",
    "is_on_abnormal_list": "no",
    "incidents": "none",
    "conversion_score": "20",
}


def test_a_saved_assessment_reopens_in_the_form_with_everything_it_held(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    document = _evaluated_document(client, {**FULL_FORM, "enterprise": city["c"].pk})
    saved = assessment_save(document=document, enterprise=city["c"], created_by=users["enterprise"])

    detail = client.get(saved.get_absolute_url()).content.decode()
    revise_url = reverse("assessments:revise", args=[saved.pk])
    assert f'href="{revise_url}"' in detail and "在此基础上修改" in detail

    response = client.get(revise_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "已带入 丙科技" in page and "保存时另存为一份新的自评" in page
    assert "从企业库数据开始" not in page  # reopening starts from the saved data, not the registry's
    assert f'<input type="hidden" name="enterprise" value="{city["c"].pk}"' in page  # the same enterprise, by id
    assert 'name="y3_rd_expense" value="2000000"' in page and 'name="y1_sales_revenue" value="30000000"' in page
    assert 'name="ip_invention_patent_count" value="2"' in page and 'name="certificate_tsme" value="2024-05-10"' in page
    # posted unchanged, the reopened form gives back exactly the saved document
    assert _evaluated_document(client, _posted(response.context["form"].initial)) == saved.document


def test_a_revised_assessment_is_saved_as_a_new_one_and_the_old_one_stays(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    document = _evaluated_document(client, {**FIGURES, "enterprise": city["c"].pk})
    saved = assessment_save(document=document, enterprise=city["c"], created_by=users["enterprise"])
    form = client.get(reverse("assessments:revise", args=[saved.pk])).context["form"]

    revised = _evaluated_document(client, {**_posted(form.initial), "y3_rd_expense": "2600000"})
    client.post(reverse("assessments:save"), {"document": json.dumps(revised), "enterprise": city["c"].pk})

    assert SavedAssessment.objects.count() == 2
    saved.refresh_from_db()
    assert saved.document["years"]["2024"]["rd_expense"] == "2000000"
    newest = SavedAssessment.objects.exclude(pk=saved.pk).get()
    assert newest.document["years"]["2024"]["rd_expense"] == "2600000"
    assert newest.result["programs"]["hnte"]["criteria"] != saved.result["programs"]["hnte"]["criteria"]


def test_a_blank_form_assessment_reopens_without_an_enterprise(users: dict[str, User]) -> None:
    client = _client(users["district_officer"])
    document = _evaluated_document(client, {**FIGURES, "name": "江门市某某科技有限公司"})
    saved = assessment_save(document=document, enterprise=None, created_by=users["district_officer"])

    response = client.get(reverse("assessments:revise", args=[saved.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial.get("enterprise") is None
    assert 'name="name" value="江门市某某科技有限公司"' in response.content.decode()


def test_only_assessments_in_scope_can_be_reopened(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    other = _saved(city["a"], users["bureau_officer"])
    own = _saved(city["c"], users["bureau_officer"])
    client = _client(users["enterprise"])
    assert client.get(reverse("assessments:revise", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments:revise", args=[own.pk])).status_code == 200
    assert _client(users["auditor"]).get(reverse("assessments:revise", args=[own.pk])).status_code == 403


# ------------------------------------------------------------------------------------------------------ the export


def _workbook_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="assessments-')
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_export_has_chinese_headers_and_one_column_per_program(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    saved = _saved(city["c"], users["enterprise"])
    header, row = _workbook_rows(_client(users["enterprise"]).get(reverse("assessments:export")))

    labels = [p["label"] for p in saved.result["programs"].values()]
    assert header == ("企业", "统一社会信用代码", "评价日期", *labels, "保存人", "保存时间（北京时间）", "规则版本")
    assert row[:3] == ("丙科技", city["c"].uscc, "2025-06-30")
    hnte = header.index("高新技术企业认定")
    assert row[hnte] == "暂无法判定"
    assert row[-3:-1] == ("enterprise", saved.created_at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M"))
    assert row[-1] == saved.rules_version


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("bureau_officer", {"甲科技", "乙科技", "丙科技"}),
        ("district_officer", {"甲科技", "乙科技", "江门市某某科技有限公司"}),
        ("enterprise", {"丙科技"}),
        ("agency", {"甲科技"}),
        ("mentor", {"乙科技"}),
    ],
)
def test_the_export_holds_exactly_the_assessments_the_list_shows(
    users: dict[str, User], city: dict[str, Enterprise], role: str, expected: set[str]
) -> None:
    for enterprise in city.values():
        _saved(enterprise, users["bureau_officer"])
    blank = {**_document(), "enterprise": {"name": "江门市某某科技有限公司", "registered_on": "2019-04-02"}}
    assessment_save(document=blank, enterprise=None, created_by=users["district_officer"])
    client = _client(users[role])

    rows = _workbook_rows(client.get(reverse("assessments:export")))[1:]
    listed = client.get(reverse("assessments:list")).context["summaries"]
    assert [row[0] for row in rows] == [item["saved"].enterprise_name for item in listed]
    assert {row[0] for row in rows} == expected


def test_the_export_holds_every_page_of_the_list(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    first = _saved(city["c"], users["enterprise"])
    SavedAssessment.objects.bulk_create(
        SavedAssessment(
            enterprise=city["c"],
            as_of=first.as_of,
            document=first.document,
            result=first.result,
            rules_version=first.rules_version,
            parameters_digest=first.parameters_digest,
            created_by=users["enterprise"],
        )
        for _ in range(50)
    )
    client = _client(users["enterprise"])
    listing = client.get(reverse("assessments:list")).content.decode()
    assert "共 51 份，第 1/2 页" in listing and f'href="{reverse("assessments:export")}"' in listing
    assert len(_workbook_rows(client.get(reverse("assessments:export")))) == 1 + 51


def test_an_auditor_has_no_assessments_to_export(users: dict[str, User]) -> None:
    assert _client(users["auditor"]).get(reverse("assessments:export")).status_code == 403


def test_a_saved_result_reads_in_the_rules_order_whatever_order_the_database_returns(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    """PostgreSQL's jsonb gives an object's keys back sorted by length: 高企, 科技型, 专精特新, 小巨人, 创新型, …"""
    saved = _saved(city["c"], users["enterprise"])
    in_order = list(saved.result["programs"])
    shuffled = dict(sorted(saved.result["programs"].items(), key=lambda item: (len(item[0]), item[0]), reverse=True))
    tsme = shuffled["tsme"]["score"]
    tsme["parts"] = dict(reversed(tsme["parts"].items()))
    SavedAssessment.objects.filter(pk=saved.pk).update(result={**saved.result, "programs": shuffled})
    client = _client(users["enterprise"])

    detail = client.get(saved.get_absolute_url()).context["display"]["programs"]
    assert [p["name"] for p in detail] == in_order == ["hnte", "tsme", "innovative_sme", "srdi_sme", "little_giant",
                                                        "rd_super_deduction"]  # fmt: skip
    assert [part["name"] for part in detail[1]["score"]["parts"]] == ["st_staff", "rd", "ip"]
    listed = client.get(reverse("assessments:list")).context["summaries"][0]["outcomes"]
    assert [o["label"] for o in listed] == [p["label"] for p in detail]
    header = _workbook_rows(client.get(reverse("assessments:export")))[0]
    assert list(header[3:9]) == [p["label"] for p in detail]

"""The guided form builds a facts.md document in which a blank stays unknown, and every problem the rules' reader
finds comes back to the field it came from, in Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from gaoqi.assessments.forms import AssessmentForm, initial_from_document
from gaoqi.assessments.services import assessment_evaluate
from gaoqi.registry.models import Enterprise
from gaoqi.rules.ingest import InputError, read_document


def _form(data: dict[str, Any]) -> AssessmentForm:
    return AssessmentForm(data, enterprises=Enterprise.objects.all())


def _problems(data: dict[str, Any]) -> AssessmentForm:
    form = _form(data)
    assert form.is_valid(), form.errors
    with pytest.raises(InputError) as caught:
        assessment_evaluate(document=form.document())
    form.add_problems(caught.value.problems)
    return form


@pytest.mark.django_db
def test_blank_fields_stay_unknown_and_the_programs_say_what_is_missing() -> None:
    form = _form({"as_of": "2025-06-30", "y3_sales_revenue": "", "ip_invention_patent_count": ""})
    assert form.is_valid()
    assert form.document() == {"as_of": "2025-06-30"}
    result = assessment_evaluate(document=form.document()).result
    assert result["programs"]["hnte"]["outcome"] == "undetermined"
    assert "years.2024.sales_revenue" in result["programs"]["hnte"]["missing"]


@pytest.mark.django_db
def test_the_evaluation_date_is_the_one_required_field() -> None:
    form = _form({"y3_sales_revenue": "50000000"})
    assert not form.is_valid()
    assert form.errors["as_of"] == ["请填写评价日期。"]


@pytest.mark.django_db
def test_the_three_columns_are_the_three_fiscal_years_before_the_evaluation_year() -> None:
    form = _form({"as_of": "2025-06-30", "y1_sales_revenue": "30,000,000", "y3_sales_revenue": "50000000"})
    assert form.is_valid()
    years = form.document()["years"]
    assert years == {"2022": {"sales_revenue": "30,000,000"}, "2024": {"sales_revenue": "50000000"}}
    assert [heading for _, heading in form.year_headings()] == ["2022年", "2023年", "2024年"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"as_of": "2025-02-30"}, "as_of", "不是有效日期"),
        ({"y3_sales_revenue": "-1"}, "y3_sales_revenue", "不能为负数（收到 \"-1\"）。"),
        ({"y2_rd_expense": "12.5"}, "y2_rd_expense", "金额须为整数元"),
        ({"y3_staff_total": "40", "y3_staff_st": "50"}, "y3_staff_st", "科技人员数不能超过职工总数（50 > 40）。"),
        ({"uscc": "91440703MA51234567"}, "uscc", "统一社会信用代码"),
        ({"registered_on": "2026-01-01"}, "registered_on", "晚于评价日期 2025-06-30"),
        ({"ip_invention_patent_count": "1.5"}, "ip_invention_patent_count", "应为整数"),
        ({"ip_utility_model_count": "2", "ip_utility_model_granted_on": "2024-13-01"},
         "ip_utility_model_granted_on", "不是有效日期"),
        ({"certificate_hnte": "2026-01-01"}, "certificate_hnte", "晚于评价日期"),
        ({"incident_dates": "2025-02-30"}, "incident_dates", "不是有效日期"),
        ({"rd_management_2": "9"}, "rd_management_2", "不能大于 6（收到 9）。"),
        ({"award_level": "provincial", "award_rank": "0"}, "award_rank", "不能小于 1"),
        ({"financing_level": "yes", "financing_amount": "八百万"}, "financing_amount", "不是有效的金额"),
    ],
)  # fmt: skip
def test_each_problem_is_shown_next_to_its_field(data: dict[str, str], field: str, message: str) -> None:
    form = _problems({"as_of": "2025-06-30", **data})
    assert any(message in error for error in form.errors[field]), form.errors


@pytest.mark.django_db
def test_a_year_before_establishment_is_reported_above_the_form() -> None:
    form = _problems({"as_of": "2025-06-30", "registered_on": "2023-05-01", "y1_sales_revenue": "100"})
    assert form.non_field_errors() == ["2022 年早于成立日期 2023-05-01 所在年度。"]


@pytest.mark.django_db
def test_a_checked_none_box_and_filled_counts_contradict_each_other() -> None:
    form = _form({"as_of": "2025-06-30", "ip_none": "on", "ip_invention_patent_count": "2"})
    assert not form.is_valid()
    assert "请只选其一" in form.errors["ip_none"][0]


@pytest.mark.django_db
def test_details_without_a_level_are_not_silently_dropped() -> None:
    form = _form({"as_of": "2025-06-30", "award_rank": "2", "award_year": "2023"})
    assert not form.is_valid()
    assert form.errors["award_level"] == ["已填写详细情况，请选择级别（或“有”）。"]


@pytest.mark.django_db
def test_lists_are_absent_when_unknown_and_empty_when_the_user_says_none() -> None:
    unknown = _form({"as_of": "2025-06-30"})
    none = _form({"as_of": "2025-06-30", "ip_none": "on", "certificates_none": "on", "incidents": "none"})
    assert unknown.is_valid() and none.is_valid()
    assert "ip" not in unknown.document() and "certificates" not in unknown.document()
    doc = none.document()
    assert doc["ip"] == [] and doc["certificates"] == [] and doc["records"] == {"major_incident_dates": []}


EXAMPLE = {
    "as_of": "2025-06-30",
    "enterprise": {"name": "江门市示例科技有限公司", "registered_on": "2019-04-02", "hnte_domain": None,
                   "is_strategic_emerging": True},
    "years": {"2022": {"sales_revenue": "30000000", "rd_expense": "1500000"},
              "2024": {"sales_revenue": "50000000", "staff_total": "60", "staff_st": "10"}},
    "ip": [{"kind": "invention_patent", "count": "2", "acquired": "self", "is_core_to_main_product": True,
            "granted_on": "2021-08-10"}],
    "certificates": [{"program": "tsme", "issued_on": "2024-05-20"}],
    "records": {"is_on_abnormal_list": False, "major_incident_dates": []},
    "assessments": {"ip_advancement": "6", "rd_management": ["5", None, None, "3"]},
    "rd_institutions": [{"level": "municipal"}],
    "awards": [{"level": "provincial", "rank": "2", "year": "2023"}],
    "standards": [],
    "equity_financing": [{"date": "2024-03-01", "amount": "8000000"}],
}  # fmt: skip


@pytest.mark.django_db
def test_a_document_comes_back_into_the_form_unchanged() -> None:
    initial = initial_from_document(EXAMPLE)
    form = _form({k: ("on" if v is True else v) for k, v in initial.items()})
    assert form.is_valid(), form.errors
    assert form.document() == EXAMPLE


@pytest.mark.parametrize(("stored", "shown"), [(12.0, "12"), (12.5, "12.5"), ("50000000", "50000000"), (0.0, "0")])
def test_a_registry_average_of_whole_persons_is_shown_as_a_whole_number(stored: object, shown: str) -> None:
    """The registry gives staff as a float (an average); 12.0 persons reads 12 in the form, 12.5 stays 12.5."""
    initial = initial_from_document({"as_of": "2025-06-30", "years": {"2024": {"staff_st": stored}}})
    assert initial["y3_staff_st"] == shown


@pytest.mark.django_db
def test_the_award_type_picker_says_when_an_award_is_not_a_science_and_technology_award() -> None:
    award = {"as_of": "2025-06-30", "award_level": "national", "award_rank": "1", "award_year": "2024"}
    assert dict(_form(award).fields["award_kind"].choices) == {  # type: ignore[attr-defined]
        "": "科学技术奖",
        "other": "其他奖项（如中国专利奖，不计为科技奖励）",
    }
    science = _form(award)
    other = _form({**award, "award_kind": "other"})
    assert science.is_valid() and other.is_valid()
    assert science.document()["awards"] == [{"level": "national", "rank": "1", "year": "2024"}]
    assert other.document()["awards"] == [{"level": "national", "kind": "other", "rank": "1", "year": "2024"}]
    counted, listed = read_document(science.document()).row, read_document(other.document()).row
    assert (counted["num_awards_national_top3_3y"], listed["num_awards_national_top3_3y"]) == (1, 0)
    assert initial_from_document(other.document())["award_kind"] == "other"
    assert "award_kind" not in initial_from_document({**other.document(), "awards": [{"kind": "science_technology"}]})
    assert not _form({"as_of": "2025-06-30", "award_level": "none", "award_kind": "other"}).is_valid()


@pytest.mark.django_db
def test_the_tax_caliber_total_tells_that_rd_entrusted_to_overseas_individuals_is_left_out() -> None:
    """The form takes R&D as totals; the one on the super-deduction caliber must leave out what 64号 excludes."""
    helps = {label: help for label, help, _cells in _form({"as_of": "2025-06-30"}).year_rows()}
    assert "委托境外个人进行的研发费用不计入" in helps["研发费用（元，加计扣除口径）"]

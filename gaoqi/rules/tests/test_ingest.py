"""Bad input gets a clear message naming the field; good input becomes the facts the programs read."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from gaoqi.rules.ingest import InputError, json_path_of, read_document, read_json_text

AS_OF = "2025-06-30"


def problems(doc: Any) -> list[str]:
    with pytest.raises(InputError) as info:
        read_document(doc)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"as_of": AS_OF, "years": {"2024": {"sales_revenue": -1}}}, "years.2024.sales_revenue: 不能为负数"),
        ({"as_of": AS_OF, "years": {"2024": {"sales_revenue": "abc"}}}, "years.2024.sales_revenue: 不是有效的金额"),
        ({"as_of": AS_OF, "years": {"2024": {"sales_revenue": 1.5}}}, "years.2024.sales_revenue: 金额须为整数元"),
        (
            {"as_of": AS_OF, "years": {"2024": {"sales_revenue": True}}},
            "years.2024.sales_revenue: 应为以元为单位的金额",
        ),
        (
            {"as_of": AS_OF, "years": {"2024": {"staff_st": 11, "staff_total": 10}}},
            "years.2024.staff_st: 科技人员数不能超过职工总数",
        ),
        ({"as_of": AS_OF, "years": {"2024": {"staff_total": "many"}}}, "years.2024.staff_total: 应为数字"),
        (
            {"as_of": AS_OF, "years": {"2024": {"rd_expense": 10, "rd_expense_domestic": 11}}},
            "境内研究开发费用不能超过",
        ),
        (
            {"as_of": AS_OF, "years": {"2024": {"hightech_income": 101, "total_income": 100}}},
            "years.2024.hightech_income: 高新技术产品（服务）收入不能超过总收入",
        ),
        ({"as_of": AS_OF, "enterprise": {"uscc": "91440703MA51234567"}}, "enterprise.uscc: 统一社会信用代码"),
        (
            {"as_of": AS_OF, "enterprise": {"registered_on": "2026-01-01"}},
            "enterprise.registered_on: 2026-01-01 晚于评价日期",
        ),
        ({"as_of": AS_OF, "enterprise": {"registered_on": "2019-02-30"}}, "enterprise.registered_on: 不是有效日期"),
        (
            {"as_of": AS_OF, "enterprise": {"registered_on": "2023-05-01"}, "years": {"2022": {}}},
            "years.2022: 2022 年早于成立日期",
        ),
        (
            {"as_of": AS_OF, "enterprise": {"hnte_domian": 1}},
            "enterprise.hnte_domian: 未知字段。您是否想写 hnte_domain？",
        ),
        ({"as_of": AS_OF, "enterprise": {"hnte_domain": 9}}, "enterprise.hnte_domain: 不能大于 8"),
        ({"as_of": AS_OF, "enterprise": {"region_code": "4407"}}, "enterprise.region_code: 行政区划代码应为6位数字"),
        (
            {"as_of": AS_OF, "enterprise": {"tax_collection": "flat"}},
            "enterprise.tax_collection: 取值应为 actual / deemed",
        ),
        ({"as_of": AS_OF, "ip": [{"kind": "patent"}]}, "ip[0].kind: 取值应为"),
        ({"as_of": AS_OF, "ip": {"kind": "invention_patent"}}, "ip: 应为数组"),
        ({"as_of": AS_OF, "certificates": [{"program": "hnte"}]}, "certificates[0].issued_on: 缺少发证"),
        ({"as_of": AS_OF, "assessments": {"rd_management": [1, 2]}}, "assessments.rd_management: 应为四项评分"),
        ({"as_of": AS_OF, "assessments": {"ip_advancement": 9}}, "assessments.ip_advancement: 不能大于 8"),
        ({"as_of": "2025-13-01"}, "as_of: 不是有效日期"),
        ({}, "as_of: 缺少评价日期"),
        ([], "应为对象"),
    ],
)
def test_bad_input_is_named_by_path(doc: Any, expected: str) -> None:
    assert any(expected in p for p in problems(doc)), problems(doc)


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems({"as_of": AS_OF, "years": {"2024": {"sales_revenue": -1, "rd_expense": "x"}}, "extra": 1})
    assert len(found) == 3


def test_json_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        read_json_text('{\n  "as_of": "2025-06-30",\n  "years": {,}\n}')
    assert "第 3 行" in str(info.value)


def test_absent_is_unknown_and_empty_list_is_none() -> None:
    unknown = read_document({"as_of": AS_OF}).row
    none = read_document({"as_of": AS_OF, "ip": [], "certificates": [], "records": {"major_incident_dates": []}}).row
    assert unknown.get("ip_class_1") is None and none["ip_class_1"] == 0
    assert unknown.get("num_major_incidents_365d") is None and none["num_major_incidents_365d"] == 0
    assert unknown.get("has_certificate_record") is None and none["has_certificate_record"] is True


def test_ip_aggregation_follows_each_programs_definition() -> None:
    row = read_document(
        {
            "as_of": AS_OF,
            "ip": [
                {
                    "kind": "invention_patent",
                    "count": 2,
                    "acquired": "self",
                    "is_core_to_main_product": True,
                    "has_economic_benefit": True,
                    "granted_on": "2020-01-01",
                },
                {
                    "kind": "defense_patent",
                    "acquired": "transfer",
                    "acquired_on": "2025-01-01",
                    "granted_on": "2019-01-01",
                    "is_core_to_main_product": False,
                    "has_economic_benefit": False,
                },
                {
                    "kind": "utility_model",
                    "count": 3,
                    "acquired": "self",
                    "is_used_in_hnte": True,
                    "granted_on": "2024-01-01",
                    "is_core_to_main_product": True,
                },
                {
                    "kind": "software_copyright",
                    "acquired": "self",
                    "granted_on": "2025-01-01",
                    "is_core_to_main_product": False,
                    "is_related_to_main_product": True,
                },
                {"kind": "design_patent", "acquired": "self", "granted_on": "2026-01-01"},
            ],
        }
    ).row
    assert row["ip_class_1"] == 3 and row["ip_class_1_tsme"] == 2  # the defence patent is not in 115号's list
    assert row["ip_class_2"] == 4 and row["ip_class_2_unused"] == 1  # used utility models serve one recognition
    assert row["ip_core"] == 2  # the used utility models no longer count for HNTE
    assert row["ip_class_1_sme"] == 2  # transferred in less than a year ago
    assert row["ip_class_2_sme"] == 1  # software counts; utility models granted under 2 years do not
    assert row["ip_class_1_sme_benefit"] == 2


def test_monthly_staff_is_averaged_as_the_guideline_says() -> None:
    months = [[48, 48], [48, 48], [48, 52]] + [[52, 52]] * 5 + [[52, 50]] + [[50, 50]] * 3
    row = read_document({"as_of": AS_OF, "years": {"2024": {"staff_monthly": {"total": months}}}}).row
    assert row["staff_total_y3"] == pytest.approx(607 / 12)


def test_years_outside_the_three_are_reported_as_warnings() -> None:
    doc = read_document({"as_of": AS_OF, "years": {"2020": {"sales_revenue": 1}, "2024": {"sales_revenue": 2}}})
    assert doc.row["sales_revenue_y3"] == 2
    assert [w.path for w in doc.warnings] == ["years.2020"]


def test_missing_facts_are_named_by_their_json_path() -> None:
    on = date(2025, 6, 30)
    assert json_path_of("rd_other_y1", on) == "years.2022.rd_breakdown.other"
    assert json_path_of("num_major_incidents_365d", on) == "records.major_incident_dates"
    assert json_path_of("hnte_domain", on) == "enterprise.hnte_domain"
    assert json_path_of("rd_management_2", on) == "assessments.rd_management"


def test_the_bundled_example_reads_cleanly() -> None:
    from importlib import resources

    text = resources.files("gaoqi.rules.examples").joinpath("enterprise.json").read_text(encoding="utf-8")
    doc = read_json_text(text)
    assert doc.warnings == [] and doc.row["uscc"] == json.loads(text)["enterprise"]["uscc"]


def test_an_unknown_assessment_is_named_like_any_other_unknown_field() -> None:
    found = problems({"as_of": AS_OF, "assessments": {"platfrom_score": 80}})
    assert found == ["assessments.platfrom_score: 未知字段。您是否想写 platform_score？"]


@pytest.mark.parametrize(
    ("competition", "expected"),
    [
        (
            {"group": "enterprise group", "rank": 300, "year": 2024},
            "competitions[0].group: 取值应为 enterprise / maker",
        ),
        ({"level": "全国", "rank": 30, "year": 2024}, "competitions[0].level: 取值应为 national / provincial"),
    ],
)
def test_competition_groups_and_levels_outside_the_codes_are_refused(competition: Any, expected: str) -> None:
    assert any(p.startswith(expected) for p in problems({"as_of": AS_OF, "competitions": [competition]}))


def test_the_enterprise_group_by_its_chinese_name_keeps_the_maker_china_route() -> None:
    competitions = [{"name": "“创客中国”中小企业创新创业大赛", "group": "企业组", "rank": 300, "year": 2024}]
    row = read_document({"as_of": AS_OF, "competitions": competitions}).row
    assert (row["num_maker_china_top50_3y"], row["num_maker_china_top500_3y"]) == (0, 1)


def _ip_row(**flags: Any) -> dict[str, Any]:
    item = {"kind": "invention_patent", "count": 2, "acquired": "self", "granted_on": "2020-01-01", **flags}
    return read_document({"as_of": AS_OF, "ip": [item]}).row


@pytest.mark.parametrize(
    ("flags", "related_count"),
    [
        ({"is_related_to_main_product": True}, 2),
        ({"is_core_to_main_product": True}, 2),  # core to the main product is also related to it
        ({"is_related_to_main_product": False, "is_core_to_main_product": False}, 0),
        ({}, None),  # neither flag: unknown, never counted as related or as none
        ({"is_core_to_main_product": False}, None),  # not core says nothing about related
    ],
)
def test_quality_sme_ip_counts_only_ip_related_to_the_leading_product(
    flags: dict[str, Any], related_count: int | None
) -> None:
    row = _ip_row(**flags)
    assert (row.get("ip_class_1_sme"), row.get("ip_class_1_sme_self")) == (related_count, related_count)
    assert row["ip_class_1_tsme"] == 2  # tech-SME points do not ask for relatedness


def test_innovation_titles_are_read_as_flags_and_checked() -> None:
    enterprise = {"is_tech_innovation_demo": True, "is_ip_advantage_or_demo": False}
    row = read_document({"as_of": AS_OF, "enterprise": enterprise}).row
    assert (row["is_tech_innovation_demo"], row["is_ip_advantage_or_demo"]) == (True, False)
    found = problems({"as_of": AS_OF, "enterprise": {"is_tech_innovation_demo": "是"}})
    assert found == ['enterprise.is_tech_innovation_demo: 应为 true 或 false，收到 "是"。']


def test_renewal_flags_and_last_years_platform_score_are_read() -> None:
    assessments = {"is_little_giant_renewal": True, "platform_score_prev": 61.5}
    row = read_document({"as_of": AS_OF, "assessments": assessments}).row
    assert (row["is_little_giant_renewal"], row["platform_score_prev"]) == (True, 61.5)
    found = problems({"as_of": AS_OF, "assessments": {"platform_score_prev": 101}})
    assert found == ["assessments.platform_score_prev: 不能大于 100（收到 101）。"]


def test_first_three_rights_holders_are_counted_apart_and_unknown_when_not_flagged() -> None:
    item = {"kind": "invention_patent", "count": 3, "acquired": "self", "granted_on": "2020-01-01",
            "is_related_to_main_product": True, "has_economic_benefit": True}  # fmt: skip
    doc: dict[str, Any] = {"as_of": AS_OF, "ip": [{**item, "is_among_first_three_holders": True}, {**item, "count": 2}]}
    row = read_document(doc).row
    assert row["ip_class_1_sme_benefit"] == 5 and row.get("ip_class_1_sme_benefit_top3") is None
    doc["ip"][1]["is_among_first_three_holders"] = False
    assert read_document(doc).row["ip_class_1_sme_benefit_top3"] == 3


def test_an_award_of_another_kind_is_listed_but_not_counted_as_a_science_and_technology_award() -> None:
    awards = [
        {"level": "national", "rank": 1, "year": 2024, "kind": "other", "name": "中国专利奖"},
        {"level": "national", "rank": 2, "year": 2024, "name": "国家科学技术进步奖"},  # no kind: an S&T award
    ]
    row = read_document({"as_of": AS_OF, "awards": awards}).row
    assert (row["num_awards_national_top3_3y"], row["num_awards_3y"]) == (1, 1)
    assert problems({"as_of": AS_OF, "awards": [{"level": "national", "kind": "专利奖"}]}) == [
        'awards[0].kind: 取值应为 science_technology / other 之一，收到 "专利奖"。'
    ]


def test_rd_entrusted_to_overseas_individuals_is_read_as_a_part_of_the_overseas_item() -> None:
    breakdown = {"personnel": "900000", "entrusted_overseas": "500000", "entrusted_overseas_individuals": "200000"}
    row = read_document({"as_of": AS_OF, "years": {"2024": {"rd_breakdown": breakdown}}}).row
    assert (row["rd_entrusted_overseas_y3"], row["rd_entrusted_overseas_individuals_y3"]) == (500_000, 200_000)
    without = read_document({"as_of": AS_OF, "years": {"2024": {"rd_breakdown": {"personnel": "1"}}}}).row
    assert without["rd_entrusted_overseas_individuals_y3"] == 0  # a breakdown lists what was spent
    alone = {"as_of": AS_OF, "years": {"2024": {"rd_breakdown": {"entrusted_overseas_individuals": "1"}}}}
    path = "years.2024.rd_breakdown.entrusted_overseas_individuals"
    assert problems(alone) == [f"{path}: 委托境外个人研发费用不能超过委托境外研发费用（1 > 0）。"]
    assert json_path_of("rd_entrusted_overseas_individuals_y3", date(2025, 6, 30)) == path

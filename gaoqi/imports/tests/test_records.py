"""The sheet of list flags and expert and platform assessments (``EnterpriseRecord``): one row per enterprise, every
cell checked, blanks leave stored values alone, and what it writes reaches the rules."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from gaoqi.accounts.models import Role, User
from gaoqi.core.models import AuditEntry
from gaoqi.imports.models import ImportBatch
from gaoqi.imports.tests.helpers import filled_template
from gaoqi.imports.tests.test_import import commit, problems, signed_in, uploaded
from gaoqi.registry.facts import enterprise_document
from gaoqi.registry.models import Enterprise, EnterpriseRecord
from gaoqi.rules.synthetic import uscc_for

SHEET = "企业评价与名单信息"
USCC = "统一社会信用代码"


def test_the_template_offers_the_sheet_with_ranges_drop_downs_and_comments(users: dict[str, User]) -> None:
    response = signed_in(users[Role.BUREAU_OFFICER]).get(reverse("imports:template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book[SHEET]
    headers = [str(c.value) for c in ws[1]]
    assert headers[0] == "统一社会信用代码*"
    for header in (
        "列入经营异常名录",
        "知识产权：技术的先进程度（0–8 分）",
        "知识产权：获得方式（0–6 分）",
        "科技成果转化能力（0–30 分）",
        "研发组织管理：人才培养与绩效评价（0–4 分）",
        "各位专家的总分（0–100 分）",
        "主导产品细分市场占有率（0–1）",
        "主导产品全国细分市场排名（≥1 名）",
        "专精特色：省级特色指标得分（0–15 分）",
        "上一年度专精特新发展评价得分（0–100 分）",
        "本次为专精特新“小巨人”企业复核（有效期满）",
    ):
        assert header in headers, header
    checks = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter
    chain = checks[f"{letter(headers.index('主导产品所属领域') + 1)}2"]
    codes = book["代码表"]
    heading = next(c for c in codes[1] if c.value == "主导产品所属领域")
    offered = [codes.cell(row=r, column=heading.column).value for r in range(2, 6)]
    assert "代码表" in chain.formula1 and offered == ["补短板", "“六基”领域", "重点领域", "其他"]
    flag = checks[f"{letter(headers.index('列入经营异常名录') + 1)}2"]
    assert flag.type == "list" and "代码表" in flag.formula1
    points = checks[f"{letter(headers.index('知识产权：技术的先进程度（0–8 分）') + 1)}2"]
    assert (points.type, points.formula1, points.formula2) == ("whole", "0", "8")
    assert (
        "高企创新能力评价专家评分"
        in ws.cell(row=1, column=headers.index("知识产权：技术的先进程度（0–8 分）") + 1).comment.text
    )
    instructions = "\n".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert f"工作表“{SHEET}”" in instructions and "72、80、76" in instructions


FILLED = {
    USCC: "",
    "列入经营异常名录": "否",
    "近三年有偷税漏税行为": "否",
    "已提供重大事故或违法行为情况": "是",
    "知识产权：技术的先进程度（0–8 分）": 8,
    "知识产权：对主要产品的核心支持作用（0–8 分）": 6,
    "研发组织管理：管理制度与辅助账（0–6 分）": 5,
    "各位专家的总分（0–100 分）": "72、80、76",
    "主导产品细分市场占有率（0–1）": "12.5%",
    "主导产品全国细分市场排名（≥1 名）": 1,
    "主导产品所属领域": "“六基”领域",
    "专精特新发展评价得分（0–100 分）": 100,
    "上一年度专精特新发展评价得分（0–100 分）": 59.99,
    "本次为专精特新中小企业复核（有效期满）": "是",
}


def test_import_writes_the_facts_the_rules_read_then_reimport_changes_nothing(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    a = city["a"]
    content = filled_template({SHEET: [{**FILLED, USCC: a.uscc}]})
    client = signed_in(users[Role.DISTRICT_OFFICER])
    batch = uploaded(client, content)
    assert batch.problems == [] and batch.summary == [
        {"sheet": SHEET, "rows": 1, "create": 1, "update": 0, "unchanged": 0, "invalid": 0}
    ]
    assert commit(client, batch).written == {SHEET: {"created": 1, "updated": 0}}
    document = enterprise_document(a, as_of=date(2026, 6, 30))
    assert document["records"] == {
        "is_on_abnormal_list": False,
        "has_tax_evasion_3y": False,
        "major_incident_dates": [],
    }
    assessments = document["assessments"]
    assert (assessments["ip_advancement"], assessments["ip_core_support"]) == (8, 6)
    assert assessments["rd_management"] == [5, None, None, None] and assessments["expert_scores"] == [72, 80, 76]
    assert (assessments["market_share"], assessments["market_rank"], assessments["chain_field"]) == (
        0.125,
        1,
        "six_bases",
    )
    assert (assessments["platform_score"], assessments["platform_score_prev"]) == (100, 59.99)
    assert assessments["is_srdi_sme_renewal"] is True and "is_little_giant_renewal" not in assessments
    entry = AuditEntry.objects.get(action="record.import", enterprise_id=a.pk)
    assert entry.changes["ip_advancement"] == [None, 8]

    again = uploaded(client, content)
    assert again.importable_count == 0 and again.summary[0]["unchanged"] == 1


def test_blank_cells_leave_the_stored_assessment_alone_and_a_filled_one_updates(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    a = city["a"]
    EnterpriseRecord.objects.create(enterprise=a, ip_advancement=7, platform_score=Decimal("88.50"), has_own_brand=True)
    row = {USCC: a.uscc, "拥有自主品牌": "否", "科技成果转化能力（0–30 分）": 0}
    client = signed_in(users[Role.BUREAU_OFFICER])
    batch = commit(client, uploaded(client, filled_template({SHEET: [row]})))
    assert batch.written == {SHEET: {"created": 0, "updated": 1}}
    record = EnterpriseRecord.objects.get(enterprise=a)
    assert (record.ip_advancement, record.platform_score) == (7, Decimal("88.50"))  # blank: kept, never zero
    assert (record.has_own_brand, record.conversion_score) == (False, 0)  # 否 and 0 as typed


@pytest.mark.parametrize(
    ("header", "typed", "message"),
    [
        ("知识产权：技术的先进程度（0–8 分）", 9, "应在 0–8 之间。"),
        ("知识产权：技术的先进程度（0–8 分）", 7.5, "应为整数。"),
        ("知识产权：参与标准制定加分（0–2 分）", -1, "应在 0–2 之间。"),
        ("列入严重违法失信名单", "可能", "应填“是”或“否”，不能是“可能”。"),
        ("主导产品所属领域", "卡脖子", "“卡脖子”不是可选值；可选：补短板、“六基”领域、重点领域、其他。"),
        (
            "各位专家的总分（0–100 分）",
            "72、101",
            "每位专家的总分应为 0–100 的整数，以顿号分隔，如 72、80、76；“101”不是。",
        ),
        ("主导产品细分市场占有率（0–1）", 1.5, "应在 0–1 之间。"),
        ("主导产品细分市场占有率（0–1）", 0.12345, "最多 4 位小数。"),
        ("主导产品全国细分市场排名（≥1 名）", 0, "不能小于 1。"),
        ("专精特新发展评价得分（0–100 分）", 100.01, "应在 0–100 之间。"),
        ("专精特新发展评价得分（0–100 分）", "优秀", "应为数字（单位：分），不能是“优秀”。"),
    ],
)
def test_every_cell_is_checked_and_named_by_sheet_row_and_column(
    header: str, typed: object, message: str, users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    content = filled_template({SHEET: [{USCC: city["a"].uscc, header: typed}]})
    batch = uploaded(signed_in(users[Role.BUREAU_OFFICER]), content)
    assert problems(batch) == {(SHEET, 2, header, message)}
    assert batch.importable_count == 0


def test_bounds_are_included(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    row = {
        USCC: city["a"].uscc,
        "知识产权：获得方式（0–6 分）": 6,
        "知识产权：参与标准制定加分（0–2 分）": 0,
        "主导产品细分市场占有率（0–1）": 1,
        "专精特新发展评价得分（0–100 分）": 0,
        "各位专家的总分（0–100 分）": "0、100",
    }
    batch = uploaded(signed_in(users[Role.BUREAU_OFFICER]), filled_template({SHEET: [row]}))
    assert batch.problems == [] and batch.importable_count == 1


def test_a_district_officer_cannot_reach_an_enterprise_outside_their_district(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    rows = [{USCC: city["c"].uscc, "列入经营异常名录": "是"}, {USCC: uscc_for("440703", 555), "列入经营异常名录": "是"}]
    batch = uploaded(signed_in(users[Role.DISTRICT_OFFICER]), filled_template({SHEET: rows}))
    assert problems(batch) == {
        (SHEET, 2, USCC, "该企业不在您的管辖范围内。"),
        (SHEET, 3, USCC, "该企业尚未登记：请在“企业”表中同时填写该企业。"),
    }
    assert not EnterpriseRecord.objects.exists()


def test_the_filled_template_writes_every_assessment_and_reads_back_unchanged(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    EnterpriseRecord.objects.create(
        enterprise=city["a"],
        has_incident_record=True,
        is_seriously_dishonest=False,
        rd_management_4=4,
        expert_scores=[72, 80, 76],
        market_share=Decimal("0.0734"),
        chain_field="gap_filling",
        platform_score=Decimal("61.05"),
        is_little_giant_renewal=True,
    )
    client = signed_in(users[Role.DISTRICT_OFFICER])
    content = client.get(reverse("imports:template") + "?filled=1").content
    ws = openpyxl.load_workbook(io.BytesIO(content))[SHEET]
    row = dict(zip((str(c.value).rstrip("*") for c in ws[1]), (c.value for c in ws[2]), strict=True))
    assert ws.max_row == 2 and row[USCC] == city["a"].uscc
    assert (row["各位专家的总分（0–100 分）"], row["主导产品所属领域"], row["列入严重违法失信名单"]) == (
        "72、80、76",
        "补短板",
        "否",
    )
    assert row["知识产权：技术的先进程度（0–8 分）"] is None  # unknown stays blank, never 0
    batch = uploaded(client, content)
    assert batch.status == ImportBatch.Status.CHECKED and batch.problems == []
    assert batch.summary[-1] == {"sheet": SHEET, "rows": 1, "create": 0, "update": 0, "unchanged": 1, "invalid": 0}
    assert batch.importable_count == 0

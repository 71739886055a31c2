"""The Excel import as an officer uses it: template, upload, preview with every problem by sheet, row and column,
commit all or only the valid rows, and nothing written when the file is refused."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import Role, User
from gaoqi.core.models import AuditEntry
from gaoqi.imports.models import ImportBatch
from gaoqi.imports.tests.helpers import filled_template, headers, workbook
from gaoqi.registry.models import Certificate, Enterprise, EnterpriseRecord, IPItem, YearlyFigures
from gaoqi.rules.synthetic import uscc_for

NEW = uscc_for("440703", 101)
OTHER_NEW = uscc_for("440703", 102)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, content: bytes, name: str = "企业数据.xlsx") -> Any:
    return client.post(reverse("imports:index"), {"file": SimpleUploadedFile(name, content)})


def uploaded(client: Client, content: bytes) -> ImportBatch:
    response = upload(client, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def problems(batch: ImportBatch) -> set[tuple[str, int | None, str, str]]:
    return {(p["sheet"], p["row"], p["column"], p["message"]) for p in batch.problems}


def commit(client: Client, batch: ImportBatch, mode: str = "all") -> ImportBatch:
    client.post(reverse("imports:commit", args=[batch.pk]), {"mode": mode})
    batch.refresh_from_db()
    return batch


ENTERPRISE = {
    "统一社会信用代码": NEW,
    "企业名称": "江门新芯科技有限公司",
    "所在区县": "蓬江区",
    "成立日期": date(2016, 3, 1),
    "行业代码": "C39",
    "重点支持的高新技术领域": "电子信息",
    "所得税征收方式": "查账征收",
}
YEAR_2024 = {
    "统一社会信用代码": NEW,
    "会计年度": 2024,
    "销售收入（元）": 52_000_000,
    "研究开发费用（高企口径）（元）": 2_600_000.55,
    "职工总数（年均数）（人）": 120,
    "科技人员（年均数）（人）": 18.5,
}


# --------------------------------------------------------------------------------------------------------- template


def test_template_has_instructions_units_and_drop_downs(users: dict[str, User]) -> None:
    response = signed_in(users[Role.DISTRICT_OFFICER]).get(reverse("imports:template"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "填写说明",
        *("企业", "年度数据", "知识产权", "资质证书", "研发机构", "科技奖励", "标准", "股权融资", "重大事故或违法行为"),
        "企业评价与名单信息",
        "代码表",
    ]
    instructions = "\n".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "金额单位为元" in instructions and "万元" in instructions and "空白单元格表示“不修改”" in instructions
    assert [str(c.value) for c in book["企业"][1]][:3] == ["统一社会信用代码*", "企业名称*", "所在区县*"]
    assert "销售收入（元）" in [c.value for c in book["年度数据"][1]]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in book["企业"].data_validations.dataValidation}
    assert "代码表" in lists["C2"] and "代码表" in lists["F2"]  # district and domain drop-downs
    # a district officer's template offers only their own district
    codes = book["代码表"]
    districts = [codes.cell(row=r, column=1).value for r in range(2, 10) if codes.cell(row=r, column=1).value]
    assert districts == ["蓬江区"]


def test_only_registry_keepers_may_import(users: dict[str, User]) -> None:
    for role in (Role.ENTERPRISE, Role.AGENCY, Role.MENTOR, Role.AUDITOR):
        client = signed_in(users[role])
        assert client.get(reverse("imports:index")).status_code == 403
        assert upload(client, filled_template({"企业": [ENTERPRISE]})).status_code == 403
    assert not Enterprise.objects.filter(uscc=NEW).exists()


# ------------------------------------------------------------------------------------------------ the happy path


def test_import_creates_then_reimport_changes_nothing_then_an_update_updates(users: dict[str, User]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    client = signed_in(officer)
    ip = {"统一社会信用代码": NEW, "知识产权类型": "发明专利", "编号": "ZL202310000001.1", "授权日期": date(2023, 6, 1)}
    certificate = {"统一社会信用代码": NEW, "资质": "科技型中小企业", "发证（认定）日期": date(2024, 5, 10)}
    content = filled_template(
        {"企业": [ENTERPRISE], "年度数据": [YEAR_2024], "知识产权": [ip], "资质证书": [certificate]}
    )
    batch = uploaded(client, content)
    assert batch.status == ImportBatch.Status.CHECKED and batch.problems == []
    assert {row["sheet"]: row["create"] for row in batch.summary} == {
        "企业": 1,
        "年度数据": 1,
        "知识产权": 1,
        "资质证书": 1,
    }
    assert not Enterprise.objects.filter(uscc=NEW).exists()  # the preview writes nothing

    assert commit(client, batch).status == ImportBatch.Status.COMMITTED
    enterprise = Enterprise.objects.get(uscc=NEW)
    assert (enterprise.name, enterprise.region_code, enterprise.hnte_domain) == ("江门新芯科技有限公司", "440703", 1)
    figures = enterprise.yearly_figures.get(year=2024)
    assert figures.rd_expense == Decimal("2600000.55") and figures.staff_st == Decimal("18.5")
    assert figures.operating_revenue is None  # a blank cell is unknown, never zero
    assert enterprise.ip_items.get().number == "ZL202310000001.1"
    assert enterprise.certificates.get().program == Certificate.Program.TSME
    assert AuditEntry.objects.filter(action="years.import", enterprise_id=enterprise.pk, actor=officer).exists()
    assert AuditEntry.objects.filter(action="import.commit", target_id=str(batch.pk)).exists()

    again = uploaded(client, content)
    assert again.importable_count == 0
    assert {row["sheet"]: row["unchanged"] for row in again.summary} == {
        "企业": 1,
        "年度数据": 1,
        "知识产权": 1,
        "资质证书": 1,
    }
    response = client.get(reverse("imports:detail", args=[again.pk]))
    assert "无需导入" in response.content.decode() and "确认导入（" not in response.content.decode()
    entries = AuditEntry.objects.count()
    assert (
        "没有需要导入的行"
        in client.post(reverse("imports:commit", args=[again.pk]), {"mode": "all"}, follow=True).content.decode()
    )
    assert AuditEntry.objects.count() == entries

    updated = filled_template({"年度数据": [{**YEAR_2024, "销售收入（元）": 53_000_000}]})
    third = commit(client, uploaded(client, updated))
    assert third.written == {"年度数据": {"created": 0, "updated": 1}}
    figures.refresh_from_db()
    assert figures.sales_revenue == Decimal("53000000") and figures.rd_expense == Decimal("2600000.55")
    entry = AuditEntry.objects.filter(action="years.import").latest("id")
    assert entry.changes == {"sales_revenue": ["52000000.00", "53000000"]} or list(entry.changes) == ["sales_revenue"]
    assert YearlyFigures.objects.filter(enterprise=enterprise).count() == 1


def test_amounts_in_ten_thousands_are_converted_exactly(users: dict[str, User]) -> None:
    client = signed_in(users[Role.BUREAU_OFFICER])
    rows: list[list[Any]] = [
        [*headers("年度数据")[:2], "销售收入（万元）", "净利润（万元）"],
        [NEW, 2024, 5200.1234, "-12.5"],
    ]
    content = workbook({"企业": [headers("企业")[:3], [NEW, "新企业", "440703"]], "年度数据": rows})
    batch = commit(signed_in(users[Role.BUREAU_OFFICER]), uploaded(client, content))
    assert batch.status == ImportBatch.Status.COMMITTED, batch.problems
    figures = YearlyFigures.objects.get(enterprise__uscc=NEW)
    assert figures.sales_revenue == Decimal("52001234.00") and figures.net_profit == Decimal("-125000")


# ----------------------------------------------------------------------------------------------------- problems


def test_every_problem_is_named_by_sheet_row_and_column(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    bad_checksum = NEW[:-1] + ("0" if NEW[-1] != "0" else "1")
    content = filled_template(
        {
            "企业": [
                {**ENTERPRISE},
                {**ENTERPRISE, "企业名称": "重复的行"},
                {**ENTERPRISE, "统一社会信用代码": bad_checksum, "所在区县": "火星区", "行业代码": "C99"},
                {"统一社会信用代码": OTHER_NEW, "所在区县": "蓬江区"},
            ],
            "年度数据": [
                {**YEAR_2024, "销售收入（元）": "五千万"},
                {**YEAR_2024, "会计年度": 2015},
                {**YEAR_2024, "会计年度": 2023, "科技人员（年均数）（人）": 130},
                {**YEAR_2024, "会计年度": 2022, "研发费用明细：人员人工费用（元）": 1000},
                {**YEAR_2024, "统一社会信用代码": uscc_for("440703", 555)},
            ],
            "资质证书": [
                {"统一社会信用代码": NEW, "资质": "高企", "发证（认定）日期": date(2024, 1, 1)},
                {
                    "统一社会信用代码": NEW,
                    "资质": "高新技术企业",
                    "发证（认定）日期": date(2024, 1, 1),
                    "有效期至": date(2023, 1, 1),
                },
            ],
        }
    )
    batch = uploaded(signed_in(users[Role.BUREAU_OFFICER]), content)
    found = problems(batch)
    expected = {
        ("企业", 3, "", "与第 2 行重复（统一社会信用代码相同）；同一项只能出现一次。"),
        ("企业", 4, "统一社会信用代码", "统一社会信用代码无效（校验位不符或含非法字符）。"),
        ("企业", 4, "所在区县", "未知的区县：请填本市所辖区县的名称（如 蓬江区）或 6 位行政区划代码。"),
        ("企业", 4, "行业代码", "《国民经济行业分类》（GB/T 4754-2017）中没有这个代码。"),
        ("企业", 5, "企业名称", "新登记的企业必须填写此项。"),
        ("年度数据", 2, "销售收入（元）", "应为数字（单位：元），不能是“五千万”。"),
        ("年度数据", 3, "会计年度", "会计年度早于企业成立年度（成立于 2016-03-01）。"),
        ("年度数据", 4, "科技人员（年均数）（人）", "科技人员数不能超过职工总数。"),
        ("年度数据", 5, "", "研究开发费用总额与明细只能二选一：填报明细时由系统按口径计算总额。"),
        ("年度数据", 6, "统一社会信用代码", "该企业尚未登记：请在“企业”表中同时填写该企业。"),
        (
            "资质证书",
            2,
            "资质",
            "“高企”不是可选值；可选：高新技术企业、科技型中小企业、创新型中小企业、专精特新中小企业、专精特新“小巨人”企业。",
        ),
        ("资质证书", 3, "有效期至", "有效期至不能早于发证日期。"),
    }
    assert expected <= found, found - expected
    assert batch.blocking_count == len(batch.problems)
    # the officer can read them on the page and take them away as a workbook
    client = signed_in(users[Role.BUREAU_OFFICER])
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "未知的区县" in page and "仅导入无问题的行（" in page and "确认导入（" not in page
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:problems", args=[batch.pk])).content)).active
    assert [c.value for c in sheet[1]] == ["工作表", "行", "列", "单元格内容", "问题", "是否须改正"]
    assert sheet.max_row == len(batch.problems) + 1


def test_a_file_with_errors_commits_nothing_unless_the_valid_rows_are_chosen(users: dict[str, User]) -> None:
    client = signed_in(users[Role.BUREAU_OFFICER])
    content = filled_template(
        {
            "企业": [ENTERPRISE, {**ENTERPRISE, "统一社会信用代码": OTHER_NEW, "所在区县": "火星区"}],
            "年度数据": [YEAR_2024, {**YEAR_2024, "统一社会信用代码": OTHER_NEW}],
        }
    )
    batch = uploaded(client, content)
    assert batch.blocking_count == 2
    response = client.post(reverse("imports:commit", args=[batch.pk]), {"mode": "all"}, follow=True)
    assert "文件中仍有须改正的问题" in response.content.decode()
    assert not Enterprise.objects.filter(uscc__in=[NEW, OTHER_NEW]).exists()

    batch = commit(client, batch, "valid_only")
    assert batch.written == {"企业": {"created": 1, "updated": 0}, "年度数据": {"created": 1, "updated": 0}}
    assert list(Enterprise.objects.filter(uscc__in=[NEW, OTHER_NEW]).values_list("uscc", flat=True)) == [NEW]
    assert ("年度数据", 3, "统一社会信用代码", "该企业在“企业”表第 3 行有问题，须先改正。") in problems(batch)


def test_missing_and_unknown_columns(users: dict[str, User]) -> None:
    content = workbook(
        {
            "企业": [["统一社会信用代码", "企业名称", "备注"], [NEW, "缺区县列"]],
            "年度数据": [["统一社会信用代码", "销售收入"], [NEW, 1]],
        }
    )
    batch = uploaded(signed_in(users[Role.BUREAU_OFFICER]), content)
    found = {(p["sheet"], p["column"], p["message"], p["blocking"]) for p in batch.problems}
    assert ("企业", "备注", "不是模板中的列名；本列将被忽略。", False) in found
    assert ("企业", "所在区县", "新登记的企业必须填写此项。", True) in found
    assert ("年度数据", "销售收入", "请在列名中注明单位，如“销售收入（元）”或“销售收入（万元）”。", True) in found
    assert ("年度数据", "会计年度（）", "缺少必需的列。", True) not in found
    assert ("年度数据", "会计年度", "缺少必需的列。", True) in found


def test_a_district_officer_imports_only_into_their_district(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    outside = city["c"]  # 新会区
    content = filled_template(
        {
            "企业": [{**ENTERPRISE, "所在区县": "新会区"}, {"统一社会信用代码": outside.uscc, "企业名称": "改名"}],
            "年度数据": [{**YEAR_2024, "统一社会信用代码": outside.uscc}],
        }
    )
    client = signed_in(users[Role.DISTRICT_OFFICER])
    batch = uploaded(client, content)
    assert ("企业", 2, "所在区县", "不在您的管辖范围内：区县工作人员只能导入本区县的企业。") in problems(batch)
    assert ("企业", 3, "统一社会信用代码", "该企业已登记在您的管辖范围之外，不能通过导入修改。") in problems(batch)
    assert ("年度数据", 2, "统一社会信用代码", "该企业不在您的管辖范围内。") in problems(batch)
    assert batch.importable_count == 0
    outside.refresh_from_db()
    assert outside.name == "丙科技"


def test_blank_cells_leave_stored_values_alone(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    a = city["a"]
    YearlyFigures.objects.create(enterprise=a, year=2024, sales_revenue=Decimal(100), total_assets=Decimal(500))
    content = filled_template({"年度数据": [{"统一社会信用代码": a.uscc, "会计年度": 2024, "销售收入（元）": 200}]})
    client = signed_in(users[Role.DISTRICT_OFFICER])
    commit(client, uploaded(client, content))
    figures = YearlyFigures.objects.get(enterprise=a, year=2024)
    assert (figures.sales_revenue, figures.total_assets) == (Decimal(200), Decimal(500))


def test_commit_checks_again_and_writes_nothing_if_the_registry_changed(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    a = city["a"]
    YearlyFigures.objects.create(enterprise=a, year=2024, staff_total=Decimal(100))
    content = filled_template(
        {
            "企业": [{"统一社会信用代码": a.uscc, "企业名称": "甲科技（新名）"}],
            "年度数据": [{"统一社会信用代码": a.uscc, "会计年度": 2024, "科技人员（年均数）（人）": 80}],
        }
    )
    client = signed_in(users[Role.DISTRICT_OFFICER])
    batch = uploaded(client, content)
    assert batch.blocking_count == 0
    YearlyFigures.objects.filter(enterprise=a).update(staff_total=Decimal(50))  # someone else, meanwhile
    batch = commit(client, batch)
    assert batch.status == ImportBatch.Status.CHECKED and "未导入任何数据" in batch.message
    assert ("年度数据", 2, "科技人员（年均数）（人）", "科技人员数不能超过职工总数。") in problems(batch)
    a.refresh_from_db()
    assert a.name == "甲科技"


# ------------------------------------------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("数据.xlsx", b"", "文件是空的"),
        ("数据.csv", b"a,b\n1,2\n", "只能上传 Excel 工作簿（.xlsx）"),
        ("数据.xlsx", "统一社会信用代码,企业名称\n".encode(), "只能上传 Excel 工作簿（.xlsx）"),
        ("数据.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
        ("数据.xlsx", b"PK\x03\x04" + b"\0" * 200, "文件已损坏"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_and_nothing_is_kept(
    users: dict[str, User], name: str, content: bytes, message: str
) -> None:
    response = upload(signed_in(users[Role.BUREAU_OFFICER]), content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_workbook_that_is_not_the_template_or_has_no_rows_is_rejected(users: dict[str, User]) -> None:
    client = signed_in(users[Role.BUREAU_OFFICER])
    other = uploaded(client, workbook({"Sheet1": [["名称"], ["甲"]]}))
    assert other.status == ImportBatch.Status.REJECTED and "没有找到模板中的工作表" in other.message
    empty = uploaded(client, filled_template({}))
    assert empty.status == ImportBatch.Status.REJECTED and "没有数据行" in empty.message
    page = client.get(reverse("imports:detail", args=[empty.pk])).content.decode()
    assert "没有数据行" in page and "确认导入（" not in page


def test_a_huge_upload_is_refused(users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    from gaoqi.imports import forms

    monkeypatch.setattr(forms, "MAX_FILE_BYTES", 1000)
    response = upload(signed_in(users[Role.BUREAU_OFFICER]), filled_template({"企业": [ENTERPRISE]}))
    assert response.status_code == 400 and "文件过大" in response.content.decode()


def test_batches_of_other_users_are_not_found(users: dict[str, User]) -> None:
    batch = uploaded(signed_in(users[Role.DISTRICT_OFFICER]), filled_template({"企业": [ENTERPRISE]}))
    other = signed_in(users[Role.BUREAU_OFFICER])
    for name in ("imports:detail", "imports:progress", "imports:problems"):
        assert other.get(reverse(name, args=[batch.pk])).status_code == 404
    assert other.post(reverse("imports:commit", args=[batch.pk]), {"mode": "all"}).status_code == 404
    assert signed_in(users[Role.ADMINISTRATOR]).get(reverse("imports:detail", args=[batch.pk])).status_code == 200
    assert IPItem.objects.count() == 0


def test_stored_data_exported_as_the_template_reimports_unchanged(users: dict[str, User], settings: Any) -> None:
    """The round trip an officer relies on: download the district's data, edit one cell, upload — one update."""
    from gaoqi.registry.demo import demo_city_build

    settings.GAOQI_IMPORT_INLINE_ROWS = 100_000  # a district's file is large; the queue's own path is test_tasks'

    demo_city_build(size=60, as_of=date(2026, 6, 30))
    officer = users[Role.DISTRICT_OFFICER]
    client = signed_in(officer)
    response = client.get(reverse("imports:template") + "?filled=1")
    assert response.status_code == 200
    content = response.content
    in_scope = Enterprise.objects.filter(region_code=officer.region_code)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book["企业"].max_row - 1 == in_scope.count() > 0
    assert book["年度数据"].max_row - 1 == YearlyFigures.objects.filter(enterprise__in=in_scope).count()

    batch = uploaded(client, content)
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.problems == [] and batch.importable_count == 0, batch.problems[:5]
    assert sum(row["unchanged"] for row in batch.summary) == sum(row["rows"] for row in batch.summary)

    sheet = book["年度数据"]
    column = [c.value for c in sheet[1]].index("销售收入（元）") + 1
    sheet.cell(row=2, column=column, value=123_456_789.01)
    edited = io.BytesIO()
    book.save(edited)
    batch = commit(client, uploaded(client, edited.getvalue()))
    assert batch.status == ImportBatch.Status.COMMITTED, (batch.status, batch.message, batch.problems[:5])
    assert batch.written["年度数据"] == {"created": 0, "updated": 1}
    assert all(counts == {"created": 0, "updated": 0} for sheet, counts in batch.written.items() if sheet != "年度数据")
    exported = {ws.title for ws in book.worksheets if ws.max_row > 1 and ws.title not in ("填写说明", "代码表")}
    assert set(batch.written) == exported and {"研发机构", "标准"} <= exported  # the demo city has these lists too
    assert (
        book["企业评价与名单信息"].max_row - 1 == EnterpriseRecord.objects.filter(enterprise__in=in_scope).count() > 0
    )
    uscc, year = sheet.cell(row=2, column=1).value, sheet.cell(row=2, column=2).value
    assert YearlyFigures.objects.get(enterprise__uscc=uscc, year=year).sales_revenue == Decimal("123456789.01")


def test_an_unforeseen_failure_is_recorded_on_the_batch_not_a_server_error(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoqi.imports import services

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "check_workbook", broken)
    batch = uploaded(signed_in(users[Role.BUREAU_OFFICER]), filled_template({"企业": [ENTERPRISE]}))
    assert batch.status == ImportBatch.Status.REJECTED and "内部错误，未导入任何数据" in batch.message
    assert not Enterprise.objects.filter(uscc=NEW).exists()


def test_the_other_lists_import_with_their_own_keys(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    """Awards, standards, R&D institutions, equity financing and incidents: created once, unchanged the second time."""
    a = city["a"].uscc
    content = filled_template(
        {
            "研发机构": [{"统一社会信用代码": a, "级别": "省级", "机构名称": "甲科技工程技术研究中心"}],
            "科技奖励": [
                {
                    "统一社会信用代码": a,
                    "级别": "省部级",
                    "获奖年度": 2024,
                    "奖项名称": "科学技术进步奖",
                    "完成单位排名": 2,
                }
            ],
            "标准": [{"统一社会信用代码": a, "级别": "行业标准", "发布年度": 2023, "标准名称": "JB/T 1 精密零件"}],
            "股权融资": [
                {"统一社会信用代码": a, "实缴日期": date(2025, 3, 1), "投资机构": "江门创投", "实缴金额（元）": 5e6}
            ],
            "重大事故或违法行为": [
                {"统一社会信用代码": a, "发生日期": date(2025, 1, 5), "类型": "重大质量事故"},
                {"统一社会信用代码": a, "发生日期": date(2099, 1, 5), "类型": "火灾"},
            ],
        }
    )
    client = signed_in(users[Role.DISTRICT_OFFICER])
    batch = uploaded(client, content)
    assert problems(batch) == {
        ("重大事故或违法行为", 3, "类型", "“火灾”不是可选值；可选：重大安全事故、重大质量事故、严重环境违法行为。"),
        ("重大事故或违法行为", 3, "发生日期", "日期不能晚于今天。"),
    }
    batch = commit(client, batch, "valid_only")
    assert {sheet: counts["created"] for sheet, counts in batch.written.items()} == {
        "研发机构": 1,
        "科技奖励": 1,
        "标准": 1,
        "股权融资": 1,
        "重大事故或违法行为": 1,
    }
    enterprise = city["a"]
    assert enterprise.awards.get().rank == 2 and enterprise.equity_financing.get().amount == Decimal(5_000_000)
    assert enterprise.incidents.get().kind == "quality"
    assert AuditEntry.objects.filter(action="award.import", enterprise_id=enterprise.pk).exists()
    again = uploaded(client, content)
    assert again.importable_count == 0 and again.blocking_count == 2


@pytest.mark.parametrize("role", list(Role))
def test_the_import_is_offered_exactly_to_the_roles_that_may_use_it(role: Role, users: dict[str, User]) -> None:
    page = signed_in(users[role]).get(reverse("home")).content.decode()
    offered = role in (Role.BUREAU_OFFICER, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR)
    assert (f'href="{reverse("imports:index")}"' in page) is offered
    assert (f'href="{reverse("audit:list")}"' in page) is (role in (Role.AUDITOR, Role.ADMINISTRATOR))


def test_rd_entrusted_to_overseas_individuals_imports_and_exports_as_part_of_the_overseas_item(
    users: dict[str, User],
) -> None:
    overseas = "研发费用明细：委托境外研发（实际发生额）（元）"
    individuals = "研发费用明细：其中委托境外个人研发（实际发生额）（元）"
    row = {"统一社会信用代码": NEW, "会计年度": 2024, "研发费用明细：人员人工费用（元）": 900_000, overseas: 500_000}
    client = signed_in(users[Role.BUREAU_OFFICER])
    refused = uploaded(client, filled_template({"企业": [ENTERPRISE], "年度数据": [{**row, individuals: 500_001}]}))
    assert ("年度数据", 2, individuals, "委托境外个人研发费用不能超过委托境外研发费用。") in problems(refused)

    content = filled_template({"企业": [ENTERPRISE], "年度数据": [{**row, individuals: 200_000}]})
    assert commit(client, uploaded(client, content)).status == ImportBatch.Status.COMMITTED
    figures = YearlyFigures.objects.get(enterprise__uscc=NEW, year=2024)
    assert (figures.rd_entrusted_overseas, figures.rd_entrusted_overseas_individuals) == (500_000, 200_000)
    exported = client.get(reverse("imports:template") + "?filled=1").content
    sheet = openpyxl.load_workbook(io.BytesIO(exported))["年度数据"]
    column = [str(c.value).rstrip("*") for c in sheet[1]].index(individuals)
    assert [r[column] for r in sheet.iter_rows(min_row=2, values_only=True)] == [200_000]
    again = uploaded(client, exported)
    assert again.problems == [] and again.importable_count == 0

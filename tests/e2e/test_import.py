"""Importing the Excel template in a real browser: download it, fill it in with mistakes, read every problem by
sheet, row and column, fix the file, import it, and find the enterprise in the registry. The checks and the commit
run as tasks on the database-backed queue, with a worker beside the live server, as in production."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from gaoqi.accounts.models import User
from gaoqi.codes.services import codes_load
from gaoqi.imports.tests.worker import DATABASE_QUEUE, worker_running
from gaoqi.registry.models import Enterprise, YearlyFigures
from gaoqi.rules.synthetic import uscc_for
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
NEW = uscc_for("440703", 301)


def fill(template: bytes, rows: dict[str, list[dict[str, Any]]]) -> bytes:
    """What the officer does in Excel: rows typed under the template's headers."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    for sheet, records in rows.items():
        ws = book[sheet]
        printed = [str(cell.value).rstrip("*") for cell in ws[1]]
        for record in records:
            ws.append([record.get(header) for header in printed])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def task_worker(settings: Any) -> Iterator[None]:
    """The queue as in production, and a worker polling it beside the live server until the test ends."""
    settings.TASKS = DATABASE_QUEUE
    with worker_running():
        yield


def upload(page: Page, content: bytes, name: str) -> None:
    page.get_by_label("选择填好的导入模板（.xlsx）").set_input_files(
        {
            "name": name,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": content,
        }
    )
    page.get_by_role("button", name="上传并校验").click()


def test_import_with_errors_then_fixed(
    page: Page, live_server: LiveServer, users: dict[str, User], screenshots: Path, settings: Any, task_worker: None
) -> None:
    settings.GAOQI_IMPORT_INLINE_ROWS = 0  # every file goes to the queue: the page shows progress, then the preview
    codes_load()  # a browser test's database is emptied after each test, code tables included
    sign_in(page, live_server, "district_officer")
    page.get_by_role("list", name="主菜单").get_by_role("link", name="Excel 导入").click()
    expect(page.get_by_role("heading", name="Excel 导入")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载导入模板").click()
    template = Path(download.value.path()).read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(template)).sheetnames[0] == "填写说明"

    enterprise = {
        "统一社会信用代码": NEW,
        "企业名称": "江门导入测试科技有限公司",
        "所在区县": "蓬江区",
        "成立日期": date(2017, 4, 1),
    }
    year = {"统一社会信用代码": NEW, "会计年度": 2024, "销售收入（元）": 30_000_000, "职工总数（年均数）（人）": 80}
    wrong = fill(
        template,
        {
            "企业": [{**enterprise, "所在区县": "新会区"}],
            "年度数据": [{**year, "销售收入（元）": "三千万"}, {**year, "会计年度": 2016}],
        },
    )
    upload(page, wrong, "企业数据.xlsx")
    verdict = page.locator("#import-verdict")
    expect(verdict).to_contain_text("须改正的问题")
    problems = page.locator("table.import-problems")
    expect(problems).to_contain_text("不在您的管辖范围内")
    expect(problems.locator("tr", has_text="三千万")).to_contain_text("销售收入（元）")
    expect(problems.locator("tr", has_text="三千万")).to_contain_text("应为数字")
    expect(problems).to_contain_text("会计年度早于企业成立年度")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)  # a file with errors is not imported whole
    page.screenshot(path=screenshots / "import-problems.png", full_page=True)
    assert not Enterprise.objects.filter(uscc=NEW).exists()

    page.get_by_role("list", name="主菜单").get_by_role("link", name="Excel 导入").click()
    expect(page.locator("table.import-batches")).to_contain_text("企业数据.xlsx")
    page.screenshot(path=screenshots / "import-index.png", full_page=True)
    fixed = fill(template, {"企业": [enterprise], "年度数据": [year, {**year, "会计年度": 2023}]})
    upload(page, fixed, "企业数据（改正）.xlsx")
    expect(page.locator("#import-verdict")).to_contain_text("校验通过：3 行将新增或更新")
    page.screenshot(path=screenshots / "import-preview.png", full_page=True)
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-written")).to_contain_text("企业 新增 1、更新 0；年度数据 新增 2、更新 0")
    page.screenshot(path=screenshots / "import-done.png", full_page=True)

    page.get_by_role("link", name="查看企业库").click()
    page.get_by_label("企业名称或统一社会信用代码").fill("导入测试")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="江门导入测试科技有限公司").click()
    expect(page.get_by_role("main")).to_contain_text(NEW)
    assert YearlyFigures.objects.filter(enterprise__uscc=NEW).count() == 2
    # the worker did all of it: two checks and a commit
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 3


def test_a_file_that_is_not_excel_gets_a_clear_message(
    page: Page, live_server: LiveServer, users: dict[str, User]
) -> None:
    sign_in(page, live_server, "bureau_officer")
    page.goto(f"{live_server.url}/imports/")
    upload(page, "统一社会信用代码,企业名称\n".encode(), "名单.xlsx")
    expect(page.locator("#upload-errors")).to_contain_text("只能上传 Excel 工作簿（.xlsx）")

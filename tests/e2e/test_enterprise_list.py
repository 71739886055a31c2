"""The enterprise list in a real browser: a bureau officer filters by district, certificate, industry and name,
reads the count, pages through, and exports — the downloaded workbook holds exactly the filtered enterprises."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from gaoqi.accounts.models import User
from gaoqi.codes.models import Region
from gaoqi.codes.services import codes_load
from gaoqi.registry.models import Certificate, Enterprise
from gaoqi.rules.synthetic import uscc_for
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

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


@pytest.fixture
def registry(city: dict[str, Enterprise], users: dict[str, User]) -> dict[str, set[str]]:
    """Enterprises that a filter on 蓬江区 + valid HNTE + "智造" must tell apart, by unified social credit code.

    55 match (more than a page of 50), 5 of them in software (I65); the others each miss one condition: another
    district, an expired certificate, no certificate, or a name without "智造".
    """
    if not Region.objects.exists():  # the browser tests' database is emptied between tests, code tables included
        codes_load()
    today = timezone.localdate()
    valid, expired = today - timedelta(days=365), today - timedelta(days=4 * 365)
    groups = {
        "match": [("440703", f"江门蓬江智造科技有限公司{n:02d}", "C3989", valid) for n in range(1, 51)],
        "software": [("440703", f"江门蓬江智造软件有限公司{n:02d}", "I6513", valid) for n in range(1, 6)],
        "other_district": [("440705", f"江门新会智造科技有限公司{n:02d}", "C3989", valid) for n in range(1, 4)],
        "expired": [("440703", f"江门蓬江智造材料有限公司{n:02d}", "C3989", expired) for n in range(1, 4)],
        "uncertified": [("440703", f"江门蓬江智造机械有限公司{n:02d}", "C3989", None) for n in range(1, 4)],
        "other_name": [("440703", f"江门蓬江电子有限公司{n:02d}", "C3989", valid) for n in range(1, 4)],
    }
    usccs: dict[str, set[str]] = {}
    serial = 100
    for group, rows in groups.items():
        usccs[group] = set()
        for region, name, industry, issued in rows:
            serial += 1
            enterprise = Enterprise.objects.create(
                uscc=uscc_for(region, serial), name=name, region_code=region, industry_code=industry, hnte_domain=1
            )
            if issued is not None:
                Certificate.objects.create(enterprise=enterprise, program="hnte", issued_on=issued)
            usccs[group].add(enterprise.uscc)
    return usccs


def export(page: Page, screenshots: Path, name: str) -> list[tuple[object, ...]]:
    """Click 导出Excel, keep the download, and read its rows."""
    with page.expect_download() as download:
        page.get_by_role("button", name="导出Excel").click()
    path = screenshots / name
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".xlsx")
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


def test_a_bureau_officer_filters_pages_and_exports_the_list(
    page: Page, live_server: LiveServer, registry: dict[str, set[str]], screenshots: Path
) -> None:
    sign_in(page, live_server, "bureau_officer")
    page.get_by_role("list", name="主菜单").get_by_role("link", name="企业库").click()
    total = 3 + sum(len(group) for group in registry.values())
    expect(page.get_by_text(f"共 {total} 家企业，第 1/2 页。")).to_be_visible()

    # district, certificate status and a name search
    page.get_by_label("所在区县").select_option(label="蓬江区")
    page.locator("select[name=certificate]").select_option(label="有效的高新技术企业")
    page.get_by_label("企业名称或统一社会信用代码").fill("智造")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 55 家企业，第 1/2 页。")).to_be_visible()
    rows = page.locator("table.enterprise-list tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("江门蓬江智造科技有限公司01")
    expect(rows.first).to_contain_text("蓬江区")
    expect(rows.first).to_contain_text("高新技术企业")
    page.screenshot(path=screenshots / "enterprise-list-filtered.png", full_page=False)

    # the second page holds the last five, and the filters stay applied
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_text("共 55 家企业，第 2/2 页。")).to_be_visible()
    expect(rows).to_have_count(5)
    expect(page.get_by_label("企业名称或统一社会信用代码")).to_have_value("智造")
    shown = set(page.locator("table.enterprise-list tbody tr td:nth-child(2)").all_inner_texts())
    assert shown <= registry["match"] | registry["software"] and len(shown) == 5

    # the export holds every page of exactly the filtered enterprises, not only the page shown
    sheet = export(page, screenshots, "enterprise-list-filtered.xlsx")
    assert sheet[0] == EXPORT_HEADERS
    assert {row[0] for row in sheet[1:]} == registry["match"] | registry["software"]
    assert len(sheet) == 1 + 55
    assert all(row[2] == "蓬江区" and row[6] == "高新技术企业" and "智造" in row[1] for row in sheet[1:])

    # narrowed further by industry: only the five software companies
    page.get_by_label("行业大类").select_option(value="I65")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 5 家企业。")).to_be_visible()
    expect(rows).to_have_count(5)
    expect(page.get_by_role("link", name="下一页")).to_have_count(0)
    page.screenshot(path=screenshots / "enterprise-list-industry.png", full_page=True)
    sheet = export(page, screenshots, "enterprise-list-industry.xlsx")
    assert {row[0] for row in sheet[1:]} == registry["software"]
    assert all(row[3] == "I6513" for row in sheet[1:])


def test_clearing_the_filters_shows_the_whole_city_again(
    page: Page, live_server: LiveServer, registry: dict[str, set[str]], screenshots: Path
) -> None:
    sign_in(page, live_server, "bureau_officer")
    page.goto(f"{live_server.url}/enterprises/?district=440705&q=智造")
    expect(page.get_by_text("共 3 家企业。")).to_be_visible()
    sheet = export(page, screenshots, "enterprise-list-district.xlsx")
    assert {row[0] for row in sheet[1:]} == registry["other_district"]
    page.get_by_role("button", name="清除条件").click()
    total = 3 + sum(len(group) for group in registry.values())
    expect(page.get_by_text(f"共 {total} 家企业，第 1/2 页。")).to_be_visible()

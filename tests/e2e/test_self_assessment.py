"""Self-assessment in a real browser: an enterprise user starts from its own registry data, reads every program's
conditions and the score chart, tries a what-if, saves, prints — and reaches nothing of any other enterprise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from gaoqi.accounts.models import User
from gaoqi.assessments.forms import UNKNOWN_USCC
from gaoqi.assessments.models import SavedAssessment
from gaoqi.assessments.selectors import PICKER_SELECT_MAX
from gaoqi.assessments.services import assessment_save
from gaoqi.registry.facts import enterprise_document
from gaoqi.registry.models import Enterprise, EnterpriseRecord, IPItem, YearlyFigures
from gaoqi.rules.programs import PROGRAMS as RULES
from gaoqi.rules.synthetic import uscc_for
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

AS_OF = "2025-06-30"
RD_RATIO = "近三个会计年度研究开发费用总额占同期销售收入总额的比例"
PROGRAMS = [program.label for program in RULES.values()]  # 高新技术企业认定, 科技型中小企业评价, …
# 丙科技's last three fiscal years: R&D 5,500,000 of 122,000,000 sales is 4.51 %, 600,000 yuan short of the 5 % band
# (sales of the latest year up to 50,000,000); staff, high-tech income and IP are comfortably within the conditions.
YEARS = {
    2022: {"sales_revenue": 30_000_000, "rd_expense": 1_500_000, "staff_total": 52, "staff_st": 9},
    2023: {"sales_revenue": 42_000_000, "rd_expense": 2_000_000, "staff_total": 56, "staff_st": 10},
    2024: {"sales_revenue": 50_000_000, "rd_expense": 2_000_000, "staff_total": 60, "staff_st": 12},
}


@pytest.fixture
def stored(city: dict[str, Enterprise], users: dict[str, User]) -> dict[str, SavedAssessment]:
    """丙科技 (the enterprise user's own) with three years of figures, IP and records in the registry; and a saved
    assessment of 甲科技, another enterprise, that the enterprise user must not reach."""
    own = city["c"]
    Enterprise.objects.filter(pk=own.pk).update(
        registered_on=date(2015, 3, 18), industry_code="C3989", hnte_domain=1, is_strategic_emerging=True, is_sme=True
    )
    for year, figures in YEARS.items():
        total = figures["sales_revenue"] + 1_000_000
        YearlyFigures.objects.create(
            enterprise=own,
            year=year,
            **{name: Decimal(value) for name, value in figures.items()},
            total_income=Decimal(total),
            hightech_income=Decimal(figures["sales_revenue"] * 7 // 10),
            total_assets=Decimal(80_000_000),
            total_liabilities=Decimal(30_000_000),
        )
    IPItem.objects.create(
        enterprise=own, kind="invention_patent", count=2, granted_on=date(2021, 5, 11), acquired="self",
        is_core_to_main_product=True,
    )  # fmt: skip
    IPItem.objects.create(enterprise=own, kind="software_copyright", count=5, granted_on=date(2022, 8, 2))
    EnterpriseRecord.objects.create(
        enterprise=own, has_certificate_record=True, has_incident_record=True, is_on_abnormal_list=False,
        is_seriously_dishonest=False,
    )  # fmt: skip
    other = {"as_of": AS_OF, "enterprise": {"registered_on": "2019-04-02"}, "years": {"2024": {"sales_revenue": "9"}}}
    return {"other": assessment_save(document=other, enterprise=city["a"], created_by=users["bureau_officer"])}


def criterion(scope: Locator, program: str, label: str) -> Locator:
    """The row of one condition of one program in a results section (the page's own, or the what-if's)."""
    return scope.locator(f"article.program[id$='-{program}'] table.criteria tr").filter(has_text=label)


def test_an_enterprise_assesses_itself_tries_a_what_if_saves_and_prints(
    page: Page, live_server: LiveServer, stored: dict[str, SavedAssessment], screenshots: Path
) -> None:
    sign_in(page, live_server, "enterprise")
    page.get_by_role("link", name="资质自评（查漏补缺）").click()
    page.get_by_role("button", name="新建自评").click()

    # start from the stored data of its own enterprise, on a fixed evaluation date
    expect(page.locator("#prefill-enterprise")).to_have_value(str(Enterprise.objects.get(name="丙科技").pk))
    page.locator("#prefill-as-of").fill(AS_OF)
    page.get_by_role("button", name="从企业库数据开始").click()
    expect(page.get_by_text("已从企业库带入 丙科技 的数据")).to_be_visible()
    expect(page.get_by_label("第3年 研究开发费用总额（元，高企口径）")).to_have_value("2000000")
    expect(page.get_by_label("第1年 销售收入（元）")).to_have_value("30000000")
    page.screenshot(path=screenshots / "assessment-prefilled.png", full_page=False)
    page.get_by_role("button", name="开始评价").click()

    # every program's outcome, and for each condition: value, requirement, outcome, gap, citation
    results = page.locator("#results")
    expect(results.locator("table.summary tbody tr")).to_have_count(len(PROGRAMS))
    for label in PROGRAMS:
        expect(results.locator("table.summary")).to_contain_text(label)
    rd = criterion(results, "hnte", RD_RATIO).locator("td")
    expect(rd).to_have_count(5)  # outcome, value, requirement, gap, citation
    expect(rd.nth(0)).to_have_text("✘ 不符合")
    expect(rd.nth(1)).to_have_text("4.51%")
    expect(rd.nth(2)).to_have_text("≥ 5%")
    expect(rd.nth(3)).to_have_text("还需增加 600,000 元")
    expect(rd.nth(4)).to_contain_text("国科发火〔2016〕32号 第十一条（五）")
    staff = criterion(results, "hnte", "科技人员占当年职工总数的比例").locator("td")
    expect(staff.nth(0)).to_have_text("✔ 符合")
    expect(staff.nth(1)).to_have_text("20%")  # 12 of 60
    expect(criterion(results, "hnte", "核心技术属于").locator("td").nth(1)).to_have_text("一、电子信息")
    expect(results.locator("table.criteria tr.undetermined").first).to_contain_text("缺少数据")
    # the innovation score's four parts, drawn by ECharts
    chart = results.locator("#results-hnte .score-chart")
    expect(chart.locator("svg")).to_be_visible()
    expect(chart).to_contain_text("知识产权")
    page.screenshot(path=screenshots / "assessment-results.png")
    results.locator("#results-hnte").screenshot(path=screenshots / "assessment-results-hnte.png")

    # what-if: 300,000 more R&D in 2024 halves the gap; 600,000 more closes it — re-evaluated as typed
    panel = page.locator("article.what-if")
    what_if = page.locator("#what-if-results")
    expect(panel.get_by_role("heading", name="模拟测算")).to_be_visible()
    expect(panel.get_by_label("研究开发费用（元）")).to_have_value("2000000")  # the 2024 figure to start from
    panel.get_by_label("研究开发费用（元）").fill("2300000")
    rd_what_if = criterion(what_if, "hnte", RD_RATIO).locator("td")
    expect(rd_what_if.nth(3)).to_have_text("还需增加 300,000 元")
    expect(rd_what_if.nth(1)).to_have_text("4.75%")  # 5,800,000 of 122,000,000
    expect(rd.nth(3)).to_have_text("还需增加 600,000 元")  # the result above stays as it was
    panel.get_by_label("研究开发费用（元）").fill("2600000")
    expect(rd_what_if.nth(0)).to_have_text("✔ 符合")
    expect(rd_what_if.nth(1)).to_have_text("5%")  # exactly on the threshold, which is included
    expect(rd_what_if.nth(3)).to_have_text("—")
    expect(what_if.locator(".what-if-summary")).to_contain_text("高新技术企业认定：不符合 → 暂无法判定")
    panel.evaluate("element => element.scrollIntoView()")
    page.screenshot(path=screenshots / "assessment-what-if.png")
    what_if.locator("#what-if-hnte").screenshot(path=screenshots / "assessment-what-if-hnte.png")

    # save, then print
    page.get_by_role("button", name="保存自评结果（丙科技）").click()
    expect(page.get_by_role("status")).to_have_text("自评结果已保存。")
    expect(page.get_by_role("heading", name="丙科技 自评结果")).to_be_visible()
    saved = SavedAssessment.objects.get(enterprise__name="丙科技")
    assert saved.document["years"]["2024"]["rd_expense"] == "2000000"  # the what-if is not what was saved
    page.get_by_role("button", name="打印报告").click()
    expect(page.get_by_role("heading", name="丙科技 资质条件自评报告")).to_be_visible()
    report = page.locator("article.report")
    for label in PROGRAMS:
        expect(report.locator("table.summary")).to_contain_text(label)
    expect(report).to_contain_text(saved.enterprise.uscc)
    expect(report).to_contain_text("还需增加 600,000 元")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation").first).to_be_hidden()
    page.screenshot(path=screenshots / "assessment-report.png", full_page=True)
    page.emulate_media(media="screen")

    # the saved assessments, in the list and in its Excel export: its own one, and no other enterprise's
    page.get_by_role("link", name="返回自评结果").click()
    page.get_by_role("list", name="主菜单").get_by_role("link", name="资质自评").click()
    expect(page.get_by_text("共 1 份。")).to_be_visible()
    page.screenshot(path=screenshots / "assessment-list.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出Excel").click()
    download.value.save_as(screenshots / "assessment-list.xlsx")
    header, *rows = openpyxl.load_workbook(screenshots / "assessment-list.xlsx").active.iter_rows(values_only=True)
    assert header[:4] == ("企业", "统一社会信用代码", "评价日期", "高新技术企业认定")
    assert [row[:4] for row in rows] == [("丙科技", saved.enterprise.uscc, AS_OF, "不符合")]


def test_an_officer_finds_the_enterprise_by_searching_in_a_large_city(
    page: Page, live_server: LiveServer, stored: dict[str, SavedAssessment], screenshots: Path
) -> None:
    """More enterprises than a drop-down can hold: the officer types part of a name, picks the match, and goes on
    from its registry data to the results and a what-if, as the enterprise does."""
    Enterprise.objects.bulk_create(
        Enterprise(uscc=uscc_for("440704", 100 + n), name=f"江门市江海测试{n:03d}电子有限公司", region_code="440704")
        for n in range(PICKER_SELECT_MAX + 10)
    )
    sign_in(page, live_server, "bureau_officer")
    page.goto(f"{live_server.url}/assessments/new/")
    expect(page.locator("#prefill-enterprise")).to_have_count(0)  # no drop-down of every enterprise
    search = page.get_by_label("企业名称或统一社会信用代码")
    page.locator("#prefill-as-of").fill(AS_OF)

    search.fill("测试")  # too many: the first twenty, and a word to narrow it
    matches = page.locator("#prefill-matches")
    expect(matches.get_by_role("link")).to_have_count(20)
    expect(matches).to_contain_text("只列出前 20 家")
    search.fill("没有这家")
    expect(matches).to_contain_text("没有找到名称或统一社会信用代码含“没有这家”的企业")
    search.fill("丙科")
    expect(matches.get_by_role("link")).to_have_count(1)
    page.screenshot(path=screenshots / "assessment-officer-search.png", full_page=False)
    matches.get_by_role("link", name="丙科技").click()

    expect(page.get_by_text("已从企业库带入 丙科技 的数据")).to_be_visible()
    expect(page.locator("#linked-enterprise")).to_contain_text("丙科技")
    expect(page.get_by_label("第3年 研究开发费用总额（元，高企口径）")).to_have_value("2000000")
    page.locator("#section-basic").screenshot(path=screenshots / "assessment-officer-prefilled.png")
    page.get_by_role("button", name="开始评价").click()
    rd = criterion(page.locator("#results"), "hnte", RD_RATIO).locator("td")
    expect(rd.nth(3)).to_have_text("还需增加 600,000 元")
    page.locator("article.what-if").get_by_label("研究开发费用（元）").fill("2600000")
    expect(criterion(page.locator("#what-if-results"), "hnte", RD_RATIO).locator("td").nth(0)).to_have_text("✔ 符合")
    page.get_by_role("button", name="保存自评结果（丙科技）").click()
    expect(page.get_by_role("status")).to_have_text("自评结果已保存。")
    assert SavedAssessment.objects.filter(enterprise__name="丙科技", created_by__username="bureau_officer").count() == 1


def test_a_district_officer_links_the_form_by_credit_code_within_the_district(
    page: Page, live_server: LiveServer, city: dict[str, Enterprise], users: dict[str, User], screenshots: Path
) -> None:
    sign_in(page, live_server, "district_officer")
    page.goto(f"{live_server.url}/assessments/new/")
    page.locator("#id_as_of").fill(AS_OF)
    code = page.get_by_label("关联企业库中的企业（统一社会信用代码，选填）")
    code.fill(city["c"].uscc)  # 新会区: outside the district, answered as if nobody had the code
    page.get_by_role("button", name="开始评价").click()
    expect(page.locator("#section-basic .field-error")).to_have_text(UNKNOWN_USCC)
    expect(page.locator("body")).not_to_contain_text("丙科技")
    page.locator("#section-basic").screenshot(path=screenshots / "assessment-uscc-refused.png")
    page.get_by_label("关联企业库中的企业（统一社会信用代码，选填）").fill(city["a"].uscc.lower())
    page.get_by_role("button", name="开始评价").click()
    page.get_by_role("button", name="保存自评结果（甲科技）").click()
    expect(page.get_by_role("status")).to_have_text("自评结果已保存。")
    assert SavedAssessment.objects.get().enterprise == city["a"]


def test_a_saved_assessment_reopens_in_the_form(
    page: Page, live_server: LiveServer, stored: dict[str, SavedAssessment], screenshots: Path
) -> None:
    own = Enterprise.objects.get(name="丙科技")
    saved = assessment_save(
        document=enterprise_document(own, as_of=date.fromisoformat(AS_OF)),
        enterprise=own,
        created_by=User.objects.get(username="enterprise"),
    )
    sign_in(page, live_server, "enterprise")
    page.goto(f"{live_server.url}{saved.get_absolute_url()}")
    page.screenshot(path=screenshots / "assessment-detail.png")
    page.get_by_role("button", name="在此基础上修改").click()
    expect(page.get_by_text("已带入 丙科技")).to_be_visible()
    expect(page.get_by_role("button", name="从企业库数据开始")).to_have_count(0)  # the saved data, not the registry's
    page.screenshot(path=screenshots / "assessment-revise-form.png")
    expect(page.get_by_label("第3年 研究开发费用总额（元，高企口径）")).to_have_value("2000000")
    page.get_by_label("第3年 研究开发费用总额（元，高企口径）").fill("2600000")
    page.get_by_role("button", name="开始评价").click()
    expect(criterion(page.locator("#results"), "hnte", RD_RATIO)).not_to_contain_text("还需增加")
    page.screenshot(path=screenshots / "assessment-revised.png", full_page=False)


def test_an_enterprise_user_reaches_nothing_of_another_enterprise(
    page: Page, live_server: LiveServer, city: dict[str, Enterprise], stored: dict[str, SavedAssessment]
) -> None:
    sign_in(page, live_server, "enterprise")
    other = stored["other"]
    for path in (
        f"/enterprises/{city['a'].pk}/",
        f"/assessments/{other.pk}/",
        f"/assessments/{other.pk}/report/",
        f"/assessments/{other.pk}/revise/",
        f"/assessments/new/?enterprise={city['a'].pk}&from=registry",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 404, path
        expect(page.locator("body")).not_to_contain_text("甲科技")
    page.goto(f"{live_server.url}/enterprises/")
    expect(page.locator("table.enterprise-list tbody tr")).to_have_count(1)
    expect(page.locator("table.enterprise-list")).to_contain_text("丙科技")
    page.goto(f"{live_server.url}/assessments/")
    expect(page.get_by_role("main")).not_to_contain_text("甲科技")


def test_a_district_officer_sees_only_their_district(
    page: Page, live_server: LiveServer, city: dict[str, Enterprise], users: dict[str, User], screenshots: Path
) -> None:
    sign_in(page, live_server, "district_officer")
    page.get_by_role("list", name="主菜单").get_by_role("link", name="企业库").click()
    expect(page.get_by_text("共 2 家企业。")).to_be_visible()
    rows = page.locator("table.enterprise-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="甲科技")).to_have_count(1)
    expect(rows.filter(has_text="乙科技")).to_have_count(1)
    expect(page.locator("table.enterprise-list")).not_to_contain_text("丙科技")
    response = page.goto(f"{live_server.url}/enterprises/{city['c'].pk}/")
    assert response is not None and response.status == 404
    page.screenshot(path=screenshots / "district-officer-not-found.png", full_page=False)


def test_on_a_phone_the_form_fits_the_screen_and_its_button_can_be_tapped(
    phone: Page, live_server: LiveServer, stored: dict[str, SavedAssessment], screenshots: Path
) -> None:
    """A table of three years' figures scrolls inside its section: the page itself is no wider than the screen (a
    fieldset wider than the phone made the whole page zoom out, and a tap on 开始评价 landed on another field)."""
    sign_in(phone, live_server, "enterprise")
    phone.goto(f"{live_server.url}/assessments/new/")
    phone.locator("#prefill-as-of").fill(AS_OF)
    phone.get_by_role("button", name="从企业库数据开始").click()
    expect(phone.get_by_text("已从企业库带入 丙科技 的数据")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="开始评价").click()
    expect(phone.locator("#results table.summary tbody tr")).to_have_count(len(PROGRAMS))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=screenshots / "assessment-phone.png")

"""Enterprise list, export and detail pages with the test client: scope, search, filters, the Excel export and the
万元 display — what an officer or an enterprise sees."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaoqi.accounts.models import User
from gaoqi.assessments.models import SavedAssessment
from gaoqi.registry.models import Certificate, Enterprise, IPItem, YearlyFigures
from gaoqi.registry.templatetags.registry_tags import wanyuan
from gaoqi.registry.views import EXPORT_HEADERS, PAGE_SIZE
from gaoqi.rules.programs.quality_sme import first_valid_issue
from gaoqi.rules.synthetic import uscc_for

SCOPES = {
    "bureau_officer": {"a", "b", "c"},
    "administrator": {"a", "b", "c"},
    "district_officer": {"a", "b"},
    "enterprise": {"c"},
    "agency": {"a"},
    "mentor": {"b"},
    "auditor": set(),
}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("registry:list"), params)
    assert response.status_code == 200
    return [row["enterprise"].name for row in response.context["rows"]]


def _exported(client: Client, **params: str) -> pl.DataFrame:
    response = client.get(reverse("registry:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return pl.read_excel(io.BytesIO(response.content), infer_schema_length=0)


@pytest.fixture
def officer(users: dict[str, User]) -> Client:
    return _client(users["bureau_officer"])


@pytest.fixture
def described(city: dict[str, Enterprise]) -> dict[str, Enterprise]:
    """The city with industries, domains and certificates: 甲 software/HNTE valid, 乙 HNTE expired, 丙 manufacturing."""
    today = timezone.localdate()
    a, b, c = city["a"], city["b"], city["c"]
    Enterprise.objects.filter(pk=a.pk).update(industry_code="I6513", hnte_domain=1)
    Enterprise.objects.filter(pk=b.pk).update(industry_code="I6420", hnte_domain=5)
    Enterprise.objects.filter(pk=c.pk).update(industry_code="C3989", hnte_domain=8)
    Certificate.objects.create(enterprise=a, program="hnte", issued_on=today - timedelta(days=400), number="GR1")
    expired = first_valid_issue(today, 3) - timedelta(days=1)  # valid until yesterday
    Certificate.objects.create(enterprise=b, program="hnte", issued_on=expired, number="GR2")
    Certificate.objects.create(enterprise=c, program="innovative_sme", issued_on=today - timedelta(days=30))
    return city


# ------------------------------------------------------------------------------------------------------------ scope


@pytest.mark.parametrize(("role", "names"), SCOPES.items())
def test_each_role_lists_exactly_its_enterprises(
    role: str, names: set[str], users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    assert set(_listed(_client(users[role]))) == {city[n].name for n in names}


@pytest.mark.parametrize(("role", "names"), SCOPES.items())
def test_a_guessed_id_outside_the_scope_is_404(
    role: str, names: set[str], users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users[role])
    for key, enterprise in city.items():
        response = client.get(reverse("registry:detail", args=[enterprise.pk]))
        assert response.status_code == (200 if key in names else 404), (role, key)


@pytest.mark.parametrize(("role", "names"), SCOPES.items())
def test_the_export_holds_only_the_scope(
    role: str, names: set[str], users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    exported = _exported(_client(users[role]))
    assert set(exported["企业名称"].to_list()) == {city[n].name for n in names}


def test_anonymous_users_are_sent_to_log_in(city: dict[str, Enterprise]) -> None:
    for url in (reverse("registry:list"), reverse("registry:export"), reverse("registry:detail", args=[city["a"].pk])):
        response = Client().get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


# ------------------------------------------------------------------------------------------------ search and filters


def test_search_by_name_or_uscc(officer: Client, city: dict[str, Enterprise]) -> None:
    assert _listed(officer, q="乙") == ["乙科技"]
    assert _listed(officer, q=city["c"].uscc) == ["丙科技"]
    assert _listed(officer, q=city["c"].uscc[-6:].lower()) == ["丙科技"]
    assert _listed(officer, q="不存在的企业") == []


def test_filter_by_district(officer: Client, city: dict[str, Enterprise]) -> None:
    assert sorted(_listed(officer, district="440703")) == sorted(["甲科技", "乙科技"])
    assert _listed(officer, district="440705") == ["丙科技"]
    assert _listed(officer, district="440785") == []


def test_filter_by_industry_section_and_division(officer: Client, described: dict[str, Enterprise]) -> None:
    assert sorted(_listed(officer, section="I")) == sorted(["甲科技", "乙科技"])
    assert _listed(officer, division="I65") == ["甲科技"]
    assert _listed(officer, section="C", division="C39") == ["丙科技"]
    assert _listed(officer, section="A") == []


def test_filter_by_priority_domain(officer: Client, described: dict[str, Enterprise]) -> None:
    assert _listed(officer, domain="5") == ["乙科技"]
    assert _listed(officer, domain="3") == []


def test_filter_by_valid_certificate(officer: Client, described: dict[str, Enterprise]) -> None:
    # 乙's HNTE certificate was issued three years ago tomorrow: it expired yesterday
    assert _listed(officer, certificate="hnte") == ["甲科技"]
    assert _listed(officer, certificate="innovative_sme") == ["丙科技"]
    assert _listed(officer, certificate="little_giant") == []


def test_filter_by_tier_takes_the_highest_step_on_each_ladder(
    officer: Client, described: dict[str, Enterprise]
) -> None:
    """甲 holds a valid HNTE certificate, 乙's has expired (nothing valid), 丙 is an innovative SME."""
    today = timezone.localdate()
    assert _listed(officer, tier="hnte") == ["甲科技"]
    assert _listed(officer, tier="none") == ["乙科技"]
    assert _listed(officer, tier="innovative_sme") == ["丙科技"]
    assert _listed(officer, tier="tsme") == []
    # a tech SME that is also an HNTE stands on the HNTE step, not on the tech-SME one
    Certificate.objects.create(enterprise=described["a"], program="tsme", issued_on=today - timedelta(days=10))
    Certificate.objects.create(enterprise=described["b"], program="tsme", issued_on=today - timedelta(days=10))
    assert _listed(officer, tier="tsme") == ["乙科技"]
    assert _listed(officer, tier="hnte") == ["甲科技"]
    # climbing the other ladder: an SRDI title lifts 丙 off the innovative step, a little-giant title off the SRDI one
    Certificate.objects.create(enterprise=described["c"], program="srdi_sme", issued_on=today - timedelta(days=5))
    assert (_listed(officer, tier="innovative_sme"), _listed(officer, tier="srdi_sme")) == ([], ["丙科技"])
    Certificate.objects.create(enterprise=described["c"], program="little_giant", issued_on=today)
    assert (_listed(officer, tier="srdi_sme"), _listed(officer, tier="little_giant")) == ([], ["丙科技"])
    assert _listed(officer, tier="none") == []


def test_a_stated_expiry_date_decides_validity(officer: Client, described: dict[str, Enterprise]) -> None:
    today = timezone.localdate()
    Certificate.objects.filter(number="GR2").update(expires_on=today)
    assert sorted(_listed(officer, certificate="hnte")) == sorted(["甲科技", "乙科技"])


def test_filters_combine_and_a_district_officer_stays_in_scope(
    users: dict[str, User], described: dict[str, Enterprise]
) -> None:
    district = _client(users["district_officer"])
    assert _listed(district, section="C") == []  # 丙 is manufacturing, but in 新会区
    assert _listed(district, section="I", certificate="hnte") == ["甲科技"]


def test_sort_by_name_both_ways(officer: Client, city: dict[str, Enterprise]) -> None:
    names = _listed(officer, sort="name")
    assert names == sorted(names)
    assert _listed(officer, sort="-name") == names[::-1]


def test_an_invalid_filter_value_is_ignored_not_an_error(officer: Client, city: dict[str, Enterprise]) -> None:
    assert len(_listed(officer, domain="99", district="x")) == 3


def test_pages_of_fifty(officer: Client, city: dict[str, Enterprise]) -> None:
    Enterprise.objects.bulk_create(
        Enterprise(uscc=uscc_for("440704", 100 + i), name=f"江海{i:03d}科技", region_code="440704") for i in range(60)
    )
    first = officer.get(reverse("registry:list"), {"district": "440704"})
    assert len(first.context["rows"]) == PAGE_SIZE
    assert first.context["total"] == 60
    second = officer.get(reverse("registry:list"), {"district": "440704", "page": "2"})
    assert [r["enterprise"].name for r in second.context["rows"]] == [f"江海{i:03d}科技" for i in range(50, 60)]
    assert "district=440704" in second.content.decode()  # page links keep the filters


# ----------------------------------------------------------------------------------------------------------- export


def test_export_holds_exactly_the_filtered_rows_on_every_page(
    officer: Client, described: dict[str, Enterprise]
) -> None:
    Enterprise.objects.bulk_create(
        Enterprise(uscc=uscc_for("440704", 100 + i), name=f"江海{i:03d}科技", region_code="440704") for i in range(60)
    )
    exported = _exported(officer, district="440704", sort="-name", page="1")
    assert exported.columns == list(EXPORT_HEADERS)
    assert exported["企业名称"].to_list() == [f"江海{i:03d}科技" for i in range(59, -1, -1)]
    assert set(exported["所在区县"].to_list()) == {"江海区"}

    hnte = _exported(officer, certificate="hnte")
    assert hnte.rows(named=True) == [
        {
            "统一社会信用代码": described["a"].uscc,
            "企业名称": "甲科技",
            "所在区县": "蓬江区",
            "行业代码": "I6513",
            "所属行业": "软件和信息技术服务业",
            "重点支持的高新技术领域": "电子信息",
            "有效资质": "高新技术企业",
            "成立日期": None,
        }
    ]


def test_the_export_button_carries_the_filters(officer: Client, city: dict[str, Enterprise]) -> None:
    page = officer.get(reverse("registry:list"), {"district": "440705", "q": "丙"}).content.decode()
    assert "导出Excel" in page
    assert f"{reverse('registry:export')}?district=440705&amp;q=" in page


# ----------------------------------------------------------------------------------------------------------- detail


@pytest.mark.parametrize(
    ("yuan", "shown"),
    [
        (12345678, "1,234.57"),
        (Decimal("12345678.00"), "1,234.57"),
        (Decimal("50"), "0.01"),  # half a fen of 万元 rounds up (四舍五入)
        (Decimal("49.99"), "0.00"),
        (0, "0.00"),
        (Decimal("-1234500"), "-123.45"),
        (Decimal("100000000000"), "10,000,000.00"),
        (None, "—"),  # unknown is not zero
    ],
)
def test_wanyuan_formats_yuan_as_ten_thousands(yuan: object, shown: str) -> None:
    assert wanyuan(yuan) == shown


def test_detail_shows_chinese_labels_figures_in_wanyuan_ip_and_certificates(
    officer: Client, described: dict[str, Enterprise]
) -> None:
    a = described["a"]
    for year, sales in ((2022, None), (2023, Decimal("12345678")), (2024, Decimal("20000000"))):
        YearlyFigures.objects.create(enterprise=a, year=year, sales_revenue=sales, staff_total=Decimal("42"))
    YearlyFigures.objects.create(enterprise=a, year=2021, sales_revenue=Decimal("1"))  # older than three years
    IPItem.objects.create(enterprise=a, kind="invention_patent", title="一种数据处理方法", number="ZL2023100001")
    page = officer.get(reverse("registry:detail", args=[a.pk])).content.decode()
    assert page.count('<html lang="zh-Hans">') == 1
    for text in (
        "基本信息",
        "统一社会信用代码",
        a.uscc,
        "蓬江区（440703）",
        "I6513 软件和信息技术服务业",
        "1. 电子信息",
    ):
        assert text in page, text
    assert "2022年" in page and "2024年" in page and "2021年" not in page
    assert "1,234.57" in page and "2,000.00" in page and "金额单位：万元" in page
    assert "发明专利" in page and "一种数据处理方法" in page
    assert "高新技术企业" in page and "GR1" in page and "有效" in page


def test_detail_marks_an_expired_certificate(officer: Client, described: dict[str, Enterprise]) -> None:
    b = described["b"]
    page = officer.get(reverse("registry:detail", args=[b.pk])).content.decode()
    expired_on = timezone.localdate() - timedelta(days=1)
    assert "已过期" in page and expired_on.isoformat() in page


def test_detail_links_the_latest_saved_assessment(officer: Client, city: dict[str, Enterprise]) -> None:
    a = city["a"]
    for as_of in (date(2025, 6, 30), date(2025, 9, 30)):
        SavedAssessment.objects.create(
            enterprise=a, as_of=as_of, document={}, result={}, rules_version="t", parameters_digest="t"
        )
    latest = SavedAssessment.objects.filter(enterprise=a).first()
    assert latest is not None
    page = officer.get(reverse("registry:detail", args=[a.pk])).content.decode()
    assert latest.get_absolute_url() in page and "2025-09-30" in page


def test_detail_of_an_enterprise_without_data_says_so(officer: Client, city: dict[str, Enterprise]) -> None:
    page = officer.get(reverse("registry:detail", args=[city["c"].pk])).content.decode()
    for text in ("尚未填报年度数据", "没有知识产权记录", "没有资质证书记录", "还没有保存的自评", "丙科技"):
        assert text in page


def test_list_page_is_in_chinese(officer: Client, city: dict[str, Enterprise]) -> None:
    page = officer.get(reverse("registry:list")).content.decode()
    for text in (
        "企业库",
        "所在区县",
        "蓬江区",
        "新会区",
        "C 制造业",
        "C39 计算机、通信和其他电子设备制造业",
        "共 3 家企业",
    ):
        assert text in page, text
    assert f'href="{reverse("registry:detail", args=[city["a"].pk])}"' in page


def test_the_list_and_export_do_not_query_per_row(
    officer: Client, described: dict[str, Enterprise], django_assert_max_num_queries: Any
) -> None:
    Enterprise.objects.bulk_create(
        Enterprise(
            uscc=uscc_for("440704", 100 + i), name=f"江海{i:03d}科技", region_code="440704", industry_code="C3989"
        )
        for i in range(60)
    )
    with django_assert_max_num_queries(20):
        officer.get(reverse("registry:list"))
    with django_assert_max_num_queries(20):
        officer.get(reverse("registry:export"))


def test_detail_sums_the_rd_items_given_when_no_total_is(officer: Client, city: dict[str, Enterprise]) -> None:
    a = city["a"]
    YearlyFigures.objects.create(
        enterprise=a, year=2024, rd_personnel=Decimal("1000000"), rd_direct=Decimal("234567.89")
    )  # the other eight items unknown
    YearlyFigures.objects.create(enterprise=a, year=2023, rd_expense=Decimal("900000"))
    response = officer.get(reverse("registry:detail", args=[a.pk]))
    row = next(r for r in response.context["figures"]["rows"] if r["label"].startswith("研发费用明细合计"))
    assert row["values"] == [None, Decimal("1234567.89")]
    assert "123.46" in response.content.decode()

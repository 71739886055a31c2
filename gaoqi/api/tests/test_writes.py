"""Writes through the API: Chinese messages next to the field, nothing half saved, every change in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from gaoqi.accounts.models import User
from gaoqi.core.models import AuditEntry
from gaoqi.core.selectors import ACTION_LABELS
from gaoqi.registry.models import Enterprise, YearlyFigures
from gaoqi.rules.synthetic import uscc_for


@pytest.fixture
def officer(users: dict[str, User]) -> APIClient:
    client = APIClient()
    client.force_authenticate(users["bureau_officer"])
    return client


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def new_enterprise(**extra: Any) -> dict[str, Any]:
    return {"uscc": uscc_for("440703", 51), "name": "新登记科技", "region_code": "440703", **extra}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("uscc", "91440703000000000X", "校验位"),
        ("uscc", "123", "18 位"),
        ("region_code", "4407", "6 位数字"),
        ("industry_code", "39", "行业分类"),
        ("hnte_domain", 9, "8"),
        ("name", "", "不能为空"),
    ],
)
def test_a_bad_enterprise_field_is_named_in_chinese(officer: APIClient, field: str, value: Any, words: str) -> None:
    response = officer.post("/api/v1/enterprises", new_enterprise(**{field: value}), format="json")
    assert response.status_code == 400
    [message] = response.json()[field]
    assert chinese(message) and words in message, message
    assert not Enterprise.objects.filter(name="新登记科技").exists()


def test_a_registered_uscc_cannot_be_registered_again(officer: APIClient, city: dict[str, Enterprise]) -> None:
    response = officer.post("/api/v1/enterprises", new_enterprise(uscc=city["a"].uscc), format="json")
    assert response.status_code == 400
    assert response.json()["uscc"] == ["该统一社会信用代码已登记。"]


def test_a_missing_required_field_is_named_in_chinese(officer: APIClient) -> None:
    response = officer.post("/api/v1/enterprises", {"name": "缺字段科技"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"uscc", "region_code"}
    assert all(chinese(m) for messages in response.json().values() for m in messages)


def test_a_body_that_is_not_json_is_a_400_in_chinese(officer: APIClient) -> None:
    response = officer.post("/api/v1/enterprises", "{oops", content_type="application/json")
    assert response.status_code == 400
    assert chinese(response.json()["detail"])


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"year": 2024, "sales_revenue": "-5"}, "sales_revenue", "不能为负数"),
        ({"year": 2024, "staff_total": "10", "staff_st": "11"}, "staff_st", "不能超过职工总数"),
        ({"year": 2024, "rd_expense": "1", "rd_personnel": "1"}, "non_field_errors", "二选一"),
        ({"year": 2024, "digital_level": 5}, "digital_level", "4"),
        ({"year": 2024, "sales_revenue": "很多"}, "sales_revenue", "数"),
    ],
)
def test_bad_yearly_figures_are_named_in_chinese(
    officer: APIClient, city: dict[str, Enterprise], body: dict[str, Any], field: str, words: str
) -> None:
    response = officer.post(f"/api/v1/enterprises/{city['a'].pk}/years", body, format="json")
    assert response.status_code == 400
    [message] = response.json()[field]
    assert chinese(message) and words in message, message
    assert not YearlyFigures.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_negative_figure_is_allowed_where_facts_md_allows_it(officer: APIClient, city: dict[str, Enterprise]) -> None:
    body = {"year": 2024, "net_profit": "-300000", "investment_income": "-5"}
    response = officer.post(f"/api/v1/enterprises/{city['a'].pk}/years", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["net_profit"] == "-300000.00"


def test_the_facts_added_for_issue_7_enter_through_the_api(officer: APIClient, city: dict[str, Enterprise]) -> None:
    """The innovation titles of the innovative SME's direct route, and R&D entrusted to overseas individuals (a part
    of the overseas item, refused above it), are taken like every other fact; unknown stays unknown."""
    response = officer.post("/api/v1/enterprises", new_enterprise(is_tech_innovation_demo=True), format="json")
    assert response.status_code == 201, response.content
    stored = Enterprise.objects.get(pk=response.json()["id"])
    assert stored.is_tech_innovation_demo is True and stored.is_ip_advantage_or_demo is None
    years = f"/api/v1/enterprises/{city['a'].pk}/years"
    body = {"year": 2024, "rd_entrusted_overseas": "300000", "rd_entrusted_overseas_individuals": "300001"}
    assert officer.post(years, body, format="json").status_code == 400
    body["rd_entrusted_overseas_individuals"] = "300000"
    assert officer.post(years, body, format="json").status_code == 201
    assert YearlyFigures.objects.get(enterprise=city["a"]).rd_entrusted_overseas_individuals == 300000


def test_a_patch_is_checked_against_the_saved_row(officer: APIClient, city: dict[str, Enterprise]) -> None:
    YearlyFigures.objects.create(enterprise=city["a"], year=2024, staff_total=10, staff_st=5)
    response = officer.patch(f"/api/v1/enterprises/{city['a'].pk}/years/2024", {"staff_st": "12"}, format="json")
    assert response.status_code == 400
    assert "不能超过职工总数" in response.json()["staff_st"][0]
    assert YearlyFigures.objects.get().staff_st == 5


def test_a_year_is_added_only_once(officer: APIClient, city: dict[str, Enterprise]) -> None:
    YearlyFigures.objects.create(enterprise=city["a"], year=2024)
    response = officer.post(f"/api/v1/enterprises/{city['a'].pk}/years", {"year": 2024}, format="json")
    assert response.status_code == 400
    assert "已存在" in response.json()["year"][0]


def test_unknown_figures_stay_unknown(officer: APIClient, city: dict[str, Enterprise]) -> None:
    response = officer.post(f"/api/v1/enterprises/{city['a'].pk}/years", {"year": 2024}, format="json")
    assert response.status_code == 201
    assert response.json()["sales_revenue"] is None
    assert YearlyFigures.objects.get().sales_revenue is None


def test_every_write_is_audited_with_its_changes(officer: APIClient, users: dict[str, User]) -> None:
    created = officer.post("/api/v1/enterprises", new_enterprise(), format="json")
    pk = created.json()["id"]
    officer.patch(f"/api/v1/enterprises/{pk}", {"name": "更名科技"}, format="json")
    officer.post(f"/api/v1/enterprises/{pk}/years", {"year": 2024, "sales_revenue": "100"}, format="json")
    officer.patch(f"/api/v1/enterprises/{pk}/years/2024", {"sales_revenue": "200"}, format="json")
    officer.delete(f"/api/v1/enterprises/{pk}/years/2024")
    officer.delete(f"/api/v1/enterprises/{pk}")
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [e.action for e in entries] == [
        "enterprise.create",
        "enterprise.update",
        "years.create",
        "years.update",
        "years.delete",
        "enterprise.delete",
    ]
    assert all(e.action in ACTION_LABELS for e in entries)  # each spelled as the log names it in Chinese
    assert all(e.actor == users["bureau_officer"] and e.enterprise_id == pk for e in entries)
    assert entries[1].changes == {"name": ["新登记科技", "更名科技"]}
    assert entries[3].changes == {"sales_revenue": ["100.00", "200.00"]}
    assert entries[0].changes["uscc"] == [None, uscc_for("440703", 51)]
    assert entries[5].changes["name"] == ["更名科技", None]


def test_an_enterprise_with_user_accounts_is_not_deleted(officer: APIClient, city: dict[str, Enterprise]) -> None:
    response = officer.delete(f"/api/v1/enterprises/{city['c'].pk}")  # the enterprise user belongs to 丙科技
    assert response.status_code == 400
    assert "用户账号" in response.json()["non_field_errors"][0]
    assert Enterprise.objects.filter(pk=city["c"].pk).exists()
    assert not AuditEntry.objects.exists()  # the audit entry went with the refused transaction


def test_an_enterprise_user_keeps_its_own_figures(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    client = APIClient()
    client.force_authenticate(users["enterprise"])
    response = client.post(
        f"/api/v1/enterprises/{city['c'].pk}/years", {"year": 2024, "staff_total": "30"}, format="json"
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get()
    assert entry.actor == users["enterprise"] and entry.enterprise_id == city["c"].pk


def test_put_replaces_the_whole_record(officer: APIClient, city: dict[str, Enterprise]) -> None:
    a = city["a"]
    body = {"uscc": a.uscc, "name": "甲科技（更名）", "region_code": "440703", "industry_code": "C3989"}
    response = officer.put(f"/api/v1/enterprises/{a.pk}", body, format="json")
    assert response.status_code == 200, response.content
    a.refresh_from_db()
    assert (a.name, a.industry_code) == ("甲科技（更名）", "C3989")
    assert AuditEntry.objects.get().changes == {"industry_code": ["", "C3989"], "name": ["甲科技", "甲科技（更名）"]}

"""Every role against every endpoint: allowed, 403 (may read, may not write) or 404 (out of scope, ids not probed)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gaoqi.accounts.models import User
from gaoqi.registry.models import Enterprise, YearlyFigures
from gaoqi.rules.synthetic import uscc_for

ROLES = ("bureau_officer", "administrator", "district_officer", "enterprise", "agency", "mentor", "auditor")
WRITES_ENTERPRISES = {"bureau_officer", "administrator", "district_officer"}
WRITES_FIGURES = WRITES_ENTERPRISES | {"enterprise"}
SEES = {  # as in registry/tests/test_selectors.py
    "bureau_officer": {"a", "b", "c"},
    "administrator": {"a", "b", "c"},
    "district_officer": {"a", "b"},
    "enterprise": {"c"},
    "agency": {"a"},
    "mentor": {"b"},
    "auditor": set(),
}


@pytest.fixture
def figures(city: dict[str, Enterprise]) -> dict[str, YearlyFigures]:
    return {
        name: YearlyFigures.objects.create(enterprise=e, year=2024, sales_revenue=10_000_000, staff_total=40)
        for name, e in city.items()
    }


def api(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def expected(role: str, name: str, *, write: bool, writers: set[str]) -> int:
    if role == "auditor":
        return 403
    if name not in SEES[role]:
        return 404
    if write and role not in writers:
        return 403
    return 200


@pytest.mark.parametrize("role", ROLES)
def test_the_list_holds_exactly_the_enterprises_in_scope(
    role: str, users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    response = api(users[role]).get("/api/v1/enterprises")
    if role == "auditor":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {city[n].pk for n in SEES[role]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_reading_one_enterprise_and_its_years(
    role: str, name: str, users: dict[str, User], city: dict[str, Enterprise], figures: Any
) -> None:
    client, pk = api(users[role]), city[name].pk
    want = expected(role, name, write=False, writers=set())
    assert client.get(f"/api/v1/enterprises/{pk}").status_code == want
    assert client.get(f"/api/v1/enterprises/{pk}/years").status_code == want
    assert client.get(f"/api/v1/enterprises/{pk}/years/2024").status_code == want


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_changing_an_enterprise(role: str, name: str, users: dict[str, User], city: dict[str, Enterprise]) -> None:
    response = api(users[role]).patch(f"/api/v1/enterprises/{city[name].pk}", {"name": "改名科技"}, format="json")
    want = expected(role, name, write=True, writers=WRITES_ENTERPRISES)
    assert response.status_code == want, response.content
    city[name].refresh_from_db()
    assert (city[name].name == "改名科技") == (want == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_deleting_an_enterprise(role: str, name: str, users: dict[str, User], city: dict[str, Enterprise]) -> None:
    target = city[name]
    User.objects.filter(enterprise=target).exclude(pk=users[role].pk).update(enterprise=None)  # see test_services
    response = api(users[role]).delete(f"/api/v1/enterprises/{target.pk}")
    want = expected(role, name, write=True, writers=WRITES_ENTERPRISES)
    assert response.status_code == (204 if want == 200 else want)
    assert Enterprise.objects.filter(pk=target.pk).exists() == (want != 200)


@pytest.mark.parametrize("role", ROLES)
def test_creating_an_enterprise(role: str, users: dict[str, User]) -> None:
    body = {"uscc": uscc_for("440703", 77), "name": "新登记科技", "region_code": "440703"}
    response = api(users[role]).post("/api/v1/enterprises", body, format="json")
    want = {"auditor": 403}.get(role, 201 if role in WRITES_ENTERPRISES else 403)
    assert response.status_code == want, response.content
    assert Enterprise.objects.filter(name="新登记科技").exists() == (want == 201)


def test_a_district_officer_creates_only_in_the_own_district(users: dict[str, User]) -> None:
    body = {"uscc": uscc_for("440705", 78), "name": "邻区科技", "region_code": "440705"}
    response = api(users["district_officer"]).post("/api/v1/enterprises", body, format="json")
    assert response.status_code == 400
    assert "440703" in response.json()["region_code"][0]
    assert not Enterprise.objects.filter(name="邻区科技").exists()


def test_a_district_officer_cannot_move_an_enterprise_out_of_the_district(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    response = api(users["district_officer"]).patch(
        f"/api/v1/enterprises/{city['a'].pk}", {"region_code": "440705"}, format="json"
    )
    assert response.status_code == 400
    city["a"].refresh_from_db()
    assert city["a"].region_code == "440703"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["a", "b", "c"])
def test_writing_yearly_figures(
    role: str, name: str, users: dict[str, User], city: dict[str, Enterprise], figures: Any
) -> None:
    client, pk = api(users[role]), city[name].pk
    want = expected(role, name, write=True, writers=WRITES_FIGURES)
    created = client.post(f"/api/v1/enterprises/{pk}/years", {"year": 2023, "sales_revenue": "800"}, format="json")
    assert created.status_code == (201 if want == 200 else want), created.content
    changed = client.patch(f"/api/v1/enterprises/{pk}/years/2024", {"staff_total": "41"}, format="json")
    assert changed.status_code == want
    deleted = client.delete(f"/api/v1/enterprises/{pk}/years/2024")
    assert deleted.status_code == (204 if want == 200 else want)
    years = set(YearlyFigures.objects.filter(enterprise_id=pk).values_list("year", flat=True))
    assert years == ({2023} if want == 200 else {2024})


def test_an_enterprise_user_cannot_change_the_enterprise_record(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    response = api(users["enterprise"]).patch(f"/api/v1/enterprises/{city['c'].pk}", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "不能" in response.json()["detail"]


def test_a_guessed_id_in_another_district_is_not_found_for_every_method(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client, pk = api(users["district_officer"]), city["c"].pk  # 新会区, the officer is in 蓬江区
    for method in ("get", "patch", "put", "delete"):
        assert getattr(client, method)(f"/api/v1/enterprises/{pk}", {}, format="json").status_code == 404
    assert client.post(f"/api/v1/enterprises/{pk}/years", {"year": 2020}, format="json").status_code == 404
    assert client.get(f"/api/v1/enterprises/{pk + 1000}").status_code == 404


def test_anonymous_callers_are_refused(city: dict[str, Enterprise]) -> None:
    client = APIClient()
    assert client.get("/api/v1/enterprises").status_code == 401
    assert client.post("/api/v1/assess", {}, format="json").status_code == 401
    assert client.get("/api/v1/schema").status_code in (401, 403)


def test_the_browser_session_works_too(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    client = APIClient()
    client.force_login(users["bureau_officer"])
    assert client.get("/api/v1/enterprises").status_code == 200

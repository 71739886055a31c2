"""API tokens respect the login lockout; the OpenAPI document describes every endpoint."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gaoqi.accounts.models import User
from gaoqi.conftest import PASSWORD
from gaoqi.registry.models import Enterprise


def token(client: APIClient, username: str, password: str) -> tuple[int, dict[str, str]]:
    response = client.post("/api/v1/token", {"username": username, "password": password}, format="json")
    return response.status_code, response.json()


def test_a_token_opens_the_api(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    client = APIClient()
    status, body = token(client, "district_officer", PASSWORD)
    assert status == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    names = {row["name"] for row in client.get("/api/v1/enterprises").json()["results"]}
    assert names == {"甲科技", "乙科技"}
    assert token(APIClient(), "district_officer", PASSWORD)[1]["token"] == body["token"]  # one token per user


def test_a_wrong_password_gets_no_token(users: dict[str, User]) -> None:
    status, body = token(APIClient(), "district_officer", "wrong-password-1")
    assert status == 400
    assert body == {"detail": "用户名或密码不正确。"}


def test_five_failures_lock_the_account_even_against_the_right_password(users: dict[str, User]) -> None:
    client = APIClient()
    for _ in range(5):
        token(client, "bureau_officer", "wrong-password-1")
    status, body = token(client, "bureau_officer", PASSWORD)
    assert status == 403
    assert "锁定" in body["detail"] and "token" not in body


def test_four_failures_do_not_lock(users: dict[str, User]) -> None:
    client = APIClient()
    for _ in range(4):
        token(client, "bureau_officer", "wrong-password-1")
    assert token(client, "bureau_officer", PASSWORD)[0] == 200


@pytest.mark.parametrize("body", [{}, {"username": "bureau_officer"}, {"password": PASSWORD}])
def test_missing_credentials_are_a_400_in_chinese(body: dict[str, str], db: None) -> None:
    response = APIClient().post("/api/v1/token", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请填写用户名和密码。"}


def test_the_schema_describes_every_endpoint(users: dict[str, User]) -> None:
    client = APIClient()
    client.force_authenticate(users["bureau_officer"])
    response = client.get("/api/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "高企 科技企业培育服务平台接口"
    assert set(schema["paths"]) == {
        "/api/v1/assess",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{id}",
        "/api/v1/enterprises/{id}/years",
        "/api/v1/enterprises/{id}/years/{year}",
        "/api/v1/token",
    }
    assert "Token" in str(schema["components"]["securitySchemes"])


def test_not_found_is_said_in_chinese(users: dict[str, User]) -> None:
    client = APIClient()
    client.force_authenticate(users["bureau_officer"])
    detail = client.get("/api/v1/enterprises/999999").json()["detail"]
    assert detail == "未找到，或不在您的查看范围内。"


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(users: dict[str, User]) -> None:
    client = APIClient()
    client.force_authenticate(users["district_officer"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page

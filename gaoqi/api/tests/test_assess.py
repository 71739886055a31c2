"""POST /api/v1/assess answers exactly as `gaoqi assess --format json`, and bad input is a 400 naming the field."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gaoqi.accounts.models import User
from gaoqi.cli import main

EXAMPLE = resources.files("gaoqi.rules.examples").joinpath("enterprise.json")


@pytest.fixture
def client(users: dict[str, User]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['enterprise']).key}")
    return client


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main(["assess", str(EXAMPLE), "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def post(client: APIClient, body: str | bytes, query: str = "") -> Any:
    return client.post(f"/api/v1/assess{query}", body, content_type="application/json")


def test_the_example_is_assessed_exactly_as_the_command_line_does(
    client: APIClient, capsys: pytest.CaptureFixture[str]
) -> None:
    response = post(client, EXAMPLE.read_text(encoding="utf-8"))
    assert response.status_code == 200
    assert response.json() == cli_json(capsys)
    assert {"hnte", "tsme", "innovative_sme", "srdi_sme", "little_giant"} <= set(response.json()["programs"])


def test_programs_can_be_chosen(client: APIClient, capsys: pytest.CaptureFixture[str]) -> None:
    response = post(client, EXAMPLE.read_text(encoding="utf-8"), "?program=hnte,tsme")
    assert response.status_code == 200
    assert set(response.json()["programs"]) == {"hnte", "tsme"}
    assert response.json() == cli_json(capsys, "--program", "hnte,tsme")


def test_an_unknown_program_is_a_400_in_chinese(client: APIClient) -> None:
    response = post(client, EXAMPLE.read_text(encoding="utf-8"), "?program=nobel")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "program" and "nobel" in error["message"]


def test_warnings_are_returned_as_the_command_line_does(
    client: APIClient, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["years"]["2019"] = {"sales_revenue": "1"}  # before the three fiscal years: ignored, with a warning
    text = json.dumps(document, ensure_ascii=False)
    (tmp_path / "old.json").write_text(text, encoding="utf-8")
    response = post(client, text)
    assert response.status_code == 200
    assert response.json()["warnings"] and "2019" in response.json()["warnings"][0]
    assert main(["assess", str(tmp_path / "old.json"), "--format", "json"]) == 0
    assert response.json() == json.loads(capsys.readouterr().out)


def test_an_unknown_field_is_named(client: APIClient) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["enterprise"]["unknown_field"] = 1
    response = post(client, json.dumps(document))
    assert response.status_code == 400
    assert [e["path"] for e in response.json()["errors"]] == ["enterprise.unknown_field"]


def test_a_negative_revenue_is_named_by_its_path(client: APIClient) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["years"]["2024"]["sales_revenue"] = "-1"
    response = post(client, json.dumps(document))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == ["years.2024.sales_revenue"]
    assert "负" in errors[0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        "这不是 JSON",
        "",
        "{",
        "[1, 2]",
        "42",
        "null",
        '{"as_of": "明天"}',
        '{"as_of": "2025-06-30", "years": []}',
        '{"as_of": "2025-06-30", "years": {"2024": {"staff_total": "很多"}}}',
        '{"as_of": "2025-06-30", "enterprise": "甲"}',
        "\xff".encode("latin-1"),
    ],
)
def test_bad_bodies_are_a_400_with_a_chinese_message(client: APIClient, body: str | bytes) -> None:
    response = post(client, body)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in errors)


@pytest.mark.parametrize(
    "role", ["bureau_officer", "district_officer", "enterprise", "agency", "mentor", "administrator"]
)
def test_every_role_but_the_auditor_may_assess(role: str, users: dict[str, User]) -> None:
    client = APIClient()
    client.force_authenticate(users[role])
    assert post(client, EXAMPLE.read_text(encoding="utf-8")).status_code == 200


def test_the_auditor_may_not_assess(users: dict[str, User]) -> None:
    client = APIClient()
    client.force_authenticate(users["auditor"])
    response = post(client, EXAMPLE.read_text(encoding="utf-8"))
    assert response.status_code == 403
    assert "审计" in response.json()["detail"]

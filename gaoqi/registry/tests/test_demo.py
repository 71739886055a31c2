"""The demo city: enterprises in Jiangmen's seven divisions, one user per role, a screening with passes."""

from __future__ import annotations

from datetime import date
from io import StringIO

import polars as pl
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from stdnum.cn import uscc

from gaoqi.accounts.models import Role, User
from gaoqi.registry.demo import PASSWORD, REGIONS, USERS, demo_enterprises
from gaoqi.registry.facts import facts_frame
from gaoqi.registry.models import Certificate, Enterprise, IPItem, YearlyFigures
from gaoqi.rules import evaluate
from gaoqi.rules.synthetic import uscc_for

AS_OF = date(2026, 6, 30)
SIZE = 300


def build(size: int = SIZE, **options: object) -> str:
    out = StringIO()
    call_command("demo_city", size=size, seed=7, as_of=AS_OF, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(db: None) -> str:
    return build()


def test_the_city_has_the_requested_enterprises_in_the_seven_divisions_with_valid_codes(demo: str) -> None:
    city = Enterprise.objects.all()
    assert city.count() == SIZE
    assert set(city.values_list("region_code", flat=True)) == set(REGIONS)
    assert all(uscc.is_valid(code) for code in city.values_list("uscc", flat=True))
    names = list(city.values_list("name", flat=True))
    assert len(set(names)) == SIZE
    assert all(name.endswith("公司") for name in names)
    # three years of figures, IP for most
    assert YearlyFigures.objects.filter(year__in=(2023, 2024, 2025)).count() > 2.5 * SIZE
    assert IPItem.objects.values("enterprise").distinct().count() > SIZE / 2
    assert f"已生成演示城市：{SIZE} 家企业" in demo


def test_the_logins_are_printed_with_a_password_the_validators_accept(demo: str) -> None:
    assert f"密码均为 {PASSWORD}" in demo
    for username, role, _ in USERS:
        assert username in demo and str(role.label) in demo
        validate_password(PASSWORD, User.objects.get(username=username))
    assert "登录地址：http://127.0.0.1:8000/accounts/login/" in demo


@pytest.mark.django_db
def test_the_login_address_is_where_the_server_listens() -> None:
    assert "登录地址：http://127.0.0.1:8765/accounts/login/" in build(size=20, address="127.0.0.1:8765")


def _expected_scope(user: User) -> int | None:
    city = demo_enterprises()
    if user.role == Role.AUDITOR:
        return None
    scopes: dict[Role, int] = {
        Role.BUREAU_OFFICER: city.count(),
        Role.ADMINISTRATOR: city.count(),
        Role.DISTRICT_OFFICER: city.filter(region_code="440703").count(),
        Role.ENTERPRISE: 1,
        Role.AGENCY: city.filter(agency=user.agency).count(),
        Role.MENTOR: city.filter(mentors=user).count(),
    }
    return scopes[Role(user.role)]


@pytest.mark.parametrize("username", [u for u, _, _ in USERS])
def test_every_role_logs_in_and_sees_its_scope(client: Client, demo: str, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username=username)
    page = client.get(reverse("home")).content.decode()
    assert f"您的角色：{user.role_label}" in page
    expected = _expected_scope(user)
    if expected is None:
        assert "您可查看的企业" not in page
    else:
        assert expected > 0
        assert f"您可查看的企业：{expected} 家" in page
    if user.role == Role.DISTRICT_OFFICER:
        assert 0 < expected < SIZE  # type: ignore[operator]
    if user.role == Role.ENTERPRISE:
        assert user.enterprise is not None and user.enterprise.region_code == "440703"


def test_rerunning_keeps_the_city_and_reset_rebuilds_only_the_demo(demo: str) -> None:
    other = Enterprise.objects.create(uscc=uscc_for("440703", 5), name="非演示企业", region_code="440703")
    counts = (Enterprise.objects.count(), YearlyFigures.objects.count(), User.objects.count())
    again = build()
    assert "演示城市已存在" in again
    assert (Enterprise.objects.count(), YearlyFigures.objects.count(), User.objects.count()) == counts

    build(size=120, reset=True)
    assert demo_enterprises().count() == 120
    assert Enterprise.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(username__in=[u for u, _, _ in USERS]).count() == len(USERS)
    assert Client().post(reverse("accounts:login"), {"username": "pengjiang", "password": PASSWORD}).status_code == 302


def test_a_screening_of_the_city_finds_passes_in_every_program(demo: str) -> None:
    frame = facts_frame(demo_enterprises(), as_of=AS_OF)
    results = evaluate(frame, as_of=AS_OF).frame
    for program in ("hnte", "tsme", "innovative_sme", "srdi_sme"):
        outcomes = results[f"{program}.outcome"]
        assert outcomes.sum() > 0, program  # some pass
        assert (~outcomes).sum() > 0, program  # and some fail
    valid_hnte = frame.filter(pl.col("hnte_issued_on") > date(2023, 6, 30)).height
    assert 0.10 * SIZE < valid_hnte < 0.25 * SIZE
    assert Certificate.objects.filter(program=Certificate.Program.SRDI_SME).exists()

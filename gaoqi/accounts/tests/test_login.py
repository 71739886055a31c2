"""Logging in: Chinese pages, lockout after repeated failures, password rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.conftest import PASSWORD


def test_the_login_page_is_in_chinese(client: Client, db: None) -> None:
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert "登录" in page.content.decode()


def test_a_user_logs_in_and_sees_the_home_page(client: Client, users: dict[str, User]) -> None:
    response = client.post(reverse("accounts:login"), {"username": "district_officer", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert "区县工作人员" in home.content.decode()
    assert "2 家" in home.content.decode()


def test_pages_need_a_login(client: Client, db: None) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_five_failures_lock_the_account_even_against_the_right_password(client: Client, users: dict[str, User]) -> None:
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "enterprise", "password": "wrong-password"})
    response = client.post(reverse("accounts:login"), {"username": "enterprise", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client: Client, users: dict[str, User]) -> None:
    for _ in range(4):
        client.post(reverse("accounts:login"), {"username": "enterprise", "password": "wrong-password"})
    response = client.post(reverse("accounts:login"), {"username": "enterprise", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123"])
def test_weak_passwords_are_refused(password: str, db: None) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_is_accepted(db: None) -> None:
    validate_password("Jiangmen-科技-2026")

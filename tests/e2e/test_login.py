"""Logging in, in a real browser: each role sees its own scope; wrong passwords are refused, then lock the account."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from gaoqi.accounts.models import Role, User
from gaoqi.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_the_login_page_is_styled_and_in_chinese(page: Page, live_server: LiveServer, screenshots: Path) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    # the static files are served: Pico fills the primary button, gaoqi.css names the CJK fonts, htmx is loaded
    expect(page.get_by_role("button", name="登录")).to_have_css("background-color", "rgb(1, 114, 173)")
    assert "WenQuanYi Micro Hei" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert page.evaluate("() => typeof htmx") == "object"
    page.screenshot(path=screenshots / "login.png", full_page=True)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.BUREAU_OFFICER, 3),
        (Role.DISTRICT_OFFICER, 2),
        (Role.ENTERPRISE, 1),
        (Role.AGENCY, 1),
        (Role.MENTOR, 1),
        (Role.ADMINISTRATOR, 3),
    ],
)
def test_each_role_sees_its_own_enterprises(
    role: Role, visible: int, page: Page, live_server: LiveServer, users: dict[str, User]
) -> None:
    log_in(page, live_server, str(role), PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("main")).to_contain_text(f"您的角色：{role.label}。")
    expect(page.get_by_role("main")).to_contain_text(f"您可查看的企业：{visible} 家。")


def test_an_auditor_sees_no_enterprise_count(page: Page, live_server: LiveServer, users: dict[str, User]) -> None:
    log_in(page, live_server, "auditor", PASSWORD)
    expect(page.get_by_role("main")).to_contain_text("您的角色：审计。")
    expect(page.get_by_role("main")).not_to_contain_text("您可查看的企业")


def test_the_home_page_names_the_user_and_role(
    page: Page, live_server: LiveServer, users: dict[str, User], screenshots: Path
) -> None:
    log_in(page, live_server, "district_officer", PASSWORD)
    expect(page.get_by_role("navigation")).to_contain_text("district_officer（区县工作人员）")
    page.screenshot(path=screenshots / "home.png", full_page=True)


def test_a_wrong_password_is_refused_in_chinese(
    page: Page, live_server: LiveServer, users: dict[str, User], screenshots: Path
) -> None:
    log_in(page, live_server, "enterprise", "wrong-password")
    expect(page.get_by_role("alert")).to_have_text("请输入一个正确的用户名和密码。注意，两者都区分大小写。")
    expect(page.get_by_label("用户名")).to_have_value("enterprise")
    page.screenshot(path=screenshots / "login-error.png", full_page=True)


def test_five_wrong_passwords_lock_the_account(
    page: Page, live_server: LiveServer, users: dict[str, User], screenshots: Path
) -> None:
    for _ in range(5):
        log_in(page, live_server, "enterprise", "wrong-password")
    expect(page.get_by_role("heading", name="账号已暂时锁定")).to_be_visible()
    page.screenshot(path=screenshots / "locked.png", full_page=True)
    log_in(page, live_server, "enterprise", PASSWORD)
    expect(page.get_by_role("heading", name="账号已暂时锁定")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_logging_out_returns_to_the_login_page(page: Page, live_server: LiveServer, users: dict[str, User]) -> None:
    log_in(page, live_server, "bureau_officer", PASSWORD)
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")

"""Browser journeys: Debian's Chromium, driven by Playwright, against the real Django server.

The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium fonts-wqy-microhei``), never a
download of Playwright's own. pytest-django's ``live_server`` serves the pages and, through staticfiles, the CSS and
scripts from ``node_modules``; each test gets a fresh database and a fresh browser context.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from gaoqi.conftest import PASSWORD, city, users

__all__ = ["browser", "city", "log_in", "page", "screenshots", "sign_in", "users"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",  # the browser's own controls (a file input's button) in Chinese, as officers see them
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop on the test thread; the tests' own database calls stay
    # synchronous, so Django's guard against the ORM in async code stands aside while the browser is open.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone's screen (390 × 844, touch), as an enterprise user opens the pages on the move."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def log_in(page: Page, live_server: LiveServer, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the login form (the test decides what should follow)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def sign_in(page: Page, live_server: LiveServer, username: str) -> None:
    """Log in as one of the ``users`` fixture's accounts and arrive home."""
    log_in(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/")

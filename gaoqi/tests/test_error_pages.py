"""Refusals read as the rest of the platform: a Chinese page with the navigation, never the server's English default.

A page outside the user's scope and one that does not exist give the same page, so that ids cannot be probed.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.registry.models import Enterprise


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_enterprise_outside_the_scope_looks_exactly_like_a_missing_one(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["enterprise"])
    outside = client.get(reverse("registry:detail", args=[city["a"].pk]))
    missing = client.get(reverse("registry:detail", args=[city["c"].pk + 1000]))

    assert outside.status_code == missing.status_code == 404
    page = outside.content.decode()
    assert "没有找到您要的页面" in page and "返回首页" in page and 'lang="zh-Hans"' in page
    assert "甲科技" not in page and "Not Found" not in page
    assert _main(page) == _main(missing.content.decode())


def _main(page: str) -> str:
    """The page's content, without the per-request CSRF token in the header."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_refusal_says_why_in_chinese(users: dict[str, User]) -> None:
    response = _client(users["bureau_officer"]).get(reverse("audit:list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权访问此页面" in page and "只有审计人员和系统管理员可以查看操作日志。" in page
    assert "403 Forbidden" not in page

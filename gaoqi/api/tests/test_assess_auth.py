"""POST /api/v1/assess reads its token with its own query (``TokenLookup``, for speed): it must let in and keep out
exactly whom the other endpoints (DRF's token authentication) do, with the same status and message."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gaoqi.accounts.models import User

EXAMPLE = resources.files("gaoqi.rules.examples").joinpath("enterprise.json").read_text(encoding="utf-8")


def _both(header: str) -> tuple[tuple[int, Any], tuple[int, Any]]:
    """(status, body) of the assess endpoint and of the enterprise list, called with the same Authorization."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assess = client.post("/api/v1/assess", EXAMPLE, content_type="application/json")
    listed = client.get("/api/v1/enterprises")
    return (assess.status_code, assess.json()), (listed.status_code, listed.json())


def test_a_valid_token_assesses_as_its_user(users: dict[str, User]) -> None:
    token = Token.objects.create(user=users["enterprise"])
    (status, body), (listed, _) = _both(f"Token {token.key}")
    assert status == 200 and listed == 200
    assert "hnte" in body["programs"]


@pytest.mark.parametrize("header", ["Token 0123456789abcdef0123456789abcdef01234567", "Token", "Token a b"])
def test_an_unknown_or_malformed_token_is_refused_as_elsewhere(users: dict[str, User], header: str) -> None:
    assess, listed = _both(header)
    assert assess[0] == 401
    assert assess == listed


def test_an_inactive_users_token_is_refused_as_elsewhere(users: dict[str, User]) -> None:
    user = users["enterprise"]
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assess, listed = _both(f"Token {token.key}")
    assert assess[0] == 401
    assert assess == listed


def test_an_auditors_token_is_forbidden_as_before(users: dict[str, User]) -> None:
    token = Token.objects.create(user=users["auditor"])
    (status, _), _ = _both(f"Token {token.key}")
    assert status == 403


def test_the_user_read_with_the_token_is_the_whole_user(users: dict[str, User]) -> None:
    from gaoqi.api.views import TokenLookup

    user = users["enterprise"]
    token = Token.objects.create(user=user)
    found, auth = TokenLookup().authenticate_credentials(token.key)
    assert (found.pk, found.role, found.is_active) == (user.pk, user.role, True)
    assert found.username == user.username  # a field not read with the token is loaded when first read
    assert auth.key == token.key and auth.user is found

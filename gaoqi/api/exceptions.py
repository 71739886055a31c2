from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler

NOT_FOUND = "未找到，或不在您的查看范围内。"


def chinese_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with one Chinese message for anything not found (the same whether absent or out of scope)."""
    if isinstance(exc, Http404):
        exc = NotFound(NOT_FOUND)
    return exception_handler(exc, context)

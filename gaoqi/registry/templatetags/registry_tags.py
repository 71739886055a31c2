"""Template filters of the registry pages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

UNKNOWN = "—"


@register.filter
def wanyuan(yuan: Any) -> str:
    """An amount stored in yuan shown in 万元, two decimals, thousands separated: ``12345678`` → ``1,234.57``.

    Halves round away from zero (四舍五入); an unknown amount (None or blank) shows as "—", never as 0.
    """
    if yuan is None or yuan == "":
        return UNKNOWN
    try:
        amount = (Decimal(str(yuan)) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return UNKNOWN
    return f"{amount:,.2f}"


@register.filter
def tristate(value: bool | None) -> str:
    """是 / 否 / 未知 for a nullable flag."""
    return "未知" if value is None else ("是" if value else "否")

"""What every page needs to know of the audit log: whether the user may read it (the menu, home)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gaoqi.audit.views import AUDIT_READERS


def audit_reader(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {"may_read_audit": bool(user.is_authenticated and user.role in AUDIT_READERS)}

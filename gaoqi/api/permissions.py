"""Who may do what through the API. Which enterprises a user reaches is decided by
``registry.selectors.enterprises_visible_to`` (out of scope is 404); these classes decide reading versus writing (403).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from gaoqi.accounts.models import Role

CITY_WIDE = frozenset({Role.BUREAU_OFFICER, Role.ADMINISTRATOR})
REGISTRY_WRITERS = CITY_WIDE | {Role.DISTRICT_OFFICER}
FIGURES_WRITERS = REGISTRY_WRITERS | {Role.ENTERPRISE}


def _role(request: Request) -> str:
    return getattr(request.user, "role", "")


class IsNotAuditor(BasePermission):
    """Auditors read the audit log, nothing else; every other signed-in role may use the API."""

    message = "审计角色无权使用此接口。"

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and _role(request) != Role.AUDITOR)


class CanWriteEnterprises(BasePermission):
    """Enterprises are created, changed and deleted by bureau and district officers and administrators."""

    message = "您的角色只能查看企业信息，不能新增、修改或删除企业。"

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS or "pk" in view.kwargs:
            return True  # a detail write is decided once the enterprise is found in scope (else 404)
        return _role(request) in REGISTRY_WRITERS

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in SAFE_METHODS or _role(request) in REGISTRY_WRITERS


class CanWriteFigures(BasePermission):
    """Yearly figures are also kept by the enterprise itself; agencies and mentors only read them.

    Checked against the enterprise once it is found in scope, so an enterprise out of scope is 404 for every method.
    """

    message = "您的角色只能查看年度数据，不能修改。"

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in SAFE_METHODS or _role(request) in FIGURES_WRITERS

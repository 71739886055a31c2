"""Fixtures shared by the platform's tests: one user per role, and enterprises in two districts."""

from __future__ import annotations

from typing import Any

import pytest

from gaoqi.accounts.models import Role, User
from gaoqi.registry.models import Enterprise, ServiceAgency
from gaoqi.rules import uscc_for

PASSWORD = "Gaoqi-test-2026"


@pytest.fixture
def city(db: None) -> dict[str, Enterprise]:
    """Three enterprises: two in 蓬江区 (440703), one in 新会区 (440705), one of them an agency's client."""
    agency = ServiceAgency.objects.create(uscc=uscc_for("440703", 9), name="江门示例知识产权服务有限公司")
    return {
        "a": Enterprise.objects.create(uscc=uscc_for("440703", 1), name="甲科技", region_code="440703", agency=agency),
        "b": Enterprise.objects.create(uscc=uscc_for("440703", 2), name="乙科技", region_code="440703"),
        "c": Enterprise.objects.create(uscc=uscc_for("440705", 3), name="丙科技", region_code="440705"),
    }


@pytest.fixture
def users(city: dict[str, Enterprise]) -> dict[str, User]:
    """One user per role, scoped to the city fixture."""
    made: dict[Role, dict[str, Any]] = {
        Role.BUREAU_OFFICER: {},
        Role.DISTRICT_OFFICER: {"region_code": "440703"},
        Role.ENTERPRISE: {"enterprise": city["c"]},
        Role.AGENCY: {"agency": city["a"].agency},
        Role.MENTOR: {},
        Role.AUDITOR: {},
        Role.ADMINISTRATOR: {"is_staff": True, "is_superuser": True},
    }
    result = {}
    for role, extra in made.items():
        result[str(role)] = User.objects.create_user(username=str(role), password=PASSWORD, role=role, **extra)
    city["b"].mentors.add(result[Role.MENTOR])
    return result

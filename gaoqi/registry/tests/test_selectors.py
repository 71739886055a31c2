"""Scope is enforced by one selector: every role sees exactly its enterprises, and nothing else."""

from __future__ import annotations

import pytest

from gaoqi.accounts.models import User
from gaoqi.registry.models import Enterprise
from gaoqi.registry.selectors import enterprises_visible_to

EXPECTED = {
    "bureau_officer": {"a", "b", "c"},
    "administrator": {"a", "b", "c"},
    "district_officer": {"a", "b"},  # 蓬江区 only
    "enterprise": {"c"},  # its own enterprise only
    "agency": {"a"},  # its clients only
    "mentor": {"b"},  # assigned enterprises only
    "auditor": set(),  # the audit log, not the registry
}


@pytest.mark.parametrize(("role", "names"), EXPECTED.items())
def test_each_role_sees_exactly_its_enterprises(
    role: str, names: set[str], users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    visible = set(enterprises_visible_to(users[role]).values_list("pk", flat=True))
    assert visible == {city[n].pk for n in names}


def test_a_district_officer_without_a_district_sees_nothing(users: dict[str, User]) -> None:
    officer = users["district_officer"]
    officer.region_code = ""
    assert not enterprises_visible_to(officer).exists()


def test_an_inactive_user_sees_nothing(users: dict[str, User]) -> None:
    officer = users["bureau_officer"]
    officer.is_active = False
    assert not enterprises_visible_to(officer).exists()

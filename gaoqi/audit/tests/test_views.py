"""The audit log as people see it: /audit/ for auditors and administrators only, its filters, and each enterprise's
变更历史 on its detail page, shown only to those who may see the enterprise."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.core.models import AuditEntry
from gaoqi.core.services import audit_log_record, changes_between
from gaoqi.registry.models import Enterprise
from gaoqi.registry.services import enterprise_update

READERS = ("auditor", "administrator")
OTHERS = ("bureau_officer", "district_officer", "enterprise", "agency", "mentor")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _record(actor: User, action: str, enterprise: Enterprise, at: datetime, **changes: list[str]) -> AuditEntry:
    entry = audit_log_record(
        actor=actor, action=action, target=enterprise, enterprise_id=enterprise.pk, changes=changes
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


@pytest.fixture
def log(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    """Three entries on two days: an officer renames 甲科技 and 丙科技, a district officer saves an assessment."""
    renamed_a = {"name": ["甲科技", "甲科技（新）"]}
    _record(
        users["bureau_officer"], "enterprise.update", city["a"], datetime(2026, 3, 1, 2, 0, tzinfo=UTC), **renamed_a
    )
    _record(users["district_officer"], "assessment.save", city["a"], datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    renamed_c = {"name": ["丙科技", "丙科技（新）"]}
    _record(
        users["bureau_officer"], "enterprise.update", city["c"], datetime(2026, 3, 2, 3, 0, tzinfo=UTC), **renamed_c
    )


@pytest.mark.parametrize("role", READERS)
def test_auditors_and_administrators_read_the_whole_log(users: dict[str, User], log: None, role: str) -> None:
    response = _client(users[role]).get(reverse("audit:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 3 条记录" in page
    assert "修改企业信息" in page and "保存资质自评" in page
    assert "企业名称：甲科技 → 甲科技（新）" in page
    assert "2026-03-01 10:00:00" in page  # 02:00 UTC is 10:00 in Beijing
    assert page.index("丙科技（新）") < page.index("甲科技（新）")  # newest first


@pytest.mark.parametrize("role", OTHERS)
def test_every_other_role_is_refused(users: dict[str, User], log: None, role: str) -> None:
    assert _client(users[role]).get(reverse("audit:list")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(log: None) -> None:
    response = Client().get(reverse("audit:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_log_is_read_only(users: dict[str, User], log: None) -> None:
    response = _client(users["auditor"]).post(reverse("audit:list"), {"action": "enterprise.update"})
    assert response.status_code == 405
    assert AuditEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "assessment.save"}, 1),
        ({"actor": "bureau"}, 2),
        ({"actor": "nobody"}, 0),
        ({"since": "2026-03-02"}, 2),
        ({"until": "2026-03-01"}, 1),
        ({"since": "2026-03-02", "until": "2026-03-02", "actor": "bureau_officer"}, 1),
    ],
)
def test_filters_narrow_the_log(users: dict[str, User], log: None, query: dict[str, str], expected: int) -> None:
    response = _client(users["auditor"]).get(reverse("audit:list"), query)
    assert f"共 {expected} 条记录" in response.content.decode()


def test_a_date_is_a_day_in_beijing(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    """17:00 UTC on 1 March is 01:00 on 2 March in Beijing: it belongs to 2 March."""
    _record(users["bureau_officer"], "enterprise.update", city["a"], datetime(2026, 3, 1, 17, 0, tzinfo=UTC))
    client = _client(users["auditor"])
    assert "共 1 条记录" in client.get(reverse("audit:list"), {"since": "2026-03-02"}).content.decode()
    assert "共 0 条记录" in client.get(reverse("audit:list"), {"until": "2026-03-01"}).content.decode()


def test_a_wrong_date_is_reported_and_the_other_filters_still_apply(users: dict[str, User], log: None) -> None:
    response = _client(users["auditor"]).get(reverse("audit:list"), {"since": "昨天", "action": "assessment.save"})
    page = response.content.decode()
    assert "筛选条件有误" in page and "起始日期" in page
    assert "共 1 条记录" in page


def test_the_log_pages_by_fifty(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=users["bureau_officer"], action="enterprise.update", target_repr=f"第{n}条") for n in range(51)
    )
    client = _client(users["auditor"])
    first = client.get(reverse("audit:list")).content.decode()
    assert "共 51 条记录，第 1/2 页" in first and "下一页" in first
    second = client.get(reverse("audit:list"), {"page": 2}).content.decode()
    assert second.count("<tr>") == 2  # the header row and the one entry left


@pytest.mark.parametrize("role", READERS)
def test_home_links_auditors_and_administrators_to_the_log(users: dict[str, User], role: str) -> None:
    assert reverse("audit:list") in _client(users[role]).get(reverse("home")).content.decode()


def test_home_does_not_link_others_to_the_log(users: dict[str, User]) -> None:
    assert reverse("audit:list") not in _client(users["bureau_officer"]).get(reverse("home")).content.decode()


def test_the_enterprise_history_shows_that_enterprise_only(
    users: dict[str, User], city: dict[str, Enterprise], log: None
) -> None:
    page = _client(users["bureau_officer"]).get(reverse("registry:detail", args=[city["a"].pk])).content.decode()
    history = page[page.index("变更历史") :]
    assert "企业名称：甲科技 → 甲科技（新）" in history
    assert "保存资质自评" in history
    assert "2026-03-02 10:00" in history and "2026-03-01 10:00" in history
    assert history.index("保存资质自评") < history.index("甲科技（新）")  # newest first
    assert "丙科技（新）" not in history


def test_the_history_records_what_a_service_changed(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    enterprise_update(actor=users["bureau_officer"], enterprise=city["b"], data={"region_code": "440705"})
    page = _client(users["bureau_officer"]).get(reverse("registry:detail", args=[city["b"].pk])).content.decode()
    history = page[page.index("变更历史") :]
    assert "修改企业信息" in history
    assert "所在区县：蓬江区（440703） → 新会区（440705）" in history
    assert users["bureau_officer"].username in history


def test_the_history_shows_at_most_fifty_entries(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(action="enterprise.update", enterprise_id=city["a"].pk, changes={"name": [str(n), str(n + 1)]})
        for n in range(60)
    )
    page = _client(users["bureau_officer"]).get(reverse("registry:detail", args=[city["a"].pk])).content.decode()
    history = page[page.index("变更历史") :]
    assert history.count("修改企业信息") == 50
    assert "企业名称：59 → 60" in history and "企业名称：9 → 10" not in history


def test_an_unknown_action_is_shown_as_recorded(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    audit_log_record(actor=None, action="certificate.revoke", target=city["a"], enterprise_id=city["a"].pk)
    page = _client(users["bureau_officer"]).get(reverse("registry:detail", args=[city["a"].pk])).content.decode()
    history = page[page.index("变更历史") :]
    assert "certificate.revoke" in history and "系统" in history


@pytest.mark.parametrize(
    ("role", "status"),
    [("district_officer", 200), ("agency", 200), ("enterprise", 404), ("mentor", 404), ("auditor", 404)],
)
def test_the_history_is_only_for_those_who_may_see_the_enterprise(
    users: dict[str, User], city: dict[str, Enterprise], log: None, role: str, status: int
) -> None:
    response = _client(users[role]).get(reverse("registry:detail", args=[city["a"].pk]))
    assert response.status_code == status
    assert ("甲科技（新）" in response.content.decode()) == (status == 200)


def test_the_changes_of_a_saved_assessment_read_in_chinese(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    audit_log_record(
        actor=users["enterprise"],
        action="assessment.save",
        target=city["c"],
        enterprise_id=city["c"].pk,
        changes={"as_of": "2026-03-01", **changes_between({"is_sme": None}, {"is_sme": True})},
    )
    page = _client(users["enterprise"]).get(reverse("registry:detail", args=[city["c"].pk])).content.decode()
    assert "评价日期：2026-03-01" in page
    assert "符合《中小企业划型标准规定》的中小企业：（空） → 是" in page


# ------------------------------------------------------------------------------------------------------ the export


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize("role", READERS)
def test_the_export_is_the_whole_log_with_chinese_headers(users: dict[str, User], log: None, role: str) -> None:
    rows = _sheet(_client(users[role]).get(reverse("audit:export")))
    assert rows[0] == ("时间（北京时间）", "操作人", "用户名", "操作", "对象", "变更内容")
    assert rows[1:] == [
        (
            "2026-03-02 11:00:00",
            "bureau_officer",
            "bureau_officer",
            "修改企业信息",
            "丙科技",
            "企业名称：丙科技 → 丙科技（新）",
        ),
        ("2026-03-02 10:00:00", "district_officer", "district_officer", "保存资质自评", "甲科技", None),
        (
            "2026-03-01 10:00:00",
            "bureau_officer",
            "bureau_officer",
            "修改企业信息",
            "甲科技",
            "企业名称：甲科技 → 甲科技（新）",
        ),
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"action": "assessment.save"},
        {"actor": "bureau"},
        {"actor": "nobody"},
        {"since": "2026-03-02"},
        {"since": "2026-03-02", "until": "2026-03-02", "actor": "bureau_officer"},
        {"since": "昨天", "action": "enterprise.update"},  # the wrong date is left out, as on the page
    ],
)
def test_the_export_holds_exactly_the_filtered_list(users: dict[str, User], log: None, query: dict[str, str]) -> None:
    client = _client(users["auditor"])
    shown = client.get(reverse("audit:list"), query).context["rows"]
    rows = _sheet(client.get(reverse("audit:export"), query))[1:]
    assert [(row[3], row[4]) for row in rows] == [(r["action"], r["entry"].target_repr) for r in shown]
    assert len(rows) == client.get(reverse("audit:list"), query).context["total"]


def test_the_export_holds_every_page_not_only_the_one_shown(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=users["bureau_officer"], action="enterprise.update", target_repr=f"第{n}条") for n in range(51)
    )
    audit_log_record(actor=users["bureau_officer"], action="enterprise.delete", target=city["b"])
    client = _client(users["auditor"])
    rows = _sheet(client.get(reverse("audit:export"), {"action": "enterprise.update", "page": "2"}))[1:]
    assert len(rows) == 51
    assert {row[4] for row in rows} == {f"第{n}条" for n in range(51)}


def test_an_entry_without_an_actor_is_exported_as_made_by_the_system(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    audit_log_record(actor=None, action="demo.city_built", target_repr="江门市演示数据", changes={"regions": 7})
    rows = _sheet(_client(users["auditor"]).get(reverse("audit:export")))
    assert rows[1][1:] == ("系统", None, "生成演示数据", "江门市演示数据", "区划代码条数：7")


@pytest.mark.parametrize("role", OTHERS)
def test_every_other_role_is_refused_the_export(users: dict[str, User], log: None, role: str) -> None:
    response = _client(users[role]).get(reverse("audit:export"))
    assert response.status_code == 403
    assert not response.content.startswith(b"PK")  # no workbook (a zip) leaks with the refusal


def test_an_anonymous_visitor_is_sent_to_login_instead_of_the_export(log: None) -> None:
    response = Client().get(reverse("audit:export"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_log_page_links_to_the_export_with_its_filters(users: dict[str, User], log: None) -> None:
    page = _client(users["auditor"]).get(reverse("audit:list"), {"actor": "bureau"}).content.decode()
    assert f'href="{reverse("audit:export")}?actor=bureau"' in page and "导出Excel" in page


def test_a_changed_district_or_industry_reads_by_name(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    moved = {"region_code": ["440703", "440705"], "industry_code": ["", "C3989"], "name": ["甲科技", "甲科技"]}
    _record(users["bureau_officer"], "enterprise.update", city["a"], datetime(2026, 3, 1, 2, 0, tzinfo=UTC), **moved)
    page = _client(users["auditor"]).get(reverse("audit:list")).content.decode()
    assert "所在区县：蓬江区（440703） → 新会区（440705）" in page
    assert "所属行业：（空） → 计算机、通信和其他电子设备制造业（C3989）" in page
    rows = _sheet(_client(users["auditor"]).get(reverse("audit:export")))
    assert "所在区县：蓬江区（440703） → 新会区（440705）" in rows[1][5]

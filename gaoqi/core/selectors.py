"""Reads of the audit log: the filtered log for auditors, one enterprise's history, and both shown in Chinese."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from gaoqi.core.models import AuditEntry

HISTORY_LIMIT = 50
ACTION_LABELS = {
    "enterprise.create": "新建企业",
    "enterprise.update": "修改企业信息",
    "enterprise.delete": "删除企业",
    "enterprise.import": "导入企业",
    "years.create": "新增年度数据",
    "years.update": "修改年度数据",
    "years.delete": "删除年度数据",
    "years.import": "导入年度数据",
    "ip.import": "导入知识产权",
    "certificate.import": "导入资质证书",
    "institution.import": "导入研发机构",
    "award.import": "导入科技奖励",
    "standard.import": "导入标准",
    "financing.import": "导入股权融资",
    "incident.import": "导入重大事故或违法行为",
    "record.import": "导入企业评价与名单信息",
    "import.commit": "Excel 导入（批次）",
    "assessment.save": "保存资质自评",
    "codes.load": "载入代码表",
    "codes.industries_import": "导入国民经济行业分类",
    "demo.city_built": "生成演示数据",
}
FIELD_LABELS = {  # names whose model label is not Chinese, or that belong to no model field
    "uscc": "统一社会信用代码",
    "mode": "导入方式",
    "name": "企业名称",
    "registered_on": "成立日期",
    "region_code": "所在区县",
    "industry_code": "所属行业",
    "hnte_domain": "国家重点支持的高新技术领域",
    "is_strategic_emerging": "战略性新兴产业",
    "is_mainland_resident": "境内注册居民企业",
    "tax_collection": "所得税征收方式",
    "zones": "所在园区",
    "agency": "服务机构",
    "mentors": "导师",
    "as_of": "评价日期",
    "outcomes": "评价结果",
    "industries": "行业代码条数",
    "regions": "区划代码条数",
}
EMPTY = "（空）"


def action_label(code: str) -> str:
    """The Chinese name of an action code; an unknown code is shown as it is."""
    return ACTION_LABELS.get(code, code)


def audit_entries(
    *, action: str = "", actor: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    """The audit log, newest first, narrowed by action code, part of the actor's username and local dates."""
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-id")


def audit_actions() -> list[tuple[str, str]]:
    """``(code, Chinese name)`` of every action the log holds, for the filter."""
    codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])


def audit_entries_for_enterprise(enterprise_id: int) -> list[AuditEntry]:
    """One enterprise's history, newest first, at most ``HISTORY_LIMIT`` entries.

    The caller has already checked that the user may see the enterprise (``enterprises_visible_to``).
    """
    return list(
        AuditEntry.objects.filter(enterprise_id=enterprise_id)
        .select_related("actor")
        .order_by("-at", "-id")[:HISTORY_LIMIT]
    )


def _field_label(target_type: str, name: str) -> str:
    """The Chinese name of a changed field: ours, else the model's if it is Chinese, else the name as recorded."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    try:
        label = str(apps.get_model(target_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
    return label if any("\u4e00" <= char <= "\u9fff" for char in label) else name


def _text(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


Namers = dict[str, Callable[[str], str]]
"""``{field: how a code in it reads}``, e.g. a district code as its name; the code tables' app provides them."""


def change_lines(entry: AuditEntry, namers: Namers) -> list[str]:
    """Each changed field as ``字段：旧值 → 新值``; a value recorded alone (a count, a date) as ``字段：值``."""
    lines = []
    for name, value in (entry.changes or {}).items():
        label = _field_label(entry.target_type, name)
        namer = namers.get(name)
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}：{_named(value[0], namer)} → {_named(value[1], namer)}")
        else:
            lines.append(f"{label}：{_named(value, namer)}")
    return lines


def _named(value: Any, namer: Callable[[str], str] | None) -> str:
    return namer(value) if namer is not None and isinstance(value, str) and value else _text(value)


def audit_rows(entries: Iterable[AuditEntry], *, namers: Namers) -> list[dict[str, Any]]:
    """What a page shows of each entry: the entry, who, the action in Chinese and the changed fields, with the
    codes in them named by ``namers`` (made once per page)."""
    return [
        {
            "entry": entry,
            "actor": (entry.actor.get_full_name() or entry.actor.username) if entry.actor else "系统",
            "action": action_label(entry.action),
            "changes": change_lines(entry, namers),
        }
        for entry in entries
    ]

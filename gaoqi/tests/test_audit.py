from __future__ import annotations

import importlib

from django.apps import apps

from gaoqi.accounts.models import User
from gaoqi.core.models import AuditEntry
from gaoqi.core.selectors import ACTION_LABELS
from gaoqi.core.services import audit_log_record, changes_between
from gaoqi.registry.models import Enterprise


def test_an_audit_entry_records_who_what_and_the_changed_fields(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    enterprise = city["a"]
    before = {"name": enterprise.name, "region_code": enterprise.region_code}
    after = {"name": "甲科技（更名）", "region_code": enterprise.region_code}
    audit_log_record(
        actor=users["bureau_officer"],
        action="enterprise.update",
        target=enterprise,
        enterprise_id=enterprise.pk,
        changes=changes_between(before, after),
    )
    entry = AuditEntry.objects.get()
    assert entry.actor == users["bureau_officer"]
    assert entry.target_type == "registry.enterprise"
    assert entry.changes == {"name": ["甲科技", "甲科技（更名）"]}
    assert entry.enterprise_id == enterprise.pk


def test_entries_spelled_the_former_way_take_the_one_spelling(users: dict[str, User]) -> None:
    migration = importlib.import_module("gaoqi.core.migrations.0003_canonical_actions")
    for action in ("enterprise_update", "yearly_figures_delete", "import.commit"):
        audit_log_record(actor=users["bureau_officer"], action=action, target_type="registry.enterprise")
    migration.canonical(apps, None)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["enterprise.update", "years.delete", "import.commit"]
    assert all(action in ACTION_LABELS for action in actions)

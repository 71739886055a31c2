"""Writes shared by every app: the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from gaoqi.core.bulk import rows_create
from gaoqi.core.models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value (dates, decimals and model instances as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value differs."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in sorted(set(before) | set(after))
        if _plain(before.get(name)) != _plain(after.get(name))
    }


def audit_entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_repr: str = "",
    enterprise_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """One action as an unsaved entry, for writers that record many at once (``AuditEntry.objects.bulk_create``)."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:255],
        enterprise_id=enterprise_id,
        changes=changes or {},
    )


def audit_log_record(**kwargs: Any) -> AuditEntry:
    """Record one action (arguments as :func:`audit_entry`); call it inside the transaction that made the change, so
    both commit or neither."""
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


def audit_log_bulk(entries: list[AuditEntry]) -> None:
    """Record many actions at once (an import's rows), inside the caller's transaction."""
    rows_create(AuditEntry, entries)

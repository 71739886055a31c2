"""Writes to the registry: enterprises and their yearly figures. Each write validates the whole row, saves it and
records an audit entry with its changes in one transaction, so nothing is half saved.

Callers (API, pages, CLI) decide who may write; these functions only check that the data are valid.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

from gaoqi.core.services import audit_log_record, changes_between
from gaoqi.registry.models import Enterprise, YearlyFigures

BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})


def _values(instance: models.Model) -> dict[str, Any]:
    """The field values of a row that a person entered, keyed by field name (foreign keys by id)."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in BOOKKEEPING
    }


def _assign(instance: models.Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


def _enterprise_id(instance: Enterprise | YearlyFigures) -> int:
    return instance.pk if isinstance(instance, Enterprise) else instance.enterprise_id


def _save_audited(*, actor: Any, instance: Enterprise | YearlyFigures, before: dict[str, Any], action: str) -> None:
    """Validate the whole row, save it and record what changed — inside the caller's transaction."""
    instance.full_clean()
    instance.save()
    audit_log_record(
        actor=actor,
        action=action,
        target=instance,
        enterprise_id=_enterprise_id(instance),
        changes=changes_between(before, _values(instance)),
    )


def _delete_audited(*, actor: Any, instance: Enterprise | YearlyFigures, action: str) -> None:
    audit_log_record(
        actor=actor,
        action=action,
        target=instance,
        enterprise_id=_enterprise_id(instance),
        changes=changes_between(_values(instance), {}),
    )
    instance.delete()


@transaction.atomic
def enterprise_create(*, actor: Any, data: dict[str, Any]) -> Enterprise:
    enterprise = Enterprise(**data)
    _save_audited(actor=actor, instance=enterprise, before={}, action="enterprise.create")
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    before = _values(enterprise)
    _assign(enterprise, data)
    _save_audited(actor=actor, instance=enterprise, before=before, action="enterprise.update")
    return enterprise


@transaction.atomic
def enterprise_delete(*, actor: Any, enterprise: Enterprise) -> None:
    """Delete an enterprise with its facts; refused while user accounts still belong to it."""
    try:
        _delete_audited(actor=actor, instance=enterprise, action="enterprise.delete")
    except ProtectedError:
        raise ValidationError("该企业仍有关联的用户账号，不能删除；请先停用或改派这些账号。") from None


@transaction.atomic
def yearly_figures_create(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> YearlyFigures:
    figures = YearlyFigures(enterprise=enterprise, **data)
    _save_audited(actor=actor, instance=figures, before={}, action="years.create")
    return figures


@transaction.atomic
def yearly_figures_update(*, actor: Any, figures: YearlyFigures, data: dict[str, Any]) -> YearlyFigures:
    before = _values(figures)
    _assign(figures, data)
    _save_audited(actor=actor, instance=figures, before=before, action="years.update")
    return figures


@transaction.atomic
def yearly_figures_delete(*, actor: Any, figures: YearlyFigures) -> None:
    _delete_audited(actor=actor, instance=figures, action="years.delete")

"""Self-assessment: evaluate a facts.md document against every program, try what-ifs, save the result.

Evaluation reads nothing from the database and always happens on the server: a saved result is computed here from
the saved document, never taken from the browser.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from gaoqi.accounts.models import User
from gaoqi.assessments.models import SavedAssessment
from gaoqi.core.services import audit_log_record
from gaoqi.registry.models import Enterprise
from gaoqi.rules import InputError, Problem, assess


@dataclass(frozen=True)
class Evaluation:
    document: dict[str, Any]
    result: dict[str, Any]

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.result["as_of"])


def assessment_evaluate(*, document: dict[str, Any]) -> Evaluation:
    """Every program's results for one document; raises :class:`InputError` naming each field at fault."""
    return Evaluation(document=document, result=assess(document))


def assessment_what_if(*, document: dict[str, Any], changes: dict[str, str]) -> Evaluation:
    """Evaluate a copy of ``document`` with some figures of the latest fiscal year replaced.

    ``changes`` maps a yearly field (``rd_expense``, ``sales_revenue``, ``staff_st``, ``hightech_income``) to the new
    value as typed; a blank value keeps the document's own figure.
    """
    as_of = _as_of(document)
    changed = copy.deepcopy(document)
    latest = changed.setdefault("years", {}).setdefault(str(as_of.year - 1), {})
    for name, value in changes.items():
        if value.strip() == "":
            continue
        latest[name] = value.strip()
        if name == "rd_expense":
            latest.pop("rd_breakdown", None)  # a total replaces the breakdown it would otherwise contradict
    return assessment_evaluate(document=changed)


def _as_of(document: dict[str, Any]) -> date:
    try:
        return date.fromisoformat(str(document.get("as_of")))
    except ValueError:
        raise InputError([Problem("as_of", "缺少有效的评价日期（YYYY-MM-DD）。")]) from None


@transaction.atomic
def assessment_save(*, document: dict[str, Any], enterprise: Enterprise | None, created_by: User) -> SavedAssessment:
    """Evaluate ``document`` again and keep it with its results, the rules version and the parameters digest."""
    evaluation = assessment_evaluate(document=document)
    saved = SavedAssessment.objects.create(
        enterprise=enterprise,
        as_of=evaluation.as_of,
        document=document,
        result=evaluation.result,
        rules_version=evaluation.result["rules_version"],
        parameters_digest=evaluation.result["parameters_digest"],
        created_by=created_by,
    )
    audit_log_record(
        actor=created_by,
        action="assessment.save",
        target=saved,
        enterprise_id=enterprise.pk if enterprise is not None else None,
        changes={
            "as_of": evaluation.as_of.isoformat(),
            "outcomes": {name: p["outcome"] for name, p in evaluation.result["programs"].items()},
        },
    )
    return saved

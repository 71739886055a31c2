"""Reads for self-assessment: who may assess which enterprise, which saved assessments a user may see, and the
results document put into the words and units a user reads (符合 / 不符合 / 暂无法判定, 元, 人, 分, 天)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from gaoqi.accounts.models import Role, User
from gaoqi.assessments.forms import DOMAIN_CHOICES, figure_text
from gaoqi.assessments.models import SavedAssessment
from gaoqi.registry.facts import enterprise_document
from gaoqi.registry.models import Enterprise
from gaoqi.registry.selectors import enterprises_visible_to
from gaoqi.rules import FACTS, MARK, OUTCOME_TEXT, PART_LABELS, PROGRAMS, Problem, deciding_part, gap_text, show

SIGNS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "==": "＝", "in": "属于"}
GROUP_LABELS = {
    "ip": "知识产权（有效数量、获得方式、是否核心支持）",
    "certificates": "资质证书情况",
    "records.major_incident_dates": "近三年重大事故或严重违法行为记录",
    "awards": "科技奖励",
    "rd_institutions": "研发机构",
    "standards": "标准制定",
    "equity_financing": "股权融资",
    "competitions": "“创客中国”大赛",
    "assessments.rd_management": "研究开发组织管理水平（专家评价四项）",
    "assessments.expert_scores": "专家评分",
}
DOMAIN_TEXT = {code: label for code, label in DOMAIN_CHOICES if code.isdigit()}
"""The eight domains of 《国家重点支持的高新技术领域》, named as the form lists them."""
RESULT_EXTRAS = {
    "base": ("可加计扣除的研发费用", "yuan"),
    "rate": ("加计扣除比例", "ratio"),
    "extra_deduction": ("加计扣除额", "yuan"),
    "tax_effect": ("减少企业所得税", "yuan"),
}


# -------------------------------------------------------------------------------------------------------- scope


def can_assess(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role != Role.AUDITOR


def assessable_enterprises(user: User) -> QuerySet[Enterprise]:
    """The enterprises ``user`` may assess: exactly the ones they may see."""
    return enterprises_visible_to(user) if can_assess(user) else Enterprise.objects.none()


def may_assess_blank_form(user: User) -> bool:
    """An enterprise user always assesses their own enterprise; other roles may also fill a blank form."""
    return can_assess(user) and user.role != Role.ENTERPRISE


def assessable_enterprise_get(user: User, pk: Any) -> Enterprise:
    """One enterprise ``user`` may assess, or 404 (a guessed id looks like one that does not exist)."""
    if not str(pk).isdigit():
        raise Http404("没有这家企业。")
    return get_object_or_404(assessable_enterprises(user), pk=pk)


PICKER_SELECT_MAX = 50
"""Up to this many enterprises in scope (an agency with a few clients), the picker is a drop-down; beyond it, a
search box: a city's 50,000 enterprises as options would be megabytes of HTML and seconds to render."""
SEARCH_LIMIT = 20
"""The most matches a search shows; a longer list means the words typed are too few to pick one."""


def picker_enterprises(user: User) -> list[Enterprise] | None:
    """The enterprises to offer as a drop-down, or ``None`` when there are more than :data:`PICKER_SELECT_MAX`.

    One query that reads at most ``PICKER_SELECT_MAX + 1`` rows, however large the city."""
    shown = list(assessable_enterprises(user).only("pk", "name")[: PICKER_SELECT_MAX + 1])
    return shown if len(shown) <= PICKER_SELECT_MAX else None


@dataclass(frozen=True)
class EnterpriseMatches:
    """What a search for an enterprise found: at most ``SEARCH_LIMIT`` of them, and whether there were more."""

    query: str
    enterprises: list[Enterprise]
    more: bool


def enterprise_search(user: User, query: str, *, limit: int = SEARCH_LIMIT) -> EnterpriseMatches:
    """The enterprises ``user`` may assess whose name contains ``query`` or whose credit code contains it.

    Only the scope is searched, so a match outside it is never shown nor counted. A credit code is typed in any
    case and often with spaces; the name is matched as typed."""
    query = " ".join(query.split())[:100]
    if not query:
        return EnterpriseMatches(query, [], more=False)
    code = "".join(query.split()).upper()
    found = assessable_enterprises(user).filter(Q(name__icontains=query) | Q(uscc__icontains=code))
    rows = list(found.only("pk", "name", "uscc", "region_code")[: limit + 1])
    return EnterpriseMatches(query, rows[:limit], more=len(rows) > limit)


def assessments_visible_to(user: User) -> QuerySet[SavedAssessment]:
    """Saved assessments of the enterprises ``user`` may see, and their own blank-form assessments."""
    if not can_assess(user):
        return SavedAssessment.objects.none()
    scoped = Q(enterprise__in=enterprises_visible_to(user))
    if may_assess_blank_form(user):
        scoped |= Q(enterprise__isnull=True, created_by=user)
    return SavedAssessment.objects.filter(scoped).select_related("enterprise", "created_by")


def assessment_get(user: User, pk: Any) -> SavedAssessment:
    return get_object_or_404(assessments_visible_to(user), pk=pk)


# -------------------------------------------------------------------------------------------------------- words


def fact_label(path: str) -> str:
    """A JSON path of facts.md in words: ``years.2024.rd_expense`` → ``2024年 研究开发费用（高企口径）``."""
    match = re.fullmatch(r"years\.(\d{4})\.(?:rd_breakdown\.)?(\w+)", path)
    if match:
        year, base = match.groups()
        fact = FACTS.get(f"{base}_y1") or FACTS.get(f"rd_{base}_y1")
        return f"{year}年 {fact.label.split('（第')[0]}" if fact else path
    if path in GROUP_LABELS:
        return GROUP_LABELS[path]
    fact = FACTS.get(path.rsplit(".", 1)[-1])
    return fact.label if fact else path


def _value_text(c: dict[str, Any]) -> str:
    unit = c.get("unit") or ""
    if c.get("id") == "direct_route" or (c["value"] is None and c["threshold"] is None):
        return "—"
    if c.get("id") == "priority_domain":  # a code: the domain's name, not its number
        return DOMAIN_TEXT.get(str(c["value"]), "不属于上述领域")
    value = show(c["value"], unit)
    if c.get("value_max") is not None and c["value_max"] != c["value"]:
        value = f"{show(c['value'], unit)} – {show(c['value_max'], unit)}"
    return value


def _requirement_text(c: dict[str, Any]) -> str:
    if c["threshold"] is None or c.get("id") == "direct_route":
        return "—"
    sign = SIGNS.get(c.get("comparison") or ">=", c.get("comparison") or "")
    return f"{sign} {show(c['threshold'], c.get('unit') or '')}"


def _criterion(c: dict[str, Any]) -> dict[str, Any]:
    return {
        **_part(c),
        "id": c["id"],
        "part": deciding_part(c),
        "citation": c["citation"],
        "missing": [fact_label(m) for m in c["missing"]],
        "notes": c.get("notes", []),
        # every part of a criterion that has several (each year, score group, cap, route), the deciding one included
        "parts": [_part(part) for part in c.get("parts", [])] if len(c.get("parts", [])) > 1 else [],
    }


def _part(part: dict[str, Any]) -> dict[str, Any]:
    """A criterion row, or one of its parts, in words: outcome, value, requirement and gap."""
    return {
        "label": part["label"],
        "outcome": part["outcome"],
        "outcome_text": OUTCOME_TEXT[part["outcome"]],
        "mark": MARK[part["outcome"]],
        "value": _value_text(part),
        "requirement": _requirement_text(part),
        "gap": gap_text(part),
    }


def _span(low: Any, high: Any) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def in_rules_order(programs: dict[str, Any]) -> list[tuple[str, Any]]:
    """The programs of a results document in the rules' order (高企 first, the tax measure last).

    A result read back from PostgreSQL has lost the order it was written in: ``jsonb`` keeps an object's keys
    sorted by length. A program the rules no longer know keeps its place after the known ones.
    """
    return _ordered(programs, list(PROGRAMS))


def _part_order(program: str) -> list[str]:
    """The parts of a program's score in the order its score table lists them (its outputs' order)."""
    known = PROGRAMS.get(program)
    outputs = [o.name for o in known.outputs] if known is not None else []
    return [name.removesuffix("_min") for name in outputs if name.endswith("_min") and name != "score_min"]


def _ordered(items: dict[str, Any], order: list[str]) -> list[tuple[str, Any]]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(items.items(), key=lambda item: rank.get(item[0], len(rank)))


def _score(score: dict[str, Any], program: str) -> dict[str, Any]:
    parts = [
        {"name": name, "label": PART_LABELS.get(name, name), "min": r["min"], "max": r["max"]}
        for name, r in _ordered(score.get("parts", {}), _part_order(program))
    ]
    chart = {
        "labels": [p["label"] for p in parts],
        "min": [p["min"] for p in parts],
        "extra": [None if p["min"] is None or p["max"] is None else p["max"] - p["min"] for p in parts],
    }
    return {
        "text": _span(score["min"], score["max"]),
        "is_range": score["min"] != score["max"],
        "parts": [{**p, "text": _span(p["min"], p["max"])} for p in parts],
        "chart": json.dumps(chart, ensure_ascii=False),
    }


def results_display(
    result: dict[str, Any], *, field_of: Callable[[str, date], str | None] | None = None
) -> dict[str, Any]:
    """The results document as the results page shows it: every program, criterion and missing fact in words.

    ``field_of`` names the form field where a missing fact is entered, so that the list can link to it.
    """
    as_of = date.fromisoformat(result["as_of"])
    programs = []
    needed: dict[str, list[str]] = {}
    anchors: dict[str, str | None] = {}
    for name, p in in_rules_order(result["programs"]):
        extras = [(label, show(p[key], unit)) for key, (label, unit) in RESULT_EXTRAS.items() if p.get(key) is not None]
        missing = [fact_label(m) for m in p["missing"]]
        for path, label in zip(p["missing"], missing, strict=True):
            needed.setdefault(label, []).append(p["label"])
            anchors.setdefault(label, field_of(path, as_of) if field_of else None)
        programs.append(
            {
                "name": name,
                "label": p["label"],
                "outcome": p["outcome"],
                "outcome_text": OUTCOME_TEXT[p["outcome"]],
                "score": _score(p["score"], name) if p.get("score") else None,
                "extras": extras,
                "criteria": [_criterion(c) for c in p["criteria"]],
                "counts": {o: sum(c["outcome"] == o for c in p["criteria"]) for o in OUTCOME_TEXT},
                "missing": missing,
            }
        )
    return {
        "as_of": result["as_of"],
        "rules_version": result["rules_version"],
        "parameters_digest": result["parameters_digest"],
        "programs": programs,
        "failed": [{"program": p["label"], **c} for p in programs for c in p["criteria"] if c["outcome"] == "fail"],
        "needed": [{"label": label, "programs": names, "field": anchors[label]} for label, names in needed.items()],
        "warnings": result.get("warnings", []),
    }


def latest_year_figures(document: dict[str, Any], names: list[str]) -> dict[str, str]:
    """The latest fiscal year's figures of ``document`` (as typed), for the what-if panel's starting values."""
    try:
        year = int(str(document["as_of"])[:4]) - 1
    except (KeyError, ValueError):
        return {}
    latest = (document.get("years") or {}).get(str(year)) or {}
    return {name: figure_text(latest[name]) for name in names if latest.get(name) is not None}


def problem_text(problem: Problem) -> str:
    """A problem of ``read_document`` with its field named in words instead of a JSON path."""
    return f"{fact_label(problem.path)}：{problem.message}" if problem.path else problem.message


def outcome_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """The programs whose outcome a what-if changes, with the outcome before and after, in words."""
    return [
        {
            "label": p["label"],
            "before": OUTCOME_TEXT[before["programs"][name]["outcome"]],
            "after": OUTCOME_TEXT[p["outcome"]],
        }
        for name, p in in_rules_order(after["programs"])
        if name in before["programs"] and before["programs"][name]["outcome"] != p["outcome"]
    ]


def enterprise_initial(enterprise: Enterprise | None, *, as_of: date) -> dict[str, Any]:
    """The form's starting values: the evaluation date, and the enterprise's registered basics when there is one."""
    initial: dict[str, Any] = {"as_of": as_of.isoformat()}
    if enterprise is None:
        return initial
    initial["enterprise"] = enterprise.pk
    for name in ("name", "uscc", "region_code", "industry_code", "tax_collection"):
        if getattr(enterprise, name):
            initial[name] = getattr(enterprise, name)
    if enterprise.registered_on is not None:
        initial["registered_on"] = enterprise.registered_on.isoformat()
    if enterprise.hnte_domain is not None:
        initial["hnte_domain"] = str(enterprise.hnte_domain) if enterprise.hnte_domain else "none"
    if enterprise.is_strategic_emerging is not None:
        initial["is_strategic_emerging"] = "yes" if enterprise.is_strategic_emerging else "no"
    return initial


def assessment_summaries(assessments: Iterable[SavedAssessment]) -> list[dict[str, Any]]:
    """Rows of the saved-assessments list: who, when, and each program's outcome in words."""
    return [
        {
            "saved": saved,
            "outcomes": [
                {"label": p["label"], "outcome": p["outcome"], "text": OUTCOME_TEXT[p["outcome"]]}
                for _name, p in in_rules_order(saved.result["programs"])
            ],
        }
        for saved in assessments
    ]


@dataclass(frozen=True)
class ExportTable:
    headers: list[str]
    rows: list[list[str]]
    widths: list[int]


def assessment_export_table(assessments: QuerySet[SavedAssessment]) -> ExportTable:
    """The saved-assessments list as a table for Excel: who and when, then one column per program's outcome.

    The programs are those of the assessments themselves, in the rules' order, so that an assessment saved under an
    older rules version with other programs still has each of its outcomes in a column.
    """
    saved = list(assessments)
    labels: dict[str, str] = {}
    for item in saved:
        for name, p in item.result["programs"].items():
            labels.setdefault(name, p["label"])
    programs = dict(in_rules_order(labels))
    rows = []
    for item in saved:
        outcomes = item.result["programs"]
        rows.append(
            [
                item.enterprise_name,
                item.enterprise.uscc if item.enterprise is not None else "",
                item.as_of.isoformat(),
                *(OUTCOME_TEXT[outcomes[name]["outcome"]] if name in outcomes else "—" for name in programs),
                (item.created_by.get_full_name() or item.created_by.username) if item.created_by else "",
                timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
                item.rules_version,
            ]
        )
    headers = ["企业", "统一社会信用代码", "评价日期", *programs.values(), "保存人", "保存时间（北京时间）", "规则版本"]
    widths = [30, 22, 12, *(16 for _ in programs), 14, 18, 12]
    return ExportTable(headers=headers, rows=rows, widths=widths)


def registry_document(enterprise: Enterprise, *, as_of: date) -> dict[str, Any]:
    """The enterprise's facts.md document from the registry, to start the form from ("从企业库数据开始")."""
    return enterprise_document(enterprise, as_of=as_of)

"""Checking an import against the registry: every row becomes a plan (create, update, unchanged, or invalid with its
problems), and nothing is written.

A blank cell leaves the stored value as it is; a filled cell replaces it. A row is identified by its sheet's key
(``Sheet.key``), so importing the same file twice plans nothing the second time. Each row is validated as the model
validates a form (``full_clean``) after the cells are merged with the stored row, so a part can never exceed its whole
and an R&D total can never sit beside its breakdown, whichever file or form wrote the other half.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from gaoqi.accounts.models import Role, User
from gaoqi.codes.models import Industry, Region
from gaoqi.imports.cells import CellError, read_decimal
from gaoqi.imports.columns import (
    CERTIFICATES,
    ENTERPRISES,
    IP_ITEMS,
    SHEETS,
    YEARS,
    Column,
    Sheet,
)
from gaoqi.imports.workbook import SheetRows
from gaoqi.registry.models import Enterprise, YearlyFigures
from gaoqi.registry.selectors import enterprises_visible_to
from gaoqi.rules import INDUSTRY_CODE, Problem

CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "invalid"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "无变化", INVALID: "有问题"}
CHUNK = 2000  # ids per IN (...) query: well inside every database's limit on parameters
Progress = Callable[[int, int], None]


@dataclass
class RowPlan:
    sheet: Sheet
    row: int
    values: dict[str, Any]  # the fields read from filled cells
    key: tuple[Any, ...] | None = None
    action: str = INVALID
    changes: dict[str, list[Any]] = field(default_factory=dict)
    instance: models.Model | None = None  # the row as it will be saved (existing rows: a changed copy)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(p.blocking for p in self.problems)

    def refuse(self, column: Column | str, message: str, *, value: Any = None) -> None:
        header = column.header if isinstance(column, Column) else column
        shown = "" if value is None else _shown(value)
        self.problems.append(Problem("", message, sheet=self.sheet.name, row=self.row, column=header, value=shown))


@dataclass
class CheckResult:
    plans: dict[str, list[RowPlan]]
    problems: list[Problem]  # every problem, the header's first, then row by row
    ignored_sheets: list[str]

    @property
    def blocking(self) -> int:
        return sum(p.blocking for p in self.problems)

    def summary(self) -> list[dict[str, Any]]:
        """Per sheet: how many rows, and how many of them would be created, updated, left unchanged or are invalid."""
        rows = []
        for sheet in SHEETS:
            if not self.plans.get(sheet.name):
                continue
            counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, INVALID), 0)
            for plan in self.plans[sheet.name]:
                counts[plan.action] += 1
            rows.append({"sheet": sheet.name, "rows": len(self.plans[sheet.name]), **counts})
        return rows

    def importable(self) -> int:
        return sum(plan.action in (CREATE, UPDATE) for plans in self.plans.values() for plan in plans)


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else f"{text[:39]}…"


# ---------------------------------------------------------------------------------------------------------- context


@dataclass
class Context:
    """What the rows are checked against: the code tables, the user's scope, and the stored rows they name."""

    user: User
    today: date
    regions: dict[str, str]  # county code → code, county name → code (names only when unique)
    ambiguous_regions: set[str]
    allowed_regions: set[str] | None  # None: every county
    industries: set[str]
    industry_levels: set[int]  # code lengths loaded: 3 = divisions, 4 = groups, 5 = classes
    enterprises: dict[str, Enterprise] = field(default_factory=dict)  # by credit code
    visible: set[str] = field(default_factory=set)  # credit codes the user may write


def _context(user: User, today: date) -> Context:
    regions: dict[str, str] = {}
    seen: dict[str, int] = {}
    for code, name in Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "name"):
        regions[code] = code
        seen[name] = seen.get(name, 0) + 1
        regions.setdefault(name, code)
    ambiguous = {name for name, count in seen.items() if count > 1}
    allowed = None
    if user.role == Role.DISTRICT_OFFICER:
        allowed = {user.region_code} if user.region_code else set()
    industries = set(Industry.objects.values_list("code", flat=True))
    return Context(
        user=user,
        today=today,
        regions=regions,
        ambiguous_regions=ambiguous,
        allowed_regions=allowed,
        industries=industries,
        industry_levels={len(code) for code in industries},
    )


def chunks(items: list[Any]) -> Iterable[list[Any]]:
    """``items`` in slices small enough for one ``IN (...)`` query."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _load_enterprises(context: Context, usccs: set[str]) -> None:
    codes = sorted(usccs)
    visible = enterprises_visible_to(context.user)
    for chunk in chunks(codes):
        for enterprise in Enterprise.objects.filter(uscc__in=chunk):
            context.enterprises[enterprise.uscc] = enterprise
        context.visible.update(visible.filter(uscc__in=chunk).values_list("uscc", flat=True))


# ------------------------------------------------------------------------------------------------------- reading


def _read_rows(found: SheetRows, problems: list[Problem]) -> list[RowPlan]:
    """Read every cell of a sheet into values; a cell that cannot be read is a problem of its row."""
    sheet = found.sheet
    plans = []
    blocked = any(blocking for _, _, blocking in found.header_problems)
    for header, message, blocking in found.header_problems:
        problems.append(Problem("", message, sheet=sheet.name, column=header, blocking=blocking))
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in found.rows:
        plan = RowPlan(sheet, number, {})
        plans.append(plan)
        if blocked:
            continue  # the sheet cannot be read as a whole; its header problems say why
        for position, column in found.columns.items():
            raw = cells[position] if position < len(cells) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                if column.kind in ("money", "staff"):
                    plan.values[column.field] = _amount(column, raw, found.units[column.field])
                else:
                    plan.values[column.field] = column.read(raw)
            except CellError as error:
                plan.refuse(column, str(error), value=raw)
        for column in sheet.columns:
            blank = column.required and column.field in found.units and column.field not in plan.values
            if blank and not _has_problem(plan, column):
                plan.refuse(column, "必填。")
        if all(name in plan.values for name in sheet.key if sheet.fields[name].required):
            plan.key = tuple(plan.values.get(name) for name in sheet.key)
            if plan.key in seen:
                plan.refuse("", f"与第 {seen[plan.key]} 行重复（{_key_words(sheet)}相同）；同一项只能出现一次。")
            else:
                seen[plan.key] = number
    return plans


LARGEST = {"money": Decimal(10) ** 14, "staff": Decimal(10) ** 8}  # what the columns store (16 and 10 digits)


def _amount(column: Column, raw: Any, unit: str) -> Decimal:
    """An amount or a head count, with the checks the model's validators would make, made here once per cell."""
    value = read_decimal(raw, places=2, unit=unit)
    if value < 0 and not column.signed:
        raise CellError("不能为负数。")
    if abs(value) >= LARGEST[column.kind]:
        raise CellError("数值过大，请检查单位（元或万元）。")
    return value


def _key_words(sheet: Sheet) -> str:
    return "、".join(sheet.fields[name].label for name in sheet.key)


# ------------------------------------------------------------------------------------------------- checking a row


def _field_header(sheet: Sheet, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    if name in sheet.fields:
        return sheet.fields[name].header
    return str(sheet.model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _validate(plan: RowPlan, instance: models.Model, exclude: list[str]) -> None:
    """Validate the merged row as the model does; each message lands on the column of its field.

    Fields the row leaves blank keep a stored (already valid) value or none, so only the filled ones are checked
    field by field; the model's checks across fields (``clean``) always run on the whole merged row.
    """
    checked = {name for name, column in plan.sheet.fields.items() if column.kind in LARGEST}  # by _amount
    unfilled = [f.name for f in instance._meta.concrete_fields if f.name not in plan.values or f.name in checked]
    try:
        instance.full_clean(exclude=[*exclude, *unfilled], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            header = _field_header(plan.sheet, name)
            for message in messages:
                plan.refuse(header, message, value=plan.values.get(name))


def _settle(plan: RowPlan, existing: models.Model | None, instance: models.Model) -> None:
    """Decide the row's action from its problems and what it changes."""
    plan.instance = instance
    if not plan.valid or plan.key is None:
        plan.action = INVALID
        return
    if existing is None:
        plan.action = CREATE
        plan.changes = {name: [None, value] for name, value in plan.values.items()}
        return
    plan.changes = {
        name: [getattr(existing, name), value]
        for name, value in plan.values.items()
        if name not in plan.sheet.key and getattr(existing, name) != value
    }
    plan.action = UPDATE if plan.changes else UNCHANGED


def _merged(existing: models.Model | None, model: type[models.Model], values: dict[str, Any]) -> models.Model:
    instance = copy.copy(existing) if existing is not None else model()
    for name, value in values.items():
        if name != "uscc" or model is Enterprise:
            setattr(instance, name, value)
    return instance


def _check_enterprise(plan: RowPlan, context: Context) -> None:
    values = plan.values
    uscc = values.get("uscc")
    existing = context.enterprises.get(uscc) if uscc else None
    if existing is not None and uscc not in context.visible:
        plan.refuse(ENTERPRISES.fields["uscc"], "该企业已登记在您的管辖范围之外，不能通过导入修改。", value=uscc)
    if "region_code" in values:
        _resolve_region(plan, context)
    if "industry_code" in values:
        _check_industry(plan, context)
    if existing is None:
        for column in ENTERPRISES.columns:
            if column.required_new and column.field not in values and not _has_problem(plan, column):
                plan.refuse(column, "新登记的企业必须填写此项。")
    instance = _merged(existing, Enterprise, values)
    if uscc and plan.valid:
        _validate(plan, instance, exclude=["agency"])
    if values.get("registered_on") and values["registered_on"] > context.today:
        plan.refuse(ENTERPRISES.fields["registered_on"], "成立日期不能晚于今天。", value=values["registered_on"])
    _settle(plan, existing, instance)


def _has_problem(plan: RowPlan, column: Column) -> bool:
    return any(p.column == column.header for p in plan.problems)


def _resolve_region(plan: RowPlan, context: Context) -> None:
    column = ENTERPRISES.fields["region_code"]
    typed = plan.values["region_code"]
    if typed in context.ambiguous_regions:
        plan.refuse(column, f"有多个区县名为“{typed}”，请填 6 位行政区划代码。", value=typed)
        return
    code = context.regions.get(typed)
    if code is None:
        plan.refuse(column, "未知的区县：请填本市所辖区县的名称（如 蓬江区）或 6 位行政区划代码。", value=typed)
        return
    if context.allowed_regions is not None and code not in context.allowed_regions:
        plan.refuse(column, "不在您的管辖范围内：区县工作人员只能导入本区县的企业。", value=typed)
        return
    plan.values["region_code"] = code


def _check_industry(plan: RowPlan, context: Context) -> None:
    column = ENTERPRISES.fields["industry_code"]
    code = plan.values["industry_code"]
    if not INDUSTRY_CODE.match(code) or len(code) < len("C39"):  # the registry files an enterprise to a division
        plan.refuse(column, "行业代码格式应为门类字母加 2–4 位数字，如 C39 或 C3989。", value=code)
    elif code in context.industries:
        return
    elif len(code) in context.industry_levels or code[:3] not in context.industries:
        plan.refuse(column, "《国民经济行业分类》（GB/T 4754-2017）中没有这个代码。", value=code)


def _owner(plan: RowPlan, context: Context, sheet_plans: dict[str, RowPlan]) -> tuple[Enterprise | None, bool]:
    """The enterprise a row belongs to, and whether it exists yet; refuses the row when it cannot have one."""
    uscc = plan.values.get("uscc")
    if uscc is None:
        return None, False
    column = plan.sheet.fields["uscc"]
    enterprise_plan = sheet_plans.get(uscc)
    existing = context.enterprises.get(uscc)
    if existing is not None and uscc not in context.visible:
        plan.refuse(column, "该企业不在您的管辖范围内。", value=uscc)
        return None, True
    if enterprise_plan is not None and enterprise_plan.instance is not None and enterprise_plan.valid:
        return enterprise_plan.instance, existing is not None  # type: ignore[return-value]
    if existing is not None:
        return existing, True
    if enterprise_plan is not None:
        plan.refuse(column, f"该企业在“企业”表第 {enterprise_plan.row} 行有问题，须先改正。", value=uscc)
        return enterprise_plan.instance, False  # type: ignore[return-value]  # still check the row against it
    plan.refuse(column, "该企业尚未登记：请在“企业”表中同时填写该企业。", value=uscc)
    return None, False


def _check_year(plan: RowPlan, context: Context, owner: Enterprise | None, existing: YearlyFigures | None) -> None:
    year = plan.values.get("year")
    column = YEARS.fields["year"]
    if year is not None:
        registered = owner.registered_on if owner is not None else None
        if registered is not None and year < registered.year:
            plan.refuse(column, f"会计年度早于企业成立年度（成立于 {registered.isoformat()}）。", value=year)
        elif year > context.today.year:
            plan.refuse(column, f"会计年度不能晚于今年（{context.today.year} 年）。", value=year)
        elif year < 1949:
            plan.refuse(column, "会计年度应为四位年份，如 2024。", value=year)
    instance = _merged(existing, YearlyFigures, plan.values)
    if plan.valid:
        _validate(plan, instance, exclude=["enterprise"])
    _settle(plan, existing, instance)


def _check_item(plan: RowPlan, existing: models.Model | None, today: date) -> None:
    values = plan.values
    if plan.sheet is IP_ITEMS and existing is None:
        values.setdefault("count", 1)
    for name in ("granted_on", "acquired_on", "issued_on", "date"):
        if name in plan.sheet.fields and values.get(name) and values[name] > today:
            plan.refuse(plan.sheet.fields[name], "日期不能晚于今天。", value=values[name])
    instance = _merged(existing, plan.sheet.model, values)
    issued, expires = getattr(instance, "issued_on", None), getattr(instance, "expires_on", None)
    if issued and expires and expires < issued:
        plan.refuse(CERTIFICATES.fields["expires_on"], "有效期至不能早于发证日期。", value=expires)
    if plan.valid:
        _validate(plan, instance, exclude=["enterprise"])
    _settle(plan, existing, instance)


def _existing_children(model: type[models.Model], key: tuple[str, ...], ids: list[int]) -> dict[tuple[Any, ...], Any]:
    """Stored rows of the given enterprises, by (credit code, rest of the key)."""
    found: dict[tuple[Any, ...], Any] = {}
    for chunk in chunks(ids):
        for row in model.objects.filter(enterprise_id__in=chunk).select_related("enterprise"):  # type: ignore[attr-defined]
            found[(row.enterprise.uscc, *(getattr(row, name) for name in key[1:]))] = row
    return found


# ----------------------------------------------------------------------------------------------------------- check


def check_workbook(
    found: list[SheetRows],
    *,
    user: User,
    today: date,
    ignored: Iterable[str] = (),
    progress: Progress | None = None,
) -> CheckResult:
    """Plan every row of the recognised sheets against the registry as ``user`` may change it; write nothing."""
    problems: list[Problem] = []
    plans: dict[str, list[RowPlan]] = {}
    by_sheet = {f.sheet.name: f for f in found}
    for sheet in SHEETS:  # enterprises first: the other sheets' rows may name enterprises it creates
        if sheet.name in by_sheet:
            plans[sheet.name] = _read_rows(by_sheet[sheet.name], problems)
    total = sum(len(p) for p in plans.values())
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)

    context = _context(user, today)
    _load_enterprises(context, {p.values["uscc"] for ps in plans.values() for p in ps if "uscc" in p.values})
    enterprise_plans: dict[str, RowPlan] = {}
    for plan in plans.get(ENTERPRISES.name, []):
        _check_enterprise(plan, context)
        if "uscc" in plan.values:
            enterprise_plans.setdefault(plan.values["uscc"], plan)
        advance()
    known_ids = [e.pk for code, e in context.enterprises.items() if code in context.visible]
    for sheet in SHEETS[1:]:  # every list an enterprise has: its rows need their enterprise
        if sheet.name not in plans:
            continue
        stored = _existing_children(sheet.model, sheet.key, known_ids)
        for plan in plans[sheet.name]:
            owner, _exists = _owner(plan, context, enterprise_plans) if plan.key is not None else (None, False)
            existing = stored.get(plan.key) if plan.key is not None else None
            if sheet is YEARS:
                _check_year(plan, context, owner, existing)
            else:
                _check_item(plan, existing, today)
            advance()
    for sheet in SHEETS:
        for plan in plans.get(sheet.name, []):
            problems.extend(plan.problems)
    return CheckResult(plans=plans, problems=problems, ignored_sheets=list(ignored))

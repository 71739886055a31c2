"""Reading one enterprise's JSON document (``shared/reference/facts.md``) into a facts row.

Every problem is collected, not just the first, and named by its JSON path with a message in Chinese. Lists
(``ip``, ``certificates``, ``awards``, …) are aggregated into the counts the programs read, relative to ``as_of``.
An absent key is unknown; an empty list is "none".

>>> doc = read_document({"as_of": "2025-06-30", "enterprise": {"registered_on": "2019-04-02"},
...                      "years": {"2024": {"sales_revenue": "50000000"}}})
>>> doc.row["sales_revenue_y3"], doc.row["registered_on"]
(50000000, datetime.date(2019, 4, 2))
>>> read_document({"as_of": "2025-06-30", "years": {"2024": {"sales_revenue": -1}}})
Traceback (most recent call last):
...
gaoqi.rules.problems.InputError: years.2024.sales_revenue: 不能为负数（收到 -1）。
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl
from stdnum.cn import uscc as uscc_checksum
from stdnum.exceptions import ValidationError

from gaoqi.rules.aggregate import (
    AWARD_KINDS,
    CERTIFICATE_PROGRAMS,
    CLASS_1,
    CLASS_2,
    INSTITUTION_LEVELS,
    IP_FLAGS,
    aggregate_items,
)
from gaoqi.rules.facts import (
    DEFAULTS,
    FACTS,
    PARTS_OF_WHOLES,
    RD_BREAKDOWN,
    RD_BREAKDOWN_PARTS,
    YEARLY_BASES,
    facts_frame,
)
from gaoqi.rules.problems import InputError as InputError  # the platform's old import path
from gaoqi.rules.problems import Problem as Problem

ACQUIRED = ("self", "transfer", "gift", "merger")
TITLES = ("is_tech_innovation_demo", "is_ip_advantage_or_demo")
"""Titles held on the evaluation date that a program names (innovative SME direct route), as flags."""
COMPETITION_GROUPS = ("enterprise", "maker")
COMPETITION_GROUP_LABELS = {"企业组": "enterprise", "创客组": "maker"}
"""The “创客中国” groups' Chinese names, as entrants know them; any other text is refused, never ignored."""
INDUSTRY_CODE = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


@dataclass
class Document:
    as_of: date
    row: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def facts(self) -> pl.DataFrame:
        return facts_frame([self.row])

    def path_of(self, fact: str) -> str:
        return json_path_of(fact, self.as_of)


class _Reader:
    """Walks a document, converting values and collecting problems by JSON path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.items: dict[str, list[dict[str, Any]]] = {}  # the lists given, item by item, for aggregate()

    def give(self, group: str, item: dict[str, Any] | None = None) -> None:
        """The list ``group`` is given (possibly empty); ``item`` is one of its valid items."""
        rows = self.items.setdefault(group, [])
        if item is not None:
            rows.append({"enterprise_id": 0, **item})

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def object(self, value: Any, path: str, known: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"应为对象（{{…}}），收到 {_show(value)}。")
            return {}
        for key in value:
            if key not in known:
                hint = difflib.get_close_matches(key, known, n=1)
                suggestion = f"您是否想写 {hint[0]}？" if hint else f"可用字段：{', '.join(known)}。"
                self.fail(_join(path, key), f"未知字段。{suggestion}")
        return value

    def list(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"应为数组（[…]），收到 {_show(value)}。")
            return []
        return value

    def money(self, value: Any, path: str, *, minimum: float | None = 0) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(path, f"应为以元为单位的金额（整数或数字字符串），收到 {_show(value)}。")
            return None
        try:
            amount = Decimal(value.strip().replace(",", "")) if isinstance(value, str) else Decimal(repr(value))
        except InvalidOperation:
            self.fail(path, f'不是有效的金额：{_show(value)}。金额以元为单位，如 "1500000"。')
            return None
        if not amount.is_finite() or amount != amount.to_integral_value():
            self.fail(path, f"金额须为整数元（收到 {_show(value)}）；请四舍五入到元。")
            return None
        if minimum is not None and amount < minimum:
            self.fail(path, f"不能为负数（收到 {_show(value)}）。")
            return None
        return int(amount)

    def number(
        self, value: Any, path: str, *, minimum: float | None = 0, maximum: float | None = None, integer: bool = False
    ) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = float(value) if not integer else int(value)
            except ValueError:
                self.fail(path, f"应为{'整数' if integer else '数字'}，收到 {_show(value)}。")
                return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"应为{'整数' if integer else '数字'}，收到 {_show(value)}。")
            return None
        if integer and not float(value).is_integer():
            self.fail(path, f"应为整数，收到 {_show(value)}。")
            return None
        if minimum is not None and value < minimum:
            self.fail(path, f"不能小于 {_num(minimum)}（收到 {_show(value)}）。")
            return None
        if maximum is not None and value > maximum:
            self.fail(path, f"不能大于 {_num(maximum)}（收到 {_show(value)}）。")
            return None
        return int(value) if integer else float(value)

    def boolean(self, value: Any, path: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.fail(path, f"应为 true 或 false，收到 {_show(value)}。")
        return None

    def date(self, value: Any, path: str, *, not_after: date | None = None, what: str = "评价日期") -> date | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(path, f"应为日期字符串 YYYY-MM-DD，收到 {_show(value)}。")
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"不是有效日期：{_show(value)}（格式 YYYY-MM-DD，如 2019-04-02）。")
            return None
        if not_after is not None and parsed > not_after:
            self.fail(path, f"{parsed.isoformat()} 晚于{what} {not_after.isoformat()}。")
            return None
        return parsed

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        if value not in choices:
            self.fail(path, f"取值应为 {' / '.join(choices)} 之一，收到 {_show(value)}。")
            return None
        return str(value)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f'"{value}"'


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


# ---------------------------------------------------------------------------------------------------- the document

TOP = (
    "as_of",
    "enterprise",
    "years",
    "ip",
    "certificates",
    "records",
    "awards",
    "rd_institutions",
    "standards",
    "equity_financing",
    "competitions",
    "assessments",
)
ENTERPRISE = (
    "uscc",
    "name",
    "registered_on",
    "region_code",
    "industry_code",
    "hnte_domain",
    "is_strategic_emerging",
    "is_mainland_resident",
    "tax_collection",
    "zones",
    "is_on_ic_machine_tool_list",
    "is_sme",
    *TITLES,
)
_RD_TOTALS = ("rd_expense", "rd_expense_domestic", "rd_expense_tax", "rd_intangible_amortisation")
YEAR_KEYS = (
    *(base for base in YEARLY_BASES if not base.startswith("rd_") or base in _RD_TOTALS),
    "rd_breakdown",
    "staff_monthly",
)


def read_json_text(text: str) -> Document:
    """Parse JSON text; a syntax error is reported with its line and column."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem("", f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{_json_error(exc.msg)}。")]
        ) from None
    return read_document(doc)


def _json_error(msg: str) -> str:
    words = {
        "Expecting value": "此处应为一个值",
        "Expecting property name enclosed in double quotes": "字段名须用双引号括起",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "多余的内容",
        "Unterminated string starting at": "字符串未结束",
    }
    return words.get(msg, msg)


def read_document(doc: Any) -> Document:
    """Validate a document and aggregate it into one facts row; raises :class:`InputError` listing every problem."""
    r = _Reader()
    top = r.object(doc, "", TOP)
    if r.problems and not top:
        raise InputError(r.problems)
    as_of = r.date(top.get("as_of"), "as_of")
    if "as_of" not in top:
        r.fail("as_of", "缺少评价日期（申请或评价日期，YYYY-MM-DD）。")
    if as_of is None:
        raise InputError(r.problems)
    row: dict[str, Any] = {}
    enterprise = r.object(top.get("enterprise", {}), "enterprise", ENTERPRISE)
    _read_enterprise(r, enterprise, as_of, row)
    _read_years(r, top.get("years", {}), as_of, row)
    for key, reader in _GROUP_READERS.items():
        if key in top:
            reader(r, top[key], key, as_of, row)
    if r.problems:
        raise InputError(r.problems)
    if r.items:
        row.update(aggregate_items(r.items, as_of=as_of))
    for name, value in DEFAULTS.items():
        row.setdefault(name, value)
    return Document(as_of, row, r.warnings)


def _read_enterprise(r: _Reader, e: Mapping[str, Any], as_of: date, row: dict[str, Any]) -> None:
    if "uscc" in e:
        code = e["uscc"]
        if not isinstance(code, str):
            r.fail("enterprise.uscc", f"应为18位字符串，收到 {_show(code)}。")
        else:
            try:
                row["uscc"] = uscc_checksum.validate(code)
            except ValidationError:
                r.fail(
                    "enterprise.uscc",
                    f"统一社会信用代码 {_show(code)} 无效（长度、字符或校验位不符合 GB 32100-2015）。",
                )
    if "name" in e:
        row["name"] = str(e["name"])
    row["registered_on"] = r.date(e.get("registered_on"), "enterprise.registered_on", not_after=as_of)
    if "region_code" in e:
        code = e["region_code"]
        if isinstance(code, str) and re.fullmatch(r"\d{6}", code):
            row["region_code"] = code
        else:
            r.fail("enterprise.region_code", f"行政区划代码应为6位数字（GB/T 2260），收到 {_show(code)}。")
    if "industry_code" in e:
        code = e["industry_code"]
        if isinstance(code, str) and INDUSTRY_CODE.fullmatch(code):
            row["industry_code"] = code
        else:
            r.fail(
                "enterprise.industry_code",
                f"国民经济行业分类代码应为门类字母加2–4位数字（如 C3989），收到 {_show(code)}。",
            )
    if "hnte_domain" in e:  # null means "in none of the domains", which is known: 0
        domain = e["hnte_domain"]
        row["hnte_domain"] = (
            0 if domain is None else r.number(domain, "enterprise.hnte_domain", minimum=1, maximum=8, integer=True)
        )
    for flag in ("is_strategic_emerging", "is_mainland_resident", "is_on_ic_machine_tool_list", "is_sme", *TITLES):
        if flag in e:
            row[flag] = r.boolean(e[flag], f"enterprise.{flag}")
    if "tax_collection" in e:
        row["tax_collection"] = r.choice(e["tax_collection"], "enterprise.tax_collection", ("actual", "deemed"))
    if "zones" in e:
        zones = r.list(e["zones"], "enterprise.zones")
        row["zones"] = ";".join(str(z) for z in zones)


def _read_years(r: _Reader, years: Any, as_of: date, row: dict[str, Any]) -> None:
    years = r.object(years, "years", tuple(years) if isinstance(years, dict) else ())
    registered = row.get("registered_on")
    for key, data in years.items():
        path = f"years.{key}"
        if not re.fullmatch(r"\d{4}", str(key)):
            r.fail(path, '年度应为四位数字，如 "2024"。')
            continue
        year = int(key)
        k = year - as_of.year + 4
        if k not in (1, 2, 3):
            what = "申请（评价）当年及以后" if year >= as_of.year else "近三个会计年度之前"
            r.warnings.append(
                Problem(path, f"{year} 年属于{what}，评价只使用 {as_of.year - 3}–{as_of.year - 1} 年数据，已忽略。")
            )
            continue
        if registered is not None and year < registered.year:
            r.fail(path, f"{year} 年早于成立日期 {registered.isoformat()} 所在年度。")
            continue
        _read_year(r, r.object(data, path, YEAR_KEYS), path, k, row)


def _read_year(r: _Reader, data: Mapping[str, Any], path: str, k: int, row: dict[str, Any]) -> None:
    for base in YEAR_KEYS:
        if base in ("rd_breakdown", "staff_monthly") or base not in data:
            continue
        fact = FACTS[f"{base}_y{k}"]
        where = _join(path, base)
        if fact.unit == "yuan":
            row[fact.name] = r.money(data[base], where, minimum=fact.minimum)
        else:
            row[fact.name] = r.number(
                data[base], where, minimum=fact.minimum, maximum=fact.maximum, integer=fact.dtype == pl.Int64
            )
    if "rd_breakdown" in data:
        if data.get("rd_expense") is not None:
            r.fail(
                _join(path, "rd_breakdown"),
                "rd_expense 与 rd_breakdown 只能二选一：给出明细时由系统按口径计算研发费用总额。",
            )
        keys = (*RD_BREAKDOWN, *RD_BREAKDOWN_PARTS)
        breakdown = r.object(data["rd_breakdown"], _join(path, "rd_breakdown"), keys)
        for key in keys:
            row[f"rd_{key}_y{k}"] = r.money(breakdown.get(key, 0), _join(_join(path, "rd_breakdown"), key))
    if "staff_monthly" in data:
        _read_staff_monthly(r, data["staff_monthly"], _join(path, "staff_monthly"), k, row, given=data)
    _check_shares(r, path, k, row)


def _read_staff_monthly(
    r: _Reader, monthly: Any, path: str, k: int, row: dict[str, Any], *, given: Mapping[str, Any]
) -> None:
    """195号 三（五）: month average = (start + end) / 2; the year figure is the mean of the months in operation."""
    monthly = r.object(monthly, path, ("total", "st", "rd"))
    for kind, base in (("total", "staff_total"), ("st", "staff_st"), ("rd", "staff_rd")):
        if kind not in monthly:
            continue
        where = _join(path, kind)
        if base in given:
            r.fail(where, f"{base} 与 staff_monthly.{kind} 只能二选一。")
            continue
        months = r.list(monthly[kind], where)
        if not 1 <= len(months) <= 12:
            r.fail(where, f"应为1–12个月的 [月初, 月末] 人数，收到 {len(months)} 个月。")
            continue
        halves = 0.0
        for i, pair in enumerate(months):
            if not (isinstance(pair, list) and len(pair) == 2):
                r.fail(_join(where, i), f"应为 [月初人数, 月末人数]，收到 {_show(pair)}。")
                continue
            start = r.number(pair[0], _join(_join(where, i), 0))
            end = r.number(pair[1], _join(_join(where, i), 1))
            if start is not None and end is not None:
                halves += start + end
        row[f"{base}_y{k}"] = halves / 2 / len(months)


def _check_shares(r: _Reader, path: str, k: int, row: Mapping[str, Any]) -> None:
    """A part may not exceed its whole: a share above 100 % is a data error, not a strong result."""
    for part, whole, message in PARTS_OF_WHOLES:
        a, b = row.get(f"{part}_y{k}"), row.get(f"{whole}_y{k}")
        if a is not None and b is not None and a > b:
            key = part.removeprefix("rd_")
            where = _join(_join(path, "rd_breakdown"), key) if key in RD_BREAKDOWN_PARTS else _join(path, part)
            r.fail(where, f"{message}（{_num(a)} > {_num(b)}）。")
    income, total, untaxed = (row.get(f"{n}_y{k}") for n in ("hightech_income", "total_income", "non_taxable_income"))
    if income is not None and total is not None and income > total - (untaxed or 0):
        r.fail(
            _join(path, "hightech_income"),
            f"高新技术产品（服务）收入不能超过总收入（收入总额减不征税收入，{_num(total - (untaxed or 0))}）。",
        )


# ---------------------------------------------------------------------------------------------------- list groups


def _read_ip(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    keys = ("kind", "count", "granted_on", "acquired", "acquired_on", *IP_FLAGS, "number", "title")
    r.give("ip")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, keys)
        kind = r.choice(item.get("kind"), _join(where, "kind"), CLASS_1 + CLASS_2)
        if "kind" not in item:
            r.fail(_join(where, "kind"), "缺少知识产权类型。")
        n = r.number(item.get("count", 1), _join(where, "count"), minimum=1, integer=True)
        granted = r.date(item.get("granted_on"), _join(where, "granted_on"))
        acquired = r.choice(item.get("acquired"), _join(where, "acquired"), ACQUIRED)
        acquired_on = r.date(item.get("acquired_on"), _join(where, "acquired_on"), not_after=as_of)
        flags = {flag: r.boolean(item.get(flag), _join(where, flag)) for flag in IP_FLAGS}
        if kind is None or n is None:
            continue
        if granted is not None and granted > as_of:
            r.warnings.append(Problem(where, f"授权日期 {granted.isoformat()} 晚于评价日期，此项未计入。"))
            continue
        r.give("ip", {"kind": kind, "count": n, "granted_on": granted, "acquired": acquired,
                      "acquired_on": acquired_on, **flags})  # fmt: skip


def _read_certificates(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    r.give("certificates")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, ("program", "issued_on", "number", "expires_on"))
        program = r.choice(item.get("program"), _join(where, "program"), CERTIFICATE_PROGRAMS)
        issued = r.date(item.get("issued_on"), _join(where, "issued_on"), not_after=as_of)
        if program is None or issued is None:
            if "issued_on" not in item:
                r.fail(_join(where, "issued_on"), "缺少发证（认定）日期。")
            continue
        r.give("certificates", {"program": program, "issued_on": issued})


def _read_records(r: _Reader, records: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    flags = ("is_on_abnormal_list", "is_seriously_dishonest", "has_research_misconduct", "has_prohibited_products",
             "has_tax_evasion_3y")  # fmt: skip
    records = r.object(records, path, ("major_incident_dates", *flags))
    for flag in flags:
        if flag in records:
            row[flag] = r.boolean(records[flag], _join(path, flag))
    if "major_incident_dates" not in records:
        return
    r.give("incidents")
    where = _join(path, "major_incident_dates")
    for i, d in enumerate(r.list(records["major_incident_dates"], where)):
        on = r.date(d, _join(where, i), not_after=as_of)
        if on is not None:
            r.give("incidents", {"date": on})


def _read_year_of(r: _Reader, item: Mapping[str, Any], where: str, as_of: date) -> int | None:
    year = r.number(item.get("year"), _join(where, "year"), minimum=1949, maximum=as_of.year, integer=True)
    return None if year is None else int(year)


def _read_awards(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    r.give("awards")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, ("level", "rank", "year", "name", "kind"))
        level = r.choice(item.get("level"), _join(where, "level"), ("national", "provincial"))
        rank = r.number(item.get("rank"), _join(where, "rank"), minimum=1, integer=True)
        kind = r.choice(item.get("kind"), _join(where, "kind"), AWARD_KINDS)
        r.give("awards", {"level": level, "rank": rank, "year": _read_year_of(r, item, where, as_of), "kind": kind})


def _read_institutions(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    r.give("rd_institutions")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, ("level", "kind", "name"))
        level = r.choice(item.get("level"), _join(where, "level"), tuple(INSTITUTION_LEVELS))
        r.give("rd_institutions", {"level": level})


def _read_standards(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    r.give("standards")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, ("level", "rank", "year", "name", "number"))
        level = r.choice(item.get("level"), _join(where, "level"), ("international", "national", "industry"))
        rank = r.number(item.get("rank"), _join(where, "rank"), minimum=1, integer=True)
        r.give("standards", {"level": level, "rank": rank, "year": _read_year_of(r, item, where, as_of)})


def _read_financing(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    r.give("equity_financing")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, ("date", "amount", "investor"))
        on = r.date(item.get("date"), _join(where, "date"), not_after=as_of)
        amount = r.money(item.get("amount"), _join(where, "amount"))
        r.give("equity_financing", {"date": on, "amount": amount})


def _read_competitions(r: _Reader, items: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    r.give("competitions")
    for i, raw in enumerate(r.list(items, path)):
        where = _join(path, i)
        item = r.object(raw, where, ("name", "group", "rank", "year", "level"))
        rank = r.number(item.get("rank"), _join(where, "rank"), minimum=1, integer=True)
        name = None if item.get("name") is None else str(item["name"])
        group = item.get("group")
        group = COMPETITION_GROUP_LABELS.get(group, group) if isinstance(group, str) else group
        group = r.choice(group, _join(where, "group"), COMPETITION_GROUPS)
        level = r.choice(item.get("level"), _join(where, "level"), ("national", "provincial"))
        r.give("competitions", {"name": name, "group": group, "level": level, "rank": rank,
                                "year": _read_year_of(r, item, where, as_of)})  # fmt: skip


ASSESSMENTS = (
    "ip_advancement", "ip_core_support", "ip_acquisition", "standard_bonus", "conversion_score", "rd_management",
    "expert_scores", "niche_years", "market_share", "market_rank", "chain_field", "is_time_honoured_brand",
    "is_chain_leader_supplier", "has_information_system",
    "has_certification", "has_own_brand", "has_quality_award", "local_score", "platform_score", "platform_score_prev",
    "is_srdi_sme_renewal", "is_little_giant_renewal",
)  # fmt: skip


def _read_assessments(r: _Reader, data: Any, path: str, as_of: date, row: dict[str, Any]) -> None:
    data = r.object(data, path, ASSESSMENTS)
    for name, value in data.items():
        if name not in ASSESSMENTS:  # reported as unknown by object()
            continue
        where = _join(path, name)
        if name == "rd_management":
            items = r.list(value, where)
            if len(items) != 4:
                r.fail(where, f"应为四项评分 [0–6, 0–6, 0–4, 0–4]（未评的项填 null），收到 {len(items)} 项。")
                continue
            for i, item in enumerate(items):
                fact = FACTS[f"rd_management_{i + 1}"]
                row[fact.name] = r.number(item, _join(where, i), minimum=0, maximum=fact.maximum, integer=True)
        elif name == "expert_scores":
            scores = [
                r.number(s, _join(where, i), minimum=0, maximum=100, integer=True)
                for i, s in enumerate(r.list(value, where))
            ]
            if scores and None not in scores:
                row["expert_score_sum"], row["expert_score_count"] = sum(scores), len(scores)
        elif name == "chain_field":
            row[name] = r.choice(value, where, FACTS[name].choices)
        elif name.startswith(("is_", "has_")):
            row[name] = r.boolean(value, where)
        else:
            fact = FACTS[name]
            integer = fact.dtype == pl.Int64
            row[name] = r.number(value, where, minimum=fact.minimum, maximum=fact.maximum, integer=integer)


_GROUP_READERS: dict[str, Callable[[_Reader, Any, str, date, dict[str, Any]], None]] = {
    "ip": _read_ip,
    "certificates": _read_certificates,
    "records": _read_records,
    "awards": _read_awards,
    "rd_institutions": _read_institutions,
    "standards": _read_standards,
    "equity_financing": _read_financing,
    "competitions": _read_competitions,
    "assessments": _read_assessments,
}

# ---------------------------------------------------------------------------------------------------- paths back

_SOURCES = {
    "ip_": "ip",
    "has_certificate_record": "certificates",
    "num_major_incidents": "records.major_incident_dates",
    "num_awards": "awards",
    "rd_institution_level": "rd_institutions",
    "num_standards": "standards",
    "equity_financing": "equity_financing",
    "num_maker_china": "competitions",
    "rd_management_": "assessments.rd_management",
    "expert_score": "assessments.expert_scores",
}


def json_path_of(fact: str, as_of: date) -> str:
    """Where in the JSON document a fact comes from: ``sales_revenue_y3`` → ``years.2024.sales_revenue``.

    >>> json_path_of("sales_revenue_y3", date(2025, 6, 30)), json_path_of("ip_core", date(2025, 6, 30))
    ('years.2024.sales_revenue', 'ip')
    """
    spec = FACTS.get(fact)
    if spec is not None and spec.yearly_base is not None and spec.year is not None:
        base = spec.yearly_base
        if base.startswith("rd_") and base not in ("rd_expense", "rd_expense_domestic", "rd_expense_tax"):
            base = f"rd_breakdown.{base[3:]}" if base[3:] in (*RD_BREAKDOWN, *RD_BREAKDOWN_PARTS) else base
        return f"years.{as_of.year - 4 + spec.year}.{base}"
    if fact == "ip_advancement" or fact == "ip_core_support" or fact == "ip_acquisition":
        return f"assessments.{fact}"
    for prefix, source in _SOURCES.items():
        if fact.startswith(prefix):
            return source
    if fact.endswith("_issued_on"):
        return "certificates"
    if fact in ENTERPRISE:
        return f"enterprise.{fact}"
    if fact in ASSESSMENTS:
        return f"assessments.{fact}"
    if fact.startswith(("is_on_", "is_seriously", "has_research", "has_prohibited", "has_tax")):
        return f"records.{fact}"
    return fact

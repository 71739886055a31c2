"""Tables of enterprises (CSV, Excel, Parquet) in and out, for screening.

Column headers are fact names (``sales_revenue_y3``) or their Chinese labels (``销售收入（第3年）``). Every cell that
cannot be read is reported by row and column; nothing is evaluated until the table is clean.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from stdnum.cn import uscc as uscc_checksum

from gaoqi.rules.engine import Plan
from gaoqi.rules.evaluate import Results
from gaoqi.rules.facts import FACTS, FACTS_SCHEMA, PARTS_OF_WHOLES, RD_BREAKDOWN_PARTS
from gaoqi.rules.problems import InputError, Problem

SUFFIXES = (".csv", ".xlsx", ".parquet")
MAX_PROBLEMS = 200
TRUE_WORDS = ("true", "1", "是", "yes", "y", "t")
FALSE_WORDS = ("false", "0", "否", "no", "n", "f")


def _cell(row: int, column: str) -> str:
    fact = FACTS.get(column)
    label = f"（{fact.label}）" if fact else ""
    return f"第 {row} 行，列 {column}{label}"


def _read_raw(path: Path) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            [Problem(str(path), f"不支持的文件类型 {suffix or '（无扩展名）'}；请使用 CSV、Excel（.xlsx）或 Parquet。")]
        )
    if not path.exists():
        raise InputError([Problem(str(path), "文件不存在。")])
    try:
        if suffix == ".csv":
            return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        if suffix == ".xlsx":
            return pl.read_excel(path, infer_schema_length=0)
        return pl.read_parquet(path)
    except Exception as exc:  # the readers raise many types; the user needs one sentence
        raise InputError(
            [Problem(str(path), f"无法读取文件：{type(exc).__name__}（文件可能已损坏或格式不符）。")]
        ) from None


def _header_map(columns: list[str]) -> tuple[dict[str, str], list[Problem]]:
    by_label = {fact.label: name for name, fact in FACTS.items()}
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for column in columns:
        clean = column.strip().lstrip("\ufeff")
        name = clean if clean in FACTS else by_label.get(clean)
        if name is None:
            problems.append(Problem(f"列 {clean}", "未知列名：请使用模板中的字段名（如 sales_revenue_y3）或中文列名。"))
        elif name in mapping.values():
            problems.append(Problem(f"列 {clean}", f"与另一列重复（均对应 {name}）。"))
        else:
            mapping[column] = name
    return mapping, problems


def _parse(column: pl.Series, name: str) -> tuple[pl.Series, pl.Series, str]:
    """(parsed column, rows that failed, what was expected) for one column read as text."""
    dtype = FACTS_SCHEMA[name]
    if column.dtype == dtype:
        return column, pl.Series([False] * len(column)), ""
    text = column.cast(pl.String).str.strip_chars()
    text = pl.Series(name, text).replace("", None)
    if dtype == pl.Int64:
        cleaned = text.str.replace_all(",", "")
        number = cleaned.cast(pl.Float64, strict=False)
        bad = (text.is_not_null() & (number.is_null() | (number != number.round(0)))).fill_null(True)
        return number.round(0).cast(pl.Int64, strict=False), bad, "整数（金额以元为单位）"
    if dtype == pl.Float64:
        number = text.cast(pl.Float64, strict=False)
        return number, text.is_not_null() & number.is_null(), "数字"
    if dtype == pl.Date:
        parsed = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        return parsed, text.is_not_null() & parsed.is_null(), "日期 YYYY-MM-DD"
    if dtype == pl.Boolean:
        lower = text.str.to_lowercase()
        parsed = pl.Series(name, [None] * len(text), dtype=pl.Boolean)
        parsed = pl.select(
            pl.when(lower.is_in(TRUE_WORDS)).then(True).when(lower.is_in(FALSE_WORDS)).then(False).otherwise(parsed)
        ).to_series()
        return parsed, text.is_not_null() & parsed.is_null(), "是/否（true/false）"
    return text, pl.Series([False] * len(text)), ""


def _range_problems(series: pl.Series, name: str, first_row: int) -> list[Problem]:
    fact = FACTS[name]
    problems = []
    checks = []
    if fact.minimum is not None and series.dtype in (pl.Int64, pl.Float64):
        checks.append((series < fact.minimum, "负数" if fact.minimum == 0 else f"小于 {fact.minimum:g}"))
    if fact.maximum is not None and series.dtype in (pl.Int64, pl.Float64):
        checks.append((series > fact.maximum, f"大于 {fact.maximum:g}"))
    if fact.choices:
        checks.append((series.is_not_null() & ~series.is_in(fact.choices), f"取值应为 {'/'.join(fact.choices)} 之一"))
    for bad, what in checks:
        for i in bad.fill_null(False).arg_true().head(MAX_PROBLEMS).to_list():
            problems.append(
                Problem(
                    _cell(i + first_row, name),
                    f"不能为{what}（收到 {series[i]}）。" if what == "负数" else f"{what}（收到 {series[i]}）。",
                )
            )
    if name == "uscc":
        for i, code in enumerate(series.to_list()):
            if code is not None and not uscc_checksum.is_valid(code):
                problems.append(
                    Problem(_cell(i + first_row, name), f"统一社会信用代码 {code} 无效（GB 32100-2015 校验不通过）。")
                )
                if len(problems) >= MAX_PROBLEMS:
                    break
    return problems


def _share_problems(frame: pl.DataFrame, first_row: int) -> list[Problem]:
    problems = []
    for k in (1, 2, 3):
        for part, whole, what in PARTS_OF_WHOLES:
            a, b = f"{part}_y{k}", f"{whole}_y{k}"
            if a not in frame.columns:
                continue
            wholes = frame[b] if b in frame.columns else pl.repeat(None, frame.height, dtype=frame[a].dtype, eager=True)
            if part.removeprefix("rd_") in RD_BREAKDOWN_PARTS:
                wholes = wholes.fill_null(0)  # a breakdown item not given is none, so its part cannot be more
            for i in (frame[a] > wholes).fill_null(False).arg_true().head(MAX_PROBLEMS).to_list():
                problems.append(Problem(_cell(i + first_row, a), f"{what}（{frame[a][i]} > {wholes[i]}）。"))
    return problems


def read_table(path: Path | str) -> pl.DataFrame:
    """Read a table of facts; raises :class:`InputError` naming every bad cell by row and column."""
    path = Path(path)
    raw = _read_raw(path)
    if raw.height == 0:
        raise InputError([Problem(str(path), "表格没有数据行。")])
    mapping, problems = _header_map(raw.columns)
    first_row = 2  # row 1 is the header
    columns = {}
    for original, name in mapping.items():
        parsed, bad, expected = _parse(raw[original], name)
        for i in bad.arg_true().head(MAX_PROBLEMS).to_list():
            problems.append(Problem(_cell(i + first_row, name), f'应为{expected}，收到 "{raw[original][i]}"。'))
        columns[name] = parsed.alias(name)
        problems.extend(_range_problems(columns[name], name, first_row))
    frame = pl.DataFrame(list(columns.values())) if columns else pl.DataFrame()
    problems.extend(_share_problems(frame, first_row))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return frame


def readable(results: Results, *, chinese: bool = False) -> pl.DataFrame:
    """The results frame with outcomes as words and missing facts as names (or Chinese labels), for CSV and Excel."""
    plan: Plan = results.plan
    frame = results.frame
    words = {True: "符合", False: "不符合"} if chinese else {True: "pass", False: "fail"}
    undetermined = "暂无法判定" if chinese else "undetermined"
    exprs = []
    for column in frame.columns:
        if column.endswith((".passed", ".outcome")):
            exprs.append(pl.col(column).replace_strict(words, default=undetermined, return_dtype=pl.String))
        elif column.endswith(".notes") or column.endswith(".direct"):
            continue
        elif column.endswith(".missing"):
            program, criterion, _ = column.split(".")
            needs = next(cp.needs for cp in plan.criteria[program] if cp.criterion.id == criterion)
            names = [FACTS[n].label if chinese and n in FACTS else n for n in needs]
            parts = [pl.when((pl.col(column) & (1 << i)) != 0).then(pl.lit(n)) for i, n in enumerate(names)]
            exprs.append(
                pl.concat_str(parts, separator="；" if chinese else ";", ignore_nulls=True).alias(column)
                if parts
                else pl.col(column)
            )
        else:
            exprs.append(pl.col(column))
    return frame.select(exprs)


_FIELD_WORDS = {"passed": "结果", "value": "数值", "gap": "差距", "missing": "缺少数据", "outcome": "结论"}


def for_officers(results: Results) -> pl.DataFrame:
    """The readable results with Chinese headers and the columns an officer reads: outcome, value, gap, missing."""
    from gaoqi.rules.engine import PROGRAMS

    frame = readable(results, chinese=True)
    labels = {"uscc": "统一社会信用代码", "name": "企业名称"}
    for name in results.programs:
        labels[f"{name}.outcome"] = f"{PROGRAMS[name].label}｜结论"
        for cp in results.plan.criteria[name]:
            for field, word in _FIELD_WORDS.items():
                labels[f"{name}.{cp.criterion.id}.{field}"] = f"{PROGRAMS[name].label}｜{cp.criterion.label}｜{word}"
    kept = [column for column in frame.columns if column in labels]
    return frame.select(kept).rename({column: labels[column] for column in kept})


def write_table(results: Results, path: Path | str) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        results.frame.write_parquet(path)
    elif suffix == ".csv":
        readable(results).write_csv(path)
    elif suffix == ".xlsx":
        for_officers(results).write_excel(path, worksheet="筛查结果", header_format={"bold": True})
    else:
        raise InputError(
            [Problem(str(path), f"不支持的输出类型 {suffix or '（无扩展名）'}；请使用 .csv、.xlsx 或 .parquet。")]
        )

"""The downloadable import template: an instruction sheet, one sheet per kind of row with Chinese headers that state
their units, drop-down lists and input checks, and a code-list sheet the drop-downs read from.

The same column specs (``gaoqi.imports.columns``) read the file back, so a header in the template is always a
header the reader knows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from gaoqi.imports.cells import WAN, YUAN
from gaoqi.imports.columns import CODES_SHEET, INSTRUCTIONS_SHEET, SHEETS, Column, Sheet
from gaoqi.imports.workbook import MAX_FILE_BYTES, MAX_ROWS

VALIDATED_ROWS = MAX_ROWS + 1  # drop-downs and checks cover every row the reader accepts
GENERAL_RULES = (
    "本模板用于向企业库批量导入或更新企业信息、年度财务与人员数据、知识产权、资质证书等清单，以及企业的信用名单情况、"
    "专家评分和专精特新评价指标。",
    "请勿修改工作表名称和第 1 行的列名；不需要的列可以删除，不认识的列会被忽略并提示。标 * 的列为必填。",
    "每行以“统一社会信用代码”识别企业（18 位，系统按国家标准校验）。",
    f"金额单位为元，可保留 2 位小数；如需以万元填报，请把列名中的“（{YUAN}）”改为“（{WAN}）”，"
    "系统按 1 万元 = 10,000 元精确换算。",
    "空白单元格表示“不修改”：已登记的值保持不变，新登记的企业该项为“未知”（不是 0）。如需填 0，请填写数字 0。",
    "“是/否”列填写“是”或“否”；日期写作 2024-05-01；选择列请从下拉列表中选择。",
    "上传后系统先逐行校验并显示预览（新增、更新、无变化、有问题，问题按工作表、行、列列出），确认后才写入；"
    "有问题的文件默认不写入任何数据，也可以选择只导入无问题的行。",
    "同一文件重复导入不会产生重复数据：已导入且未修改的行显示为“无变化”。",
    f"文件须为 .xlsx 格式，不超过 {MAX_FILE_BYTES // 1024 // 1024} MB，每个工作表不超过 {MAX_ROWS:,} 行。",
)


def template_workbook(
    *,
    regions: list[tuple[str, str]],
    industries: list[tuple[str, str]],
    rows: dict[str, Iterable[Sequence[Any]]] | None = None,
) -> bytes:
    """The template as .xlsx bytes. ``regions`` are the counties the user may import into (code, name);
    ``industries`` the industry codes to list for reference (code, name); ``rows``, by sheet name, the cell values to
    fill in below the headers (stored data exported for editing and re-import)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    styles = _styles(book)
    instructions = book.add_worksheet(INSTRUCTIONS_SHEET)
    data_sheets = {sheet.name: book.add_worksheet(sheet.name) for sheet in SHEETS}
    codes = book.add_worksheet(CODES_SHEET)
    lists = _write_codes(codes, styles, regions, industries)
    _write_instructions(instructions, styles)
    for sheet in SHEETS:
        _write_sheet(data_sheets[sheet.name], sheet, styles, lists)
        formats = [_cell_format(column, styles) for column in sheet.columns]
        for number, values in enumerate((rows or {}).get(sheet.name, ()), start=1):
            for position, value in enumerate(values):
                if value is not None:
                    data_sheets[sheet.name].write(number, position, value, formats[position])
    instructions.activate()
    book.close()
    return buffer.getvalue()


def _styles(book: Any) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "required": book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "text": book.add_format({"num_format": "@"}),
    }


def _column_help(column: Column) -> str:
    parts = []
    if column.required:
        parts.append("必填。")
    elif column.required_new:
        parts.append("新登记企业必填。")
    if column.choices:
        parts.append("可选：" + "、".join(column.choices) + "。")
    if column.note:
        parts.append(column.note)
    return "".join(parts)


def _write_instructions(ws: Any, styles: dict[str, Any]) -> None:
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 90)
    ws.write(0, 0, "高企 科技企业培育服务平台 · 企业数据导入模板 填写说明", styles["title"])
    row = 2
    for number, rule in enumerate(GENERAL_RULES, start=1):
        ws.merge_range(row, 0, row, 3, f"{number}. {rule}", styles["wrap"])
        ws.set_row(row, 32)
        row += 1
    for sheet in SHEETS:
        row += 1
        ws.write(row, 0, f"工作表“{sheet.name}”", styles["bold"])
        ws.merge_range(row, 1, row, 3, sheet.what, styles["wrap"])
        row += 1
        ws.write_row(row, 0, ("列名", "是否必填", "单位", "说明"), styles["header"])
        row += 1
        for column in sheet.columns:
            required = "必填" if column.required else "新企业必填" if column.required_new else ""
            unit = f"{YUAN}（或{WAN}）" if column.unit == YUAN else column.unit
            ws.write_row(row, 0, (column.header, required, unit, _column_help(column)), styles["wrap"])
            row += 1


def _write_codes(
    ws: Any, styles: dict[str, Any], regions: list[tuple[str, str]], industries: list[tuple[str, str]]
) -> dict[str, str]:
    """One code list per column of the sheet; returns ``{list name: absolute range}`` for the drop-downs."""
    lists: dict[str, list[str]] = {"所在区县": [name for _, name in regions], "是/否": ["是", "否"]}
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.choices:
                lists[_list_name(sheet, column)] = list(column.choices)
    ranges = {}
    for position, (name, values) in enumerate(lists.items()):
        ws.write(0, position, name, styles["header"])
        ws.write_column(1, position, values)
        letter = xl_col_to_name(position)
        ranges[name] = f"='{CODES_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        ws.set_column(position, position, max(12, len(name) * 2))
    at = len(lists) + 1
    ws.write_row(0, at, ("行政区划代码", "区县名称"), styles["header"])
    for offset, (code, name) in enumerate(regions, start=1):
        ws.write_row(offset, at, (code, name))
    ws.write_row(0, at + 3, ("行业代码（GB/T 4754-2017）", "类别名称"), styles["header"])
    for offset, (code, name) in enumerate(industries, start=1):
        ws.write_row(offset, at + 3, (code, name))
    ws.set_column(at + 3, at + 3, 24)
    ws.set_column(at + 4, at + 4, 40)
    return ranges


def _write_sheet(ws: Any, sheet: Sheet, styles: dict[str, Any], lists: dict[str, str]) -> None:
    ws.freeze_panes(1, 1)
    ws.set_row(0, 36)
    for position, column in enumerate(sheet.columns):
        required = column.required or column.required_new
        header = f"{column.header}*" if required else column.header
        ws.write(0, position, header, styles["required" if required else "header"])
        ws.write_comment(0, position, _column_help(column) or column.label, {"x_scale": 2, "y_scale": 1.5})
        ws.set_column(position, position, column.width, _cell_format(column, styles))
        _validate(ws, position, column, lists.get(_list_name(sheet, column), ""), lists)


def _cell_format(column: Column, styles: dict[str, Any]) -> Any:
    if column.field == "uscc" or column.kind in ("region", "industry"):
        return styles["text"]  # codes stay text: a leading zero or a letter is never lost
    return {"money": styles["money"], "date": styles["date"], "text": styles["text"]}.get(column.kind)


def _list_name(sheet: Sheet, column: Column) -> str:
    """A drop-down's heading on the code sheet: the column's label, with its sheet where two sheets share a label
    with different choices (级别 of an R&D institution, an award, a standard)."""
    shared = sum(column.label in {c.label for c in other.columns if c.choices} for other in SHEETS)
    return f"{column.label}（{sheet.name}）" if shared > 1 else column.label


def _validate(ws: Any, position: int, column: Column, choices: str, lists: dict[str, str]) -> None:
    """The input checks Excel itself can make; the reader checks everything again."""
    target = (1, position, VALIDATED_ROWS, position)
    if column.kind == "choice":
        ws.data_validation(*target, _list(choices, f"请从下拉列表中选择{column.label}。"))
    elif column.kind == "bool":
        ws.data_validation(*target, _list(lists["是/否"], "请填写“是”或“否”。"))
    elif column.kind == "region":
        ws.data_validation(*target, _list(lists["所在区县"], "请从下拉列表中选择区县。"))
    elif column.kind == "date":
        ws.data_validation(
            *target,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": date(1949, 10, 1),
                "maximum": date(2100, 12, 31),
                "error_title": "日期",
                "error_message": "请填写日期，如 2024-05-01。",
            },
        )
    elif column.kind == "money" and not column.signed:
        ws.data_validation(
            *target,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_title": "金额",
                "error_message": f"{column.label}应为不小于 0 的数字（单位：元，或按列名所注单位）。",
            },
        )
    elif column.bounds is not None and column.kind in ("int", "score", "share"):
        low, high = column.bounds
        whole = column.kind == "int"
        ws.data_validation(
            *target,
            {
                "validate": "integer" if whole else "decimal",
                "criteria": "between" if high is not None else ">=",
                **({"minimum": low, "maximum": high} if high is not None else {"value": low}),
                "error_title": column.label,
                "error_message": f"{column.label}应为{'整数' if whole else '数字'}，范围 {column.span}。",
            },
        )
    elif column.field == "uscc":
        ws.data_validation(
            *target,
            {
                "validate": "length",
                "criteria": "==",
                "value": 18,
                "error_title": "统一社会信用代码",
                "error_message": "统一社会信用代码应为 18 位。",
            },
        )


def _list(source: str, message: str) -> dict[str, Any]:
    return {"validate": "list", "source": source, "error_title": "输入有误", "error_message": message}

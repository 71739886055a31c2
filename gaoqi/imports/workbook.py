"""Opening an uploaded workbook safely and reading its sheets as rows of raw cell values.

An upload is refused with one clear sentence when it is not an .xlsx workbook, is empty, is too large (as a file or
once unpacked), or cannot be read. Nothing here touches the database.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from gaoqi.imports.cells import YUAN
from gaoqi.imports.columns import (
    CODES_SHEET,
    INSTRUCTIONS_SHEET,
    SHEETS_BY_NAME,
    Column,
    Sheet,
    header_units,
    normalise_header,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a zip bomb unpacks to far more than any real template
MAX_ROWS = 100_000  # per sheet
MAX_COLUMNS = 200
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class UploadError(ValueError):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


@dataclass
class SheetRows:
    """One recognised sheet: its columns by position, the unit each declares, the header problems, and its rows."""

    sheet: Sheet
    columns: dict[int, Column]
    units: dict[str, str]
    header_problems: list[tuple[str, str, bool]]  # (column header, message, whether it blocks the sheet)
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number in Excel, cell values)


def check_upload(name: str, content: bytes) -> None:
    """Refuse what is not a readable .xlsx of a sensible size, before any parser sees it."""
    if not content:
        raise UploadError("文件是空的。")
    if len(content) > MAX_FILE_BYTES:
        raise UploadError(
            f"文件过大（{len(content) / 1024 / 1024:.1f} MB），最大 {MAX_FILE_BYTES // 1024 // 1024} MB。"
        )
    if content.startswith(OLE_MAGIC) or name.lower().endswith(".xls"):
        raise UploadError("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再上传。")
    if not name.lower().endswith(".xlsx") or not content.startswith(ZIP_MAGIC):
        raise UploadError("只能上传 Excel 工作簿（.xlsx）；请使用下载的导入模板。")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise UploadError("文件已损坏，无法作为 Excel 工作簿打开。") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadError("文件解压后过大，无法导入；请拆分为几个较小的文件。")
    if "xl/workbook.xml" not in names:
        raise UploadError("文件不是有效的 Excel 工作簿（缺少工作簿结构）。")


def read_sheets(content: bytes) -> tuple[list[SheetRows], list[str]]:
    """The template's sheets found in ``content``, and the names of sheets that were not recognised.

    Rows that are entirely blank are skipped (Excel often keeps formatted empty rows).
    """
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file; the user needs one sentence
        raise UploadError(f"无法读取该 Excel 文件（{type(exc).__name__}），文件可能已损坏。") from None
    found, ignored = [], []
    try:
        for worksheet in book.worksheets:
            sheet = SHEETS_BY_NAME.get(worksheet.title.strip())
            if sheet is None:
                if worksheet.title.strip() not in (INSTRUCTIONS_SHEET, CODES_SHEET):
                    ignored.append(worksheet.title)
                continue
            found.append(_read_sheet(sheet, worksheet.iter_rows(values_only=True)))
    except UploadError:
        raise
    except Exception as exc:
        raise UploadError(f"读取工作表时出错（{type(exc).__name__}），文件可能已损坏。") from None
    finally:
        book.close()
    return found, ignored


def _read_sheet(sheet: Sheet, rows: Iterator[tuple[Any, ...]]) -> SheetRows:
    header = next(rows, None) or ()
    if len(header) > MAX_COLUMNS:
        header = header[:MAX_COLUMNS]
    columns, units, problems = _map_header(sheet, header)
    kept: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(rows, start=2):
        if not any(v is not None and str(v).strip() != "" for v in values):
            continue
        if len(kept) >= MAX_ROWS:
            raise UploadError(f"工作表“{sheet.name}”超过 {MAX_ROWS:,} 行，请拆分为几个文件导入。")
        kept.append((number, tuple(values)))
    return SheetRows(sheet, columns, units, problems, kept)


def _map_header(
    sheet: Sheet, header: tuple[Any, ...]
) -> tuple[dict[int, Column], dict[str, str], list[tuple[str, str, bool]]]:
    by_header: dict[str, tuple[Column, str]] = {}
    bare: dict[str, Column] = {}  # an amount's label typed without its unit: 元 or 万元 cannot be guessed
    for column in sheet.columns:
        for text, unit in header_units(column).items():
            by_header[text] = (column, unit)
        if column.unit == YUAN:
            bare[normalise_header(column.label)] = column
    columns: dict[int, Column] = {}
    units: dict[str, str] = {}
    problems: list[tuple[str, str, bool]] = []
    for position, cell in enumerate(header):
        text = normalise_header(cell)
        if not text:
            continue
        if text in by_header:
            column, unit = by_header[text]
            if column.field in units:
                problems.append((str(cell), f"与另一列重复（均为“{column.label}”）。", True))
                continue
            columns[position] = column
            units[column.field] = unit
        elif text in bare:
            problems.append(
                (str(cell), f"请在列名中注明单位，如“{bare[text].header}”或“{bare[text].label}（万元）”。", True)
            )
        else:
            problems.append((str(cell), "不是模板中的列名；本列将被忽略。", False))
    for column in sheet.columns:
        if (column.required or column.required_new) and column.field not in units:
            problems.append((column.header, "缺少必需的列。", True))
    return columns, units, problems

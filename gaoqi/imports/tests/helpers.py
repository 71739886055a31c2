"""Workbooks for the import tests, written the way an officer would: the downloaded template, filled in."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from gaoqi.imports.columns import SHEETS_BY_NAME
from gaoqi.imports.template import template_workbook


def headers(sheet: str) -> list[str]:
    return [column.header for column in SHEETS_BY_NAME[sheet].columns]


def filled_template(rows: dict[str, list[dict[str, Any]]]) -> bytes:
    """The template with ``rows`` written under its headers: ``{"企业": [{"企业名称": "甲", ...}], ...}``.

    Keys are headers as the template prints them (without the star); absent keys stay blank.
    """
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(regions=[], industries=[])))
    for sheet, records in rows.items():
        ws = book[sheet]
        printed = [str(cell.value).rstrip("*") for cell in ws[1]]
        for record in records:
            unknown = set(record) - set(printed)
            assert not unknown, f"not a header of {sheet}: {unknown}"
            ws.append([record.get(header) for header in printed])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook of exactly these sheets and rows (first row the header), for files that stray from the template."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The one way every list of the platform is written to an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def excel_response(
    *, sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int], filename: str
) -> HttpResponse:
    """One sheet with bold Chinese headers and the rows below them, as a download named ``filename``.

    Every list export goes through here so that they all look alike: a frozen header row, set column widths,
    and text that wraps where a cell holds several lines (the changes of an audit entry).
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_row(0, 0, headers, workbook.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width, wrap)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

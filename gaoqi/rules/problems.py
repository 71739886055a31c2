"""What is wrong with an input, said where it is: the one problem type of every reader.

A JSON document names the place by its path (``years.2024.sales_revenue``); a workbook by sheet, row and column,
with the cell as typed. Either way the message is a whole Chinese sentence a user can act on.

>>> str(Problem("years.2024.sales_revenue", "不能为负数（收到 -1）。"))
'years.2024.sales_revenue: 不能为负数（收到 -1）。'
>>> Problem("", "行业代码无效。", sheet="企业", row=3, column="行业代码", value="X1").as_dict()["row"]
3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    path: str  # a JSON path; "" for the whole input or a workbook cell
    message: str
    sheet: str = ""
    row: int | None = None  # the row number a spreadsheet shows; None for a sheet's header
    column: str = ""  # the header as the template prints it; "" for the whole row
    value: str = ""  # the cell as typed, shortened
    blocking: bool = True  # False: a warning that does not stop the input from being read

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "blocking": self.blocking,
        }


class InputError(ValueError):
    """The input cannot be read; ``problems`` names every place at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

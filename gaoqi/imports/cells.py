"""Reading one cell of the import: what an officer may type, and the Chinese sentence they get for what cannot be read.

Each reader takes the cell's value as the workbook holds it (number, date, text) and returns the value to store, or
raises :class:`CellError`. The columns of ``gaoqi.imports.columns`` name the reader of each column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum.cn import uscc as uscc_checksum
from stdnum.exceptions import ValidationError as StdnumError

YUAN, WAN = "元", "万元"
TRUE_WORDS = frozenset({"是", "true", "1", "y", "yes", "√"})
FALSE_WORDS = frozenset({"否", "false", "0", "n", "no", "×"})


TOO_LARGE = Decimal(10) ** 15
"""No amount, count or year the registry keeps comes near this; a cell beyond it is a typing or unit mistake."""


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as it is."""


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 440703.0
    return str(value).strip()


def read_text(value: Any, *, max_length: int = 200) -> str:
    text = cell_text(value)
    if len(text) > max_length:
        raise CellError(f"内容过长（{len(text)} 字），最多 {max_length} 字。")
    return text


def read_uscc(value: Any) -> str:
    code = cell_text(value).upper().replace(" ", "")
    if len(code) != 18:
        raise CellError(f"统一社会信用代码应为 18 位（此处为 {len(code)} 位）。")
    try:
        return str(uscc_checksum.validate(code))
    except StdnumError:
        raise CellError("统一社会信用代码无效（校验位不符或含非法字符）。") from None


def read_decimal(value: Any, *, places: int, unit: str = YUAN) -> Decimal:
    """An amount read exactly: a number cell or text such as ``1,234.50``; 万元 are converted to yuan exactly."""
    if isinstance(value, bool):
        raise CellError("应为数字。")
    if isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text that reads back as the same float: what Excel shows
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        text = cell_text(value).replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"应为数字（单位：{unit}），不能是“{cell_text(value)}”。") from None
    if not number.is_finite():
        raise CellError("应为数字。")
    if abs(number) >= TOO_LARGE:  # before any arithmetic: a decimal this large overflows the context's precision
        raise CellError("数值过大，请检查单位（元或万元）。")
    if unit == WAN:
        number *= 10_000
    if number != number.quantize(Decimal(1).scaleb(-places)):
        more = "（以万元填报时最多 6 位小数）" if unit == WAN else ""
        raise CellError(f"最多 {places} 位小数{more}。")
    return number.quantize(Decimal(1).scaleb(-places)) if places else number


def read_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("应为整数。")
    text = cell_text(value).removesuffix("年")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"应为整数，不能是“{text}”。") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError("应为整数。")
    if abs(number) >= TOO_LARGE:
        raise CellError("数值过大。")
    return int(number)


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def read_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()  # noqa: DTZ007 -- a calendar date, no time of day
        except ValueError:
            continue
    raise CellError(f"日期格式应为 2024-05-01，不能是“{text}”。")


def read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = cell_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"应填“是”或“否”，不能是“{cell_text(value)}”。")


def choice_reader(choices: list[tuple[Any, str]]) -> Callable[[Any], Any]:
    """Read a drop-down cell: the Chinese label as the template offers it, or the stored value itself."""
    by_word = {str(label): key for key, label in choices} | {str(key): key for key, _ in choices}

    def read(value: Any) -> Any:
        word = cell_text(value)
        if word in by_word:
            return by_word[word]
        offered = "、".join(str(label) for _, label in choices)
        raise CellError(f"“{word}”不是可选值；可选：{offered}。")

    read.choices = [str(label) for _, label in choices]  # type: ignore[attr-defined]
    read.labels = [(key, str(label)) for key, label in choices]  # type: ignore[attr-defined]
    return read


def read_zones(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[、,，;；]", cell_text(value)) if part.strip()]


def bounded(read: Callable[[Any], Any], low: int, high: int | None) -> Callable[[Any], Any]:
    """``read``, then refuse a value outside ``low``–``high`` (both included; ``None``: no upper bound)."""

    def read_bounded(value: Any) -> Any:
        number = read(value)
        if number < low or (high is not None and number > high):
            raise CellError(f"应在 {low}–{high} 之间。" if high is not None else f"不能小于 {low}。")
        return number

    return read_bounded


def read_share(value: Any) -> Decimal:
    """A fraction of a whole: ``0.125``, or the percentage as typed, ``12.5%``."""
    text = cell_text(value)
    if isinstance(value, str) and text.endswith(("%", "％")):
        return read_decimal(text[:-1], places=2) / 100
    return read_decimal(value, places=4)


def read_scores(value: Any) -> list[int]:
    """Each expert's total score, whole points out of 100, in one cell: ``72、80、76``."""
    scores = []
    for part in filter(None, re.split(r"[、,，;；\s]+", cell_text(value))):
        try:
            scores.append(bounded(read_int, 0, 100)(part))
        except CellError:
            raise CellError(f"每位专家的总分应为 0–100 的整数，以顿号分隔，如 72、80、76；“{part}”不是。") from None
    return scores

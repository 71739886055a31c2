"""Reading one cell: what an officer may type, and the sentence they get for what cannot be read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from gaoqi.imports.cells import WAN, CellError, read_bool, read_date, read_decimal, read_int, read_uscc
from gaoqi.rules.synthetic import uscc_for


@pytest.mark.parametrize(
    ("typed", "unit", "read"),
    [
        (1234.5, "元", Decimal("1234.50")),
        ("1,234.56", "元", Decimal("1234.56")),
        (" 12 ", "元", Decimal("12.00")),
        ("-12.5", "元", Decimal("-12.50")),  # the sign is the column's business, not the reader's
        (0.1, "元", Decimal("0.10")),  # a float reads as Excel shows it, not as its binary value
        (999_999_999_999_999, "元", Decimal("999999999999999.00")),  # just under the limit
        (5200.1234, WAN, Decimal("52001234.00")),
        ("0.000001", WAN, Decimal("0.01")),  # 万元 to six places is one fen: exact
    ],
)
def test_amounts_read_exactly(typed: Any, unit: str, read: Decimal) -> None:
    assert read_decimal(typed, places=2, unit=unit) == read


@pytest.mark.parametrize(
    ("typed", "unit", "message"),
    [
        ("五千万", "元", "应为数字（单位：元），不能是“五千万”。"),
        (True, "元", "应为数字。"),
        ("NaN", "元", "应为数字。"),
        ("inf", "元", "应为数字。"),
        (12.345, "元", "最多 2 位小数。"),
        ("0.0000001", WAN, "最多 2 位小数（以万元填报时最多 6 位小数）。"),
        (10**15, "元", "数值过大，请检查单位（元或万元）。"),  # on the limit
        (1e308, "元", "数值过大，请检查单位（元或万元）。"),  # would overflow decimal arithmetic
        ("1e30", "元", "数值过大，请检查单位（元或万元）。"),
    ],
)
def test_amounts_that_cannot_be_read_say_why(typed: Any, unit: str, message: str) -> None:
    with pytest.raises(CellError) as error:
        read_decimal(typed, places=2, unit=unit)
    assert str(error.value) == message


@pytest.mark.parametrize(("typed", "read"), [(2024, 2024), (2024.0, 2024), ("2024", 2024), ("2024年", 2024)])
def test_whole_numbers(typed: Any, read: int) -> None:
    assert read_int(typed) == read


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2024.5", "应为整数。"), ("inf", "应为整数。"), ("1e30", "数值过大。"), ("二〇二四", "应为整数")],
)
def test_whole_numbers_that_cannot_be_read(typed: Any, message: str) -> None:
    with pytest.raises(CellError, match=message):
        read_int(typed)


EXCEL_DATETIME = datetime(2024, 5, 1, 0, 0)  # noqa: DTZ001 -- openpyxl gives a date cell as a naive datetime


@pytest.mark.parametrize(
    "typed", [date(2024, 5, 1), EXCEL_DATETIME, "2024-05-01", "2024/5/1", "2024.05.01", "2024年5月1日", "20240501"]
)
def test_dates_in_the_ways_people_type_them(typed: Any) -> None:
    assert read_date(typed) == date(2024, 5, 1)


def test_a_date_that_cannot_be_read() -> None:
    with pytest.raises(CellError, match="日期格式应为 2024-05-01，不能是“2024-13-01”"):
        read_date("2024-13-01")


@pytest.mark.parametrize(("typed", "read"), [("是", True), ("否", False), (True, True), ("Y", True), (0, False)])
def test_yes_and_no(typed: Any, read: bool) -> None:
    assert read_bool(typed) is read


def test_credit_codes_are_checked_by_their_check_character() -> None:
    good = uscc_for("440703", 7)
    assert read_uscc(f" {good.lower()} ") == good
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(CellError, match="校验位不符"):
        read_uscc(bad)
    with pytest.raises(CellError, match="应为 18 位（此处为 17 位）"):
        read_uscc(good[:-1])

"""The code tables: what the migration loads, the reload command, and importing the official industry table."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from gaoqi.codes.models import Industry, Region
from gaoqi.codes.selectors import industry_name, region_names
from gaoqi.core.models import AuditEntry

pytestmark = pytest.mark.django_db

JIANGMEN = {
    "440703": "蓬江区",
    "440704": "江海区",
    "440705": "新会区",
    "440781": "台山市",
    "440783": "开平市",
    "440784": "鹤山市",
    "440785": "恩平市",
}


def test_jiangmen_and_its_seven_county_level_divisions() -> None:
    counties = Region.objects.filter(parent_id="440700")
    assert dict(counties.values_list("code", "name")) == JIANGMEN
    assert set(counties.values_list("level", flat=True)) == {"county"}
    assert Region.objects.get(code="440700").parent_id == "440000"


def test_guangdong_has_twenty_one_prefecture_level_cities() -> None:
    cities = Region.objects.filter(level="prefecture", parent_id="440000")
    assert cities.count() == 21
    assert {"广州市", "深圳市", "江门市", "云浮市"} <= set(cities.values_list("name", flat=True))


def test_industry_sections_and_divisions_of_gbt_4754_2017() -> None:
    sections = Industry.objects.filter(level="section")
    divisions = Industry.objects.filter(level="division")
    assert list(sections.values_list("code", flat=True)) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    assert divisions.count() == 97
    assert sorted(int(code[1:]) for code in divisions.values_list("code", flat=True)) == list(range(1, 98))
    assert all(d.parent_id == d.code[0] for d in divisions)
    # the section letter of each division follows the standard's ranges
    ranges = {"A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52), "G": (53, 60),
              "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72), "M": (73, 75),
              "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96),
              "T": (97, 97)}  # fmt: skip
    for d in divisions:
        low, high = ranges[d.code[0]]
        assert low <= int(d.code[1:]) <= high, d.code


def test_names_for_codes_fall_back_to_the_nearest_known_level() -> None:
    assert region_names()["440785"] == "恩平市"
    assert "999999" not in region_names()
    assert industry_name("C3989") == "计算机、通信和其他电子设备制造业"
    assert industry_name("M73") == "研究和试验发展"
    assert industry_name("C") == "制造业"


def test_load_codes_restores_changed_names_and_is_audited() -> None:
    Region.objects.filter(code="440703").update(name="改错的名字")
    call_command("load_codes")
    assert Region.objects.get(code="440703").name == "蓬江区"
    assert Region.objects.count() == 29
    assert AuditEntry.objects.filter(action="codes.load").exists()


def _official_table(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ("门类", "大类", "中类", "小类", "类别名称"))
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value:
                sheet.write_string(number, column, value)
    workbook.close()
    return path


def test_import_industries_loads_groups_and_classes_under_their_section(tmp_path: Path) -> None:
    path = _official_table(
        tmp_path / "gbt4754.xlsx",
        [
            ("A", "", "", "", "农、林、牧、渔业"),
            ("", "01", "", "", "农业"),
            ("", "", "011", "", "谷物种植"),
            ("", "", "", "0111", "稻谷种植"),
            ("C", "", "", "", "制造业"),
            ("", "39", "", "", "计算机、通信和其他电子设备制造业"),
            ("", "", "398", "", "电子元件及电子专用材料制造"),
            ("", "", "", "3989", "其他电子元件制造"),
        ],
    )
    call_command("import_industries", str(path))
    assert Industry.objects.get(code="A0111").parent_id == "A011"
    assert Industry.objects.get(code="A011").parent_id == "A01"
    other = Industry.objects.get(code="C3989")
    assert (other.name, other.level, other.parent_id) == ("其他电子元件制造", "class", "C398")
    assert industry_name("C3989") == "其他电子元件制造"
    assert Industry.objects.filter(level="division").count() == 97  # the bundled divisions stay


def test_import_industries_refuses_a_table_without_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "wrong.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write_row(0, 0, ("代码", "名称"))
    workbook.close()
    with pytest.raises(CommandError, match="表格缺少列"):
        call_command("import_industries", str(path))

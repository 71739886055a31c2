"""Writes of the code tables: load rows (the bundled files or an officer's Excel table), replacing names in place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

from gaoqi.codes.data import read_rows
from gaoqi.codes.models import Industry, Region
from gaoqi.core.services import audit_log_record


def _upsert(model: type[Region] | type[Industry], rows: list[dict[str, str]]) -> int:
    """Create or update each row (parents first); return how many rows were written."""
    for row in rows:
        model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"].strip(), "level": row["level"], "parent_id": row["parent"] or None},
        )
    return len(rows)


@transaction.atomic
def codes_load(*, actor: Any = None) -> dict[str, int]:
    """Load the bundled regions and industries (sections and divisions); existing codes are updated."""
    regions = _upsert(Region, read_rows("regions"))
    counts = {"regions": regions, "industries": _upsert(Industry, read_rows("industries"))}
    audit_log_record(actor=actor, action="codes.load", target_type="codes", target_repr="代码表", changes=counts)
    return counts


CODE_COLUMNS = ("门类", "大类", "中类", "小类")
LEVELS = {"门类": "section", "大类": "division", "中类": "group", "小类": "class"}


def industry_rows_from_table(table: pl.DataFrame) -> list[dict[str, str]]:
    """Rows of the official GB/T 4754-2017 table: columns 门类, 大类, 中类, 小类 (one filled per row) and 类别名称.

    A digit code belongs to the most recent section above it; codes get the section letter as prefix (``C3989``).
    """
    missing = [c for c in (*CODE_COLUMNS, "类别名称") if c not in table.columns]
    if missing:
        raise ValueError(f"表格缺少列：{'、'.join(missing)}。应有列：门类、大类、中类、小类、类别名称。")
    rows: list[dict[str, str]] = []
    section = ""
    for record in table.cast(pl.String).iter_rows(named=True):
        filled = [(c, (record[c] or "").strip()) for c in CODE_COLUMNS if (record[c] or "").strip()]
        if not filled:
            continue
        if len(filled) > 1:
            raise ValueError(f"一行只能填一个代码，收到：{filled}。")
        column, code = filled[0]
        name = (record["类别名称"] or "").strip()
        level = LEVELS[column]
        expected = r"[A-T]" if level == "section" else rf"\d{{{CODE_COLUMNS.index(column) + 1}}}"
        if not re.fullmatch(expected, code) or not name:
            raise ValueError(f"{column}代码或名称不正确：{code!r} {name!r}。")
        if level == "section":
            section = code
            rows.append({"code": code, "name": name, "level": level, "parent": ""})
            continue
        if not section:
            raise ValueError(f"{column}代码 {code} 出现在第一个门类之前。")
        full = section + code
        parent = section if level == "division" else full[:-1]
        rows.append({"code": full, "name": name, "level": level, "parent": parent})
    return rows


@transaction.atomic
def industries_import(*, path: Path, actor: Any = None) -> int:
    """Load the full GB/T 4754-2017 table from the official Excel file; existing codes are updated."""
    rows = industry_rows_from_table(pl.read_excel(path, infer_schema_length=0))
    count = _upsert(Industry, rows)
    audit_log_record(
        actor=actor,
        action="codes.industries_import",
        target_type="codes.industry",
        target_repr=f"国民经济行业分类（{path.name}）",
        changes={"industries": count},
    )
    return count

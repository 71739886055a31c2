"""YAML law cases: each names a legal situation, gives facts, and states the outcomes the law requires.

A case file is a list of cases::

    - name: 最近一年销售收入恰为5,000万元，适用5%档；三年研发占比恰为5.000%，符合
      as_of: 2025-06-30            # optional; the file's default otherwise
      input: {sales_revenue_y3: 50_000_000, ...}      # a flat facts row (facts.py names), or
      json: {...}                                     # a whole enterprise document as in facts.md
      output:
        hnte.rd_expense_ratio: true                   # criterion outcome: true / false / null (undetermined)
        hnte.outcome: fail                            # program outcome: pass / fail / undetermined
        hnte.rd_expense_ratio.gap: 1                  # any results-frame column; numbers to 1e-4
        hnte.innovation_score.notes: [复核]            # each string occurs in some note shown ([] = none shown)
        hnte.rd_expense_ratio.missing: [sales_revenue_y2]   # each string occurs in some missing fact named

A file may start with ``defaults: {as_of: …, input: {…}}`` as its first item; every case inherits it and overrides
what it names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"


@dataclass
class Case:
    file: str
    name: str
    as_of: date
    output: dict[str, Any]
    input: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _to_fact_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def load_cases(root: Path = CASES) -> list[Case]:
    cases = []
    for path in sorted(root.rglob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        defaults: dict[str, Any] = {}
        if items and "defaults" in items[0]:
            defaults = items.pop(0)["defaults"]
        for item in items:
            as_of = item.get("as_of", defaults.get("as_of"))
            assert as_of is not None, f"{path}: case {item.get('name')!r} has no as_of"
            merged = {**defaults.get("input", {}), **(item.get("input") or {})}
            cases.append(
                Case(
                    file=str(path.relative_to(root)),
                    name=str(item["name"]),
                    as_of=_date(as_of),
                    output=dict(item["output"]),
                    input={k: _to_fact_value(v) for k, v in merged.items()},
                    document=item.get("json"),
                )
            )
    return cases


OUTCOME_FROM_WORD = {"pass": True, "fail": False, "undetermined": None}


def expected_column(key: str, columns: list[str]) -> str:
    """``hnte.rd_expense_ratio`` means its ``.passed`` column; anything else is a column name as it stands."""
    if key in columns:
        return key
    return f"{key}.passed"


def matches(actual: Any, expected: Any) -> bool:
    if isinstance(expected, str) and expected in OUTCOME_FROM_WORD:
        expected = OUTCOME_FROM_WORD[expected]
    if expected is None or isinstance(expected, bool) or actual is None or isinstance(actual, bool):
        return actual is expected or actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-4)
    return bool(actual == expected)


def said(programs: dict[str, Any], key: str) -> list[str]:
    """The notes or missing facts one criterion shows, from the results document: ``hnte.innovation_score.notes``."""
    program, criterion, what = key.split(".")
    for c in programs[program]["criteria"]:
        if c["id"] == criterion or (criterion == "direct_route" and c["id"] == "direct_route"):
            return list(c[what])
    raise KeyError(f"no criterion {criterion} in {program}")

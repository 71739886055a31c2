"""``assess``: one enterprise's JSON in, the results JSON out, the same whether given as text or parsed."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from gaoqi.rules import InputError, assess, programs_from_text

EXAMPLE = resources.files("gaoqi.rules.examples").joinpath("enterprise.json").read_text(encoding="utf-8")


def _example() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE)
    return document


def test_text_and_parsed_document_give_the_same_results() -> None:
    assert assess(EXAMPLE) == assess(_example())
    assert "warnings" not in assess(EXAMPLE)


def test_the_programs_asked_for_are_the_programs_answered() -> None:
    assert list(assess(EXAMPLE, program=("tsme", "hnte"))["programs"]) == ["tsme", "hnte"]


def test_a_year_before_the_three_is_ignored_with_a_warning_naming_it() -> None:
    document = _example()
    document["years"]["2019"] = {"sales_revenue": "1"}
    result = assess(document)
    [warning] = result.pop("warnings")
    assert warning.startswith("years.2019") and result == assess(EXAMPLE)


def test_an_override_changes_the_law_on_a_copy_only() -> None:
    # the example spends 5.15 % of three years' sales on R&D: a floor of 6 % fails it, the law in force passes it
    floors = {f"hnte.rd_ratio_{tier}": {"2016-01-01": 6} for tier in ("small", "medium", "large")}
    changed = assess(EXAMPLE, program="hnte", overrides=floors)
    criteria = {c["id"]: c["outcome"] for c in changed["programs"]["hnte"]["criteria"]}
    assert criteria["rd_expense_ratio"] == "fail"
    law = {c["id"]: c["outcome"] for c in assess(EXAMPLE, program="hnte")["programs"]["hnte"]["criteria"]}
    assert law["rd_expense_ratio"] == "pass"


def test_a_syntax_error_names_its_line_and_column() -> None:
    with pytest.raises(InputError, match="第 2 行第 1 列"):
        assess('{"as_of": "2025-06-30",\n}')


@pytest.mark.parametrize("text", ["", "all", " all "])
def test_blank_or_all_means_every_program(text: str) -> None:
    assert programs_from_text(text) == tuple(assess(EXAMPLE)["programs"])

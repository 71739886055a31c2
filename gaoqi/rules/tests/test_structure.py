"""The shape of the rules: pure, cited, named from the word table."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import polars as pl
import pytest
import yaml

from gaoqi.rules.engine import PROGRAMS
from gaoqi.rules.facts import FACTS_SCHEMA
from gaoqi.rules.parameters import ROOT as PARAMETERS
from gaoqi.rules.parameters import load_parameters


def test_rules_import_no_django() -> None:
    code = "import sys, gaoqi.rules, gaoqi.rules.tables, gaoqi.rules.report; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_every_parameter_cites_its_source_and_unit() -> None:
    for path in PARAMETERS.rglob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "index.yaml":
            assert doc["documents"], path
            continue
        meta = doc.get("metadata", {})
        assert meta.get("reference") and meta.get("unit") and meta.get("label"), path
        assert all(ref.get("title") for ref in meta["reference"]), path
        assert doc.get("values"), path
        assert meta.get("verified", "primary") in ("primary", "secondary"), path


def test_every_program_folder_has_an_index_of_documents() -> None:
    folders = {p.parent.name for p in PARAMETERS.rglob("*.yaml") if p.name != "index.yaml"}
    assert folders, "no parameters found"
    for folder in folders:
        assert (PARAMETERS / folder / "index.yaml").exists(), folder


@pytest.mark.parametrize(("name", "dtype"), FACTS_SCHEMA.items(), ids=str)
def test_boolean_facts_are_named_as_questions(name: str, dtype: pl.DataType) -> None:
    assert (dtype == pl.Boolean) == name.startswith(("is_", "has_", "meets_")), name


def test_every_criterion_is_cited_and_labelled_in_chinese() -> None:
    for program in PROGRAMS.values():
        assert program.criteria, program.name
        for criterion in program.criteria:
            assert criterion.citation and any("\u4e00" <= ch <= "\u9fff" for ch in criterion.label), criterion
            assert criterion.build.__doc__, f"{program.name}.{criterion.id} must quote its article"


def test_hnte_criterion_ids_are_those_of_facts_md() -> None:
    ids = [c.id for c in PROGRAMS["hnte"].criteria_on(date(2025, 6, 30))]
    assert ids == [
        "registered_365_days",
        "owns_core_ip",
        "priority_domain",
        "st_staff_share",
        "rd_expense_ratio",
        "domestic_rd_share",
        "hightech_income_share",
        "innovation_score",
        "no_major_incident",
    ]


def test_an_override_changes_a_copy_not_the_law() -> None:
    published = load_parameters()
    changed = published.at(date(2027, 6, 30), {"hnte.rd_ratio_small": {"2027-01-01": 4}})
    assert changed.hnte.rd_ratio_small == 4
    assert published.at(date(2027, 6, 30)).hnte.rd_ratio_small == 5
    assert published.at(date(2026, 6, 30), {"hnte.rd_ratio_small": {"2027-01-01": 4}}).hnte.rd_ratio_small == 5


def test_the_criteria_index_is_current() -> None:
    """docs/criteria.md is generated from the programs; regenerate it with `gaoqi criteria > docs/criteria.md`."""
    from gaoqi.rules.index import ROOT, criteria_index

    assert (ROOT / "docs" / "criteria.md").read_text(encoding="utf-8") == criteria_index()


@pytest.mark.parametrize("backend", ["python", "polars"])
def test_identifier_columns_are_kept_by_both_executors(backend: str) -> None:
    from gaoqi.rules import evaluate, facts_frame

    facts = facts_frame([{"registered_on": date(2020, 1, 1)}]).with_columns(pl.lit(7).alias("enterprise_id"))
    frame = evaluate(facts, program="hnte", as_of=date(2025, 6, 30), keep=["enterprise_id"], backend=backend).frame  # type: ignore[arg-type]
    assert frame["enterprise_id"].to_list() == [7]

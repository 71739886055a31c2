"""Every YAML case under ``cases/`` through ``evaluate`` (and, for whole documents, through the JSON reader)."""

from __future__ import annotations

import pytest

from gaoqi.rules import evaluate, facts_frame
from gaoqi.rules.ingest import read_document
from gaoqi.rules.tests.cases import Case, expected_column, load_cases, matches, said

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    if case.document is not None:
        document = read_document({"as_of": case.as_of.isoformat(), **case.document})
        frame, as_of = document.facts, document.as_of
    else:
        frame, as_of = facts_frame([case.input]), case.as_of
    programs = sorted({key.split(".")[0] for key in case.output})
    results = evaluate(frame, program=programs, as_of=as_of)
    row = results.frame.row(0, named=True)
    words = results.to_dict(0)["programs"]
    columns = list(row)
    wrong = {}
    for key, expected in case.output.items():
        if key.endswith((".notes", ".missing")):
            actual: object = said(words, key)
            ok = all(any(part in text for text in actual) for part in expected)  # type: ignore[attr-defined]
            ok = ok and (bool(expected) or not actual)
        else:
            actual = row.get(expected_column(key, columns), "<no such column>")
            ok = matches(actual, expected)
        if not ok:
            wrong[key] = (actual, expected)
    assert not wrong, f"{case.name}: (actual, expected) {wrong}"
